// SPDX-License-Identifier: GPL-2.0
/*
 * section.c - writing records into .discard.ksplice.fingerprints, and the
 * sorted string lists the records are collected in.
 */
#include "ksplice_plugin.h"

/* One line of the section as an .ascii directive, escaped for gas. */
void emit_section_line(const char *format, ...)
{
	va_list args;
	char *line;
	const unsigned char *c;

	va_start(args, format);
	line = xvasprintf(format, args);
	va_end(args);

	fputs("\t.ascii \"", asm_out_file);
	for (c = (const unsigned char *)line; *c; c++) {
		if (*c == '"' || *c == '\\')
			fprintf(asm_out_file, "\\%c", *c);
		else if (*c >= 0x20 && *c < 0x7f)
			fputc(*c, asm_out_file);
		else
			fprintf(asm_out_file, "\\%03o", *c);
	}
	fputs("\\n\"\n", asm_out_file);
	free(line);
}

void string_list_add(struct string_list *list, char *item)
{
	if (list->nr == list->max) {
		list->max = list->max ? 2 * list->max : 64;
		list->items = XRESIZEVEC(char *, list->items, list->max);
	}
	list->items[list->nr++] = item;
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Byte order: the section must not depend on the order GCC works in. */
void string_list_sort(struct string_list *list)
{
	if (list->nr)
		qsort(list->items, list->nr, sizeof(*list->items), compare_strings);
}

void string_list_free(struct string_list *list)
{
	size_t i;

	for (i = 0; i < list->nr; i++)
		free(list->items[i]);
	free(list->items);
	list->items = NULL;
	list->nr = list->max = 0;
}

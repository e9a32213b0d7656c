// SPDX-License-Identifier: GPL-2.0
#include "util.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool refused;
static FILE *records;

int report_open(const char *path)
{
	records = fopen(path, "w");
	if (!records)
		return error("cannot write %s", path);
	setvbuf(records, NULL, _IOLBF, 0);
	return 0;
}

static void json_string(FILE *f, const char *s)
{
	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void record(const char *kind, const char *name, const char *object, const char *text)
{
	if (!records)
		return;
	fputs("{\"kind\": ", records);
	json_string(records, kind);
	fputs(", \"name\": ", records);
	json_string(records, name);
	fputs(", \"object\": ", records);
	json_string(records, object);
	fputs(", \"text\": ", records);
	json_string(records, text);
	fputs("}\n", records);
}

void found(const char *kind, const char *name, const char *object, const char *fmt, ...)
{
	char text[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	printf("%s %s (%s): %s\n", kind, name, object, text);
	record(kind, name, object, text);
}

static void complain(const char *kind, const char *prefix, const char *fmt, va_list ap)
{
	char text[2048];

	vsnprintf(text, sizeof(text), fmt, ap);
	fprintf(stderr, "%s%s\n", prefix, text);
	record(kind, NULL, NULL, text);
}

void tell(const char *kind, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	complain(kind, "patchgen: ", fmt, ap);
	va_end(ap);
}

int error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	complain("error", "patchgen: ", fmt, ap);
	va_end(ap);
	return -1;
}

int refuse(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	complain("refusal", "patchgen: cannot patch live: ", fmt, ap);
	va_end(ap);
	refused = true;
	return -1;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p) {
		perror("patchgen");
		exit(EXIT_FAILED);
	}
	return p;
}

void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size ? size : 1);
	if (!p) {
		perror("patchgen");
		exit(EXIT_FAILED);
	}
	return p;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p) {
		perror("patchgen");
		exit(EXIT_FAILED);
	}
	return p;
}

size_t buf_append(struct buf *b, const void *p, size_t n)
{
	size_t at = b->len;

	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2 + 64;
		b->data = xrealloc(b->data, b->cap);
	}
	if (p)
		memcpy(b->data + b->len, p, n);
	else
		memset(b->data + b->len, 0, n);
	b->len += n;
	return at;
}

size_t buf_pad(struct buf *b, size_t align)
{
	if (align > 1 && b->len % align)
		buf_append(b, NULL, align - b->len % align);
	return b->len;
}

size_t name_stem_len(const char *name)
{
	size_t len = strlen(name);
	size_t end = len;

	while (end > 0 && isdigit((unsigned char)name[end - 1]))
		end--;
	if (end > 0 && end < len && name[end - 1] == '.')
		return end - 1;
	return len;
}

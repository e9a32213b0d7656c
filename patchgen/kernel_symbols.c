// SPDX-License-Identifier: GPL-2.0
#include "kernel_symbols.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "name_index.h"
#include "util.h"

struct name_count {
	char *name;
	int count;
	bool exported;
};

/* Open addressing on an FNV-1a hash; sized once from the inputs. */
static struct name_count *table;
static size_t table_size;
static bool have_map;

static struct name_count *slot(const char *name, bool insert)
{
	size_t i;

	if (!table_size)
		return NULL;
	for (i = name_hash(name) % table_size; table[i].name; i = (i + 1) % table_size)
		if (!strcmp(table[i].name, name))
			return &table[i];
	if (!insert)
		return NULL;
	table[i].name = xstrdup(name);
	return &table[i];
}

static size_t count_lines(const char *path)
{
	FILE *f = path ? fopen(path, "r") : NULL;
	size_t n = 0;
	int c;

	if (!f)
		return 0;
	while ((c = getc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

int kernel_symbols_load(char *const *symvers, size_t nr_symvers, const char *system_map)
{
	char line[1024], name[512], type[8];
	unsigned long long addr;
	size_t lines = count_lines(system_map);
	FILE *f;

	for (size_t i = 0; i < nr_symvers; i++)
		lines += count_lines(symvers[i]);
	table_size = 2 * lines + 1024;
	table = xcalloc(table_size, sizeof(*table));
	for (size_t i = 0; i < nr_symvers; i++) {
		f = fopen(symvers[i], "r");
		if (!f)
			return error("%s: %m", symvers[i]);
		/* crc <tab> symbol <tab> module <tab> export type <tab> namespace */
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "%*s %511s", name) == 1)
				slot(name, true)->exported = true;
		fclose(f);
	}
	if (system_map) {
		f = fopen(system_map, "r");
		if (!f)
			return error("%s: %m", system_map);
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "%llx %7s %511s", &addr, type, name) == 3)
				slot(name, true)->count++;
		fclose(f);
		have_map = true;
	}
	return 0;
}

bool kernel_symbol_exported(const char *name)
{
	struct name_count *nc = slot(name, false);

	return nc && nc->exported;
}

int kernel_symbol_count(const char *name)
{
	struct name_count *nc;

	if (!have_map)
		return -1;
	nc = slot(name, false);
	return nc ? nc->count : 0;
}

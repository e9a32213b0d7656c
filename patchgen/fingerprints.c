// SPDX-License-Identifier: GPL-2.0
#include "fingerprints.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static int parse_line(struct fingerprint_table *table, const char *path,
		      char *line, size_t lineno)
{
	char name[512];
	uint64_t strict, noline;
	int version;

	if (lineno == 1) {
		if (sscanf(line, "ksplice-fingerprints %d", &version) != 1)
			return error("%s: fingerprint section has no header", path);
		if (version != FINGERPRINT_VERSION)
			return error("%s: fingerprint format %d, this patchgen reads %d",
				     path, version, FINGERPRINT_VERSION);
		return 0;
	}
	if (!strncmp(line, "compiler ", 9)) {
		free(table->compiler);
		table->compiler = xstrdup(line + 9);
		return 0;
	}
	if (!strncmp(line, "unit ", 5)) {
		free(table->unit);
		table->unit = xstrdup(line + 5);
		return 0;
	}
	if (!strncmp(line, "fn ", 3)) {
		if (sscanf(line, "fn %511s %" SCNx64 " %" SCNx64, name, &strict, &noline) != 3)
			return error("%s: bad fingerprint line %zu", path, lineno);
		table->fns = xrealloc(table->fns, (table->nr_fns + 1) * sizeof(*table->fns));
		table->fns[table->nr_fns++] = (struct fingerprint){
			.name = xstrdup(name), .strict = strict, .noline = noline,
		};
		return 0;
	}
	/* Newer record kinds are skipped: the version gates incompatibility. */
	return 0;
}

int fingerprints_read(const struct object *obj, struct fingerprint_table *table)
{
	const struct section *sec = object_section(obj, FINGERPRINT_SECTION);
	size_t lineno = 0;
	char *text, *line, *save = NULL;
	int ret = 0;

	memset(table, 0, sizeof(*table));
	if (!sec || !sec->bytes)
		return error("%s: no fingerprints: was it built with make KSPLICE=1?", obj->path);
	text = xcalloc(1, sec->sh.sh_size + 1);
	memcpy(text, sec->bytes, sec->sh.sh_size);
	for (line = strtok_r(text, "\n", &save); line && !ret; line = strtok_r(NULL, "\n", &save))
		ret = parse_line(table, obj->path, line, ++lineno);
	free(text);
	if (!ret && !table->compiler)
		ret = error("%s: fingerprints do not name their compiler", obj->path);
	return ret;
}

void fingerprints_free(struct fingerprint_table *table)
{
	for (size_t i = 0; i < table->nr_fns; i++)
		free(table->fns[i].name);
	free(table->fns);
	free(table->compiler);
	free(table->unit);
	memset(table, 0, sizeof(*table));
}

const struct fingerprint *fingerprint_find(const struct fingerprint_table *table,
					   const char *name)
{
	for (size_t i = 0; i < table->nr_fns; i++)
		if (!strcmp(table->fns[i].name, name))
			return &table->fns[i];
	return NULL;
}

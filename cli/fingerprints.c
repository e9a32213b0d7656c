// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice fingerprints [--json] FILE.o: the plugin's records of one
 * object (docs/fingerprints.md), as stored or as JSON; a manifest's
 * copy stores them in binary, and prints them as text.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fingerprint_format.h"
#include "ksplice.h"

static void json_key(const char *key, bool comma)
{
	printf("%s\"%s\": ", comma ? ", " : "", key);
}

static void json_field(const char *key, const char *value, bool comma)
{
	json_key(key, comma);
	json_string(value);
}

static void json_hash(const char *key, uint64_t value)
{
	printf(", \"%s\": \"%016" PRIx64 "\"", key, value);
}

static void print_function(const struct fingerprint *fn)
{
	printf("{");
	json_field("name", fn->name, false);
	json_hash("strict", fn->strict);
	json_hash("noline", fn->noline);
	if (fn->origin) {
		json_field("clone_of", fn->origin, true);
		json_field("clone_kind", fn->clone_kind, true);
	}
	json_key("inlines", true);
	printf("[");
	for (size_t i = 0; i < fn->nr_inlines; i++) {
		printf("%s", i ? ", " : "");
		json_string(fn->inlines[i]);
	}
	printf("]}");
}

static void print_json(const struct fingerprint_table *table)
{
	printf("{\"version\": %d", table->version);
	json_field("compiler", table->compiler, true);
	json_field("plugin", table->plugin, true);
	json_field("flags", table->flags, true);
	json_field("unit", table->unit ? table->unit : "", true);
	printf(", \"functions\": [");
	for (size_t i = 0; i < table->nr_fns; i++) {
		printf("%s", i ? ", " : "");
		print_function(&table->fns[i]);
	}
	printf("], \"data\": [");
	for (size_t i = 0; i < table->nr_vars; i++) {
		printf("%s{", i ? ", " : "");
		json_field("name", table->vars[i].name, false);
		json_field("key", table->vars[i].key, true);
		json_hash("strict", table->vars[i].strict);
		json_hash("noline", table->vars[i].noline);
		printf("}");
	}
	printf("], \"types\": [");
	for (size_t i = 0; i < table->nr_types; i++) {
		printf("%s{", i ? ", " : "");
		json_field("kind", table->types[i].kind, false);
		json_field("name", table->types[i].name, true);
		json_hash("layout", table->types[i].layout);
		printf("}");
	}
	printf("], \"escapes\": [");
	for (size_t i = 0; i < table->nr_escapes; i++) {
		printf("%s{", i ? ", " : "");
		json_field("function", table->escapes[i].function, false);
		json_field("data", table->escapes[i].var, true);
		printf("}");
	}
	printf("]}\n");
}

int cmd_fingerprints(int argc, char **argv)
{
	bool json = argc == 3 && !strcmp(argv[1], "--json");
	const char *path = argv[argc - 1];
	struct fingerprint_table table;
	char err[256];
	size_t size;
	char *text;

	if (argc != 2 + json || path[0] == '-')
		return fail("usage: ksplice fingerprints [--json] FILE.o"), KS_USAGE;
	if (elf_section_read(path, KSPLICE_FINGERPRINT_SECTION, &text, &size))
		return fail("%s: no fingerprints (not an object built with make KSPLICE=1?)",
			    path), KS_USAGE;
	if (fingerprint_table_parse(text, size, &table, err, sizeof(err))) {
		free(text);
		return fail("%s: %s", path, err), KS_USAGE;
	}
	if (json)
		print_json(&table);
	else if (fingerprint_blob_is(text, size))
		fingerprint_table_print(&table, stdout);	/* a manifest's copy */
	else
		fwrite(text, 1, size, stdout);
	fingerprint_table_free(&table);
	free(text);
	return KS_OK;
}

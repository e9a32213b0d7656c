// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice fingerprints [--json] FILE.o: the plugin's records of one
 * object (docs/fingerprints.md), as stored or as JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksplice.h"

#define FINGERPRINT_SECTION ".discard.ksplice.fingerprints"

static void json_field(const char *key, const char *value, bool comma)
{
	printf("%s\"%s\": ", comma ? ", " : "", key);
	json_string(value);
}

static void print_json(char *text)
{
	char *save = NULL, *line;
	int version = 0, fns = 0;

	printf("{");
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char name[512], strict[32], noline[32];

		if (sscanf(line, "ksplice-fingerprints %d", &version) == 1) {
			printf("\"version\": %d", version);
		} else if (!strncmp(line, "compiler ", 9)) {
			json_field("compiler", line + 9, true);
		} else if (!strncmp(line, "unit ", 5)) {
			json_field("unit", line + 5, true);
		} else if (sscanf(line, "fn %511s %31s %31s", name, strict, noline) == 3) {
			printf("%s{", fns++ ? ", " : ", \"functions\": [");
			json_field("name", name, false);
			json_field("strict", strict, true);
			json_field("noline", noline, true);
			printf("}");
		}
	}
	printf("%s}\n", fns ? "]" : ", \"functions\": []");
}

int cmd_fingerprints(int argc, char **argv)
{
	bool json = argc == 3 && !strcmp(argv[1], "--json");
	const char *path = argv[argc - 1];
	size_t size;
	char *text;

	if (argc != 2 + json || path[0] == '-')
		return fail("usage: ksplice fingerprints [--json] FILE.o"), KS_USAGE;
	if (elf_section_read(path, FINGERPRINT_SECTION, &text, &size))
		return fail("%s: no fingerprints (not an object built with make KSPLICE=1?)",
			    path), KS_USAGE;
	if (json)
		print_json(text);
	else
		fwrite(text, 1, size, stdout);
	free(text);
	return KS_OK;
}

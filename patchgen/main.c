// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-patchgen: from pre and post objects of the units a fix
 * rebuilt, write the patch object and its metadata.
 *
 *   ksplice-patchgen --id ID --release REL --out DIR
 *       [--symvers Module.symvers ...] [--system-map System.map]
 *       [--module UNIT=MODULE.ko ...] [--build-id HEX] [--description TEXT]
 *       [--report FILE] UNIT PRE.o POST.o [UNIT PRE.o POST.o ...]
 *
 * --module says that UNIT is linked into a loadable module, not vmlinux.
 * --build-id is the target vmlinux's GNU build id: the core refuses the
 * patch on any other build of the same release. --description goes into
 * the module's .modinfo as ksplice_description. --report writes what the
 * output lines say as JSON records, one per line (util.h).
 *
 * Exit codes: 0 patch written; 2 bad input; 3 nothing to patch;
 * 4 the fix cannot be applied live (the message says why).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel_symbols.h"
#include "patch.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: ksplice-patchgen --id ID --release REL --out DIR\n"
		"         [--symvers FILE] [--system-map FILE] [--module UNIT=MODULE.ko ...]\n"
		"         [--build-id HEX] [--description TEXT] [--report FILE] [--unanchored]\n"
		"         UNIT PRE.o POST.o [UNIT PRE.o POST.o ...]\n");
}

static int open_unit(struct unit *unit)
{
	if (object_open(&unit->pre, unit->pre.path) ||
	    object_open(&unit->post, unit->post.path) ||
	    fingerprints_read(&unit->pre, &unit->pre_fp) ||
	    fingerprints_read(&unit->post, &unit->post_fp))
		return -1;
	return 0;
}

/*
 * The unit's module, from a --module UNIT=PATH.ko: its name as the kernel
 * knows it (the file's, with '-' as '_') and its symbols.
 */
static int open_module(struct unit *unit, char **modules, size_t nr_modules)
{
	for (size_t i = 0; i < nr_modules; i++) {
		char *eq = strrchr(modules[i], '=');
		const char *base;
		char *name;

		if (strncmp(modules[i], unit->name, eq - modules[i]) ||
		    unit->name[eq - modules[i]])
			continue;
		base = strrchr(eq + 1, '/') ? strrchr(eq + 1, '/') + 1 : eq + 1;
		name = xstrdup(base);
		if (strlen(name) > 3 && !strcmp(name + strlen(name) - 3, ".ko"))
			name[strlen(name) - 3] = '\0';
		for (char *c = name; *c; c++)
			if (*c == '-')
				*c = '_';
		unit->module = name;
		return object_open(&unit->ko, eq + 1);
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "id", required_argument, NULL, 'i' },
		{ "release", required_argument, NULL, 'r' },
		{ "out", required_argument, NULL, 'o' },
		{ "symvers", required_argument, NULL, 's' },
		{ "system-map", required_argument, NULL, 'm' },
		{ "module", required_argument, NULL, 'M' },
		{ "build-id", required_argument, NULL, 'b' },
		{ "description", required_argument, NULL, 'd' },
		{ "report", required_argument, NULL, 'R' },
		{ "unanchored", no_argument, NULL, 'U' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct patch_identity who = { 0 };
	const char *out = NULL;
	const char *system_map = NULL;
	char **modules = NULL, **symvers = NULL;
	size_t nr_modules = 0, nr_symvers = 0;
	struct patch patch = { 0 };
	struct unit *units;
	size_t nr_units;
	char path[4096];
	int opt;

	while ((opt = getopt_long(argc, argv, "i:r:o:s:m:M:b:d:R:Uh", options, NULL)) != -1) {
		switch (opt) {
		case 'i':
			who.id = optarg;
			break;
		case 'r':
			who.release = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 's':
			symvers = xrealloc(symvers, (nr_symvers + 1) * sizeof(*symvers));
			symvers[nr_symvers++] = optarg;
			break;
		case 'm':
			system_map = optarg;
			break;
		case 'b':
			if (!*optarg || strspn(optarg, "0123456789abcdef") != strlen(optarg)) {
				error("--build-id wants lower-case hex");
				return EXIT_BAD_INPUT;
			}
			who.build_id = optarg;
			break;
		case 'd':
			who.description = optarg;
			break;
		case 'R':
			if (report_open(optarg))
				return EXIT_BAD_INPUT;
			break;
		case 'M':
			if (!strchr(optarg, '=')) {
				usage(stderr);
				return EXIT_BAD_INPUT;
			}
			modules = xrealloc(modules, (nr_modules + 1) * sizeof(*modules));
			modules[nr_modules++] = optarg;
			break;
		case 'U':
			patch.unanchored = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_BAD_INPUT;
		}
	}
	if (!who.id || !who.release || !out || optind == argc || (argc - optind) % 3) {
		usage(stderr);
		return EXIT_BAD_INPUT;
	}
	if (kernel_symbols_load(symvers, nr_symvers, system_map))
		return EXIT_BAD_INPUT;

	nr_units = (argc - optind) / 3;
	units = xcalloc(nr_units, sizeof(*units));
	for (size_t i = 0; i < nr_units; i++) {
		units[i].name = argv[optind + 3 * i];
		units[i].pre.path = argv[optind + 3 * i + 1];
		units[i].post.path = argv[optind + 3 * i + 2];
		if (open_module(&units[i], modules, nr_modules) || open_unit(&units[i]))
			return EXIT_BAD_INPUT;
	}
	patch.units = units;
	patch.nr_units = nr_units;
	for (size_t i = 0; i < nr_units; i++)
		if (extract_unit(&patch, &units[i]))
			return refused ? EXIT_REFUSED : EXIT_FAILED;

	/* A fix of hooks alone (set a value at apply, put it back at undo) is a patch. */
	if (!patch.nr_funcs && !patch.nr_hooks) {
		tell("nothing", "nothing to patch: no function's code changed");
		return EXIT_NOTHING;
	}
	explain_changes(&patch, units, nr_units);
	for (size_t i = 0; i < patch.nr_funcs; i++)
		found("replace", patch.funcs[i].name, patch.funcs[i].object, "%s",
		      patch.funcs[i].why);
	print_new_symbols(units, nr_units);

	snprintf(path, sizeof(path), "%s/patch.o", out);
	if (write_object(&patch, path))
		return EXIT_FAILED;
	snprintf(path, sizeof(path), "%s/meta.c", out);
	if (write_meta(&patch, path, &who))
		return EXIT_FAILED;
	for (size_t i = 0; i < nr_units; i++) {
		object_close(&units[i].pre);
		object_close(&units[i].post);
		if (units[i].module)
			object_close(&units[i].ko);
		fingerprint_table_free(&units[i].pre_fp);
		fingerprint_table_free(&units[i].post_fp);
	}
	return EXIT_OK;
}

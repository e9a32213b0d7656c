// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice_plugin.c - the fingerprint plugin: entry point and section.
 *
 * For each unit the plugin writes one non-allocated section,
 * .discard.ksplice.fingerprints, into the object file: what compiled it,
 * a fingerprint of every function's final code, where each function was
 * cloned from and what it inlines, a fingerprint of every data object
 * and of the layout of every struct the unit uses, and which functions
 * hand out the address of static read-only data (docs/fingerprints.md).
 * It travels with the object (ccache included) and the kernel's linker
 * scripts discard it, so patchgen can compare two builds by table.
 *
 * The top-level Makefile builds it with the compiler that will load it.
 * Use:
 *
 *   gcc -fplugin=ksplice_plugin.so -fplugin-arg-ksplice_plugin-version=<id>
 *
 * "version" names the plugin build (kbuild passes the plugin's own hash,
 * so a new plugin changes the command line and every object is rebuilt);
 * it is recorded, and pre and post objects must agree on it.
 */
#include "ksplice_plugin.h"
#include "plugin-version.h"	/* only here: it defines gcc_version */

int plugin_is_GPL_compatible;

static struct plugin_info ksplice_plugin_info = {
	.version = "2",
	.help = "version=<id>\tthe plugin build, recorded in every object\n"
#ifdef KSPLICE_SECTION_ANCHORS
		"anchor-order=<dir>\tlay anchor blocks out as <dir>/<source>.anchors lists\n"
#endif
		,
};

static const char *compiler_version;
static const char *plugin_version = "-";

/* PLUGIN_FINISH_UNIT: every function and variable is out. */
static void emit_fingerprint_section(void *gcc_data, void *user_data)
{
	if (!asm_out_file || seen_error())
		return;

	fputs("\t.pushsection " KSPLICE_FINGERPRINT_SECTION ",\"\",@progbits\n", asm_out_file);
	emit_unit_records(compiler_version, plugin_version);
	emit_code_records();
	emit_inline_graph_records();
	emit_data_records();	/* before types: data notes its types */
	emit_type_records();
	emit_escape_records();
	fputs("\t.popsection\n", asm_out_file);
}

int plugin_init(struct plugin_name_args *plugin_info,
		struct plugin_gcc_version *version)
{
	const char *plugin_name = plugin_info->base_name;
	bool bad_argument = false;
	int i;

	if (!plugin_default_version_check(version, &gcc_version)) {
		error("%s: built for GCC %s, loaded by GCC %s", plugin_name,
		      gcc_version.basever, version->basever);
		return 1;
	}
	compiler_version = version->basever;

	for (i = 0; i < plugin_info->argc; i++) {
		const char *key = plugin_info->argv[i].key;
		const char *value = plugin_info->argv[i].value;

		if (!strcmp(key, "version") && value && *value &&
		    !strpbrk(value, " \t\n")) {
			plugin_version = value;
			continue;
		}
#ifdef KSPLICE_SECTION_ANCHORS
		if (anchor_order_argument(key, value))
			continue;
#endif
		error("%s: bad plugin argument %qs", plugin_name, key);
		bad_argument = true;
	}
	if (bad_argument)
		return 1;

	register_callback(plugin_name, PLUGIN_INFO, NULL, &ksplice_plugin_info);
	code_fingerprints_init(plugin_name);
	inline_graph_init(plugin_name);
	type_layouts_init(plugin_name);
	escapes_init(plugin_name);
#ifdef KSPLICE_SECTION_ANCHORS
	anchor_order_init(plugin_name);
#endif
	register_callback(plugin_name, PLUGIN_FINISH_UNIT,
			  emit_fingerprint_section, NULL);
	return 0;
}

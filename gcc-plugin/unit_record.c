// SPDX-License-Identifier: GPL-2.0
/*
 * unit_record.c - the section's header: format version, compiler,
 * plugin, the code-generation flags and the unit's file name.
 *
 * Fingerprints compare only between objects built by the same cc1, the
 * same plugin and the same code-generation flags; patchgen refuses a
 * pair that differs in any of them and names the difference.
 */
#include "ksplice_plugin.h"

/*
 * Options GCC calls language-independent, target or optimisation options,
 * less those that only name files, dumps, diagnostics or debug info, and
 * the per-function sections `ksplice create` adds to the objects it
 * rebuilds (they change no instruction: docs/sections.md).
 */
static const char *const not_codegen[] = {
	"-fplugin", "-fdump", "-fdiagnostics", "-fmessage-length",
	"-fdebug-prefix-map", "-ffile-prefix-map", "-fmacro-prefix-map",
	"-ffunction-sections", "-fdata-sections", "-fstack-usage",
	"-fno-function-sections", "-fno-data-sections", "-frecord-gcc-switches",
	"-fverbose-asm", "-fcompare-debug", "-dump", "-aux", "-quiet", "-g",
	"-fvar-tracking", "-fno-var-tracking", "-fno-dwarf2-cfi-asm",
	"-fpreprocessed", "-o", "-i",	/* -imultiarch, -iplugindir: paths */
};

static bool is_codegen_option(const struct cl_decoded_option *option)
{
	const char *text = option->orig_option_with_args_text;
	unsigned flags;
	size_t i;

	if (option->opt_index >= cl_options_count || !text)
		return false;
	flags = cl_options[option->opt_index].flags;
	if (!(flags & (CL_COMMON | CL_TARGET | CL_OPTIMIZATION)) ||
	    (flags & CL_WARNING))
		return false;
	for (i = 0; i < ARRAY_SIZE(not_codegen); i++)
		if (!strncmp(text, not_codegen[i], strlen(not_codegen[i])))
			return false;
	return true;
}

void emit_unit_records(const char *compiler, const char *plugin_version)
{
	struct fingerprint fp;
	char *flags = xstrdup(""), *grown;
	unsigned i;

	fingerprint_init(&fp);
	for (i = 0; i < save_decoded_options_count; i++) {
		const struct cl_decoded_option *option = &save_decoded_options[i];

		if (!is_codegen_option(option))
			continue;
		hash_string(&fp, option->orig_option_with_args_text);
		grown = xasprintf("%s %s", flags, option->orig_option_with_args_text);
		free(flags);
		flags = grown;
	}

	emit_section_line(KSPLICE_FINGERPRINT_MAGIC " %d", KSPLICE_FINGERPRINT_FORMAT);
	emit_section_line("compiler %s", compiler);
	emit_section_line("plugin %s", plugin_version);
	emit_section_line("flags %016" PRIx64 "%s", fp.strict, flags);
	emit_section_line("unit %s", main_input_filename ? main_input_filename : "");
	free(flags);
}

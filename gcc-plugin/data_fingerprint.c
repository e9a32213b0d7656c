// SPDX-License-Identifier: GPL-2.0
/*
 * data_fingerprint.c - the "var" records: one hash per data object the
 * unit outputs (size, alignment, section, flags, initial value with the
 * symbols it refers to), so that patchgen can refuse "initial value of X
 * changed" by name instead of comparing bytes.
 *
 * __LINE__ in data: a value equal to the object's own source line (the
 * line its defining macro was expanded on, as with pr_debug's __dyndbg
 * descriptors) enters the strict hash only, like line immediates in code.
 */
#include "ksplice_plugin.h"

/*
 * The name patchgen pairs objects by across two builds: function-local
 * statics by owner and stem ("count.2" of f is "f/count"), __UNIQUE_ID_
 * names without their __COUNTER__ digits, everything else as is.
 */
static char *data_key(tree decl, const char *name)
{
	size_t len = strlen(name);

	if (is_function_local_static(decl))
		return xasprintf("%s/%s", symbol_without_star(decl_name_for_hash(
					  DECL_CONTEXT(decl))),
				 IDENTIFIER_POINTER(DECL_NAME(decl)));
	if (!strncmp(name, "__UNIQUE_ID_", 12))
		len -= trailing_digits(name, len);
	return xstrndup(name, len);
}

/*
 * The section the source asks for.  DECL_SECTION_NAME is no use: with
 * -fdata-sections GCC fills it in itself (".bss.count.1"), and the
 * objects `ksplice create` rebuilds have that flag.
 */
static const char *section_attribute(tree decl)
{
	tree attr = lookup_attribute("section", DECL_ATTRIBUTES(decl));

	if (!attr || !TREE_VALUE(attr) ||
	    TREE_CODE(TREE_VALUE(TREE_VALUE(attr))) != STRING_CST)
		return "";
	return TREE_STRING_POINTER(TREE_VALUE(TREE_VALUE(attr)));
}

static struct fingerprint data_fingerprint(tree decl)
{
	struct hash_walk walk;
	tree init = DECL_INITIAL(decl);

	fingerprint_init(&walk.fp);
	walk.label_numbers = NULL;
	walk.next_label_number = 0;
	walk.insn = NULL;
	walk.data_line = expand_location(DECL_SOURCE_LOCATION(decl)).line;

	hash_u64(&walk.fp, TAG_DATA);
	hash_u64(&walk.fp, tree_fits_uhwi_p(DECL_SIZE_UNIT(decl)) ?
		 tree_to_uhwi(DECL_SIZE_UNIT(decl)) : 0);
	hash_u64(&walk.fp, DECL_ALIGN(decl));
	hash_string(&walk.fp, section_attribute(decl));
	hash_u64(&walk.fp, TREE_READONLY(decl));
	hash_u64(&walk.fp, DECL_THREAD_LOCAL_P(decl));
	if (!init || init == error_mark_node)
		hash_u64(&walk.fp, TAG_NULL);	/* zero-filled */
	else
		hash_tree_constant(&walk, init, 0);
	return walk.fp;
}

void emit_data_records(void)
{
	struct string_list records = {};
	varpool_node *vnode;
	size_t i;

	FOR_EACH_VARIABLE(vnode) {
		tree decl = vnode->decl;
		const char *name;
		struct fingerprint fp;
		char *key;

		/* What went into this object; compiler-made constants (.LC,
		 * CSWTCH, __func__) are part of their users' code instead. */
		if (!vnode->definition || vnode->alias || DECL_EXTERNAL(decl) ||
		    !TREE_ASM_WRITTEN(decl) || DECL_ARTIFICIAL(decl))
			continue;
		name = symbol_without_star(IDENTIFIER_POINTER(DECL_ASSEMBLER_NAME(decl)));
		fp = data_fingerprint(decl);
		key = data_key(decl, name);
		string_list_add(&records, xasprintf("var %s %s %016" PRIx64 " %016" PRIx64,
						    name, key, fp.strict, fp.noline));
		free(key);
		note_type_used(TREE_TYPE(decl));
	}
	string_list_sort(&records);
	for (i = 0; i < records.nr; i++)
		emit_section_line("%s", records.items[i]);
	string_list_free(&records);
}

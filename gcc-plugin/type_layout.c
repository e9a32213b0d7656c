// SPDX-License-Identifier: GPL-2.0
/*
 * type_layout.c - the "type" records: one hash per struct or union the
 * unit's code or data uses, over its size, alignment and each field's
 * name, bit offset, bit size and type, so that patchgen can refuse
 * "layout of struct Y changed" by name.
 *
 * "Uses" means: named in a statement of a function the unit compiles
 * (walked right after the CFG is built, before any inlining or folding
 * can hide it), pointed to from such a name, the type of an output data
 * object, or embedded in a used type.  A struct only ever seen in
 * sizeof() leaves no trace; docs/fingerprints.md says so.
 *
 * Types are keyed by TYPE_UID, which GCC never reuses, so no tree pointer
 * is kept across garbage collections.
 */
#include "ksplice_plugin.h"

static hash_map<int_hash<int, -1, -2>, uint64_t> layout_hashes;
static struct string_list type_records;

static const char *record_kind(tree type)
{
	return TREE_CODE(type) == UNION_TYPE ? "union" : "struct";
}

static bool is_record(tree type)
{
	return TREE_CODE(type) == RECORD_TYPE || TREE_CODE(type) == UNION_TYPE;
}

/* The tag of a struct, or NULL if it has none. */
static const char *tag_name(tree type)
{
	tree name = TYPE_NAME(type);

	if (name && TREE_CODE(name) == TYPE_DECL)
		name = DECL_NAME(name);
	return name && TREE_CODE(name) == IDENTIFIER_NODE ?
	       IDENTIFIER_POINTER(name) : NULL;
}

static uint64_t layout_hash(tree type);

/* A field's type, as far as it decides the layout and the code's view. */
static void hash_field_type(struct fingerprint *fp, tree type, bool embedded)
{
	const char *name;

	if (!type) {
		hash_u64(fp, TAG_NULL);
		return;
	}
	hash_u64(fp, TREE_CODE(type));
	switch (TREE_CODE(type)) {
	case RECORD_TYPE:
	case UNION_TYPE:
		name = tag_name(TYPE_MAIN_VARIANT(type));
		hash_string(fp, name ? name : "");
		/* Embedded: its own layout is part of this one. */
		if (embedded)
			hash_u64(fp, layout_hash(TYPE_MAIN_VARIANT(type)));
		return;
	case POINTER_TYPE:
	case REFERENCE_TYPE:
		hash_field_type(fp, TREE_TYPE(type), false);
		return;
	case ARRAY_TYPE:
		hash_u64(fp, TYPE_SIZE(type) && tree_fits_uhwi_p(TYPE_SIZE(type)) ?
			 tree_to_uhwi(TYPE_SIZE(type)) : 0);
		hash_field_type(fp, TREE_TYPE(type), embedded);
		return;
	case FUNCTION_TYPE:
		return;
	default:
		hash_u64(fp, TYPE_PRECISION(type));
		hash_u64(fp, TYPE_UNSIGNED(type));
		return;
	}
}

/* Memoised by UID; embedding cannot be cyclic, pointers are not followed. */
static uint64_t layout_hash(tree type)
{
	struct fingerprint fp;
	uint64_t *known = layout_hashes.get(TYPE_UID(type));
	tree field;

	if (known)
		return *known;
	fingerprint_init(&fp);
	hash_u64(&fp, TAG_TYPE);
	hash_u64(&fp, TREE_CODE(type));
	hash_u64(&fp, COMPLETE_TYPE_P(type) && tree_fits_uhwi_p(TYPE_SIZE(type)) ?
		 tree_to_uhwi(TYPE_SIZE(type)) : 0);
	hash_u64(&fp, TYPE_ALIGN(type));
	for (field = TYPE_FIELDS(type); field; field = DECL_CHAIN(field)) {
		if (TREE_CODE(field) != FIELD_DECL)
			continue;
		hash_u64(&fp, TAG_FIELD);
		hash_string(&fp, DECL_NAME(field) ? IDENTIFIER_POINTER(DECL_NAME(field)) : "");
		hash_u64(&fp, tree_fits_shwi_p(bit_position(field)) ?
			 int_bit_position(field) : -1);
		hash_u64(&fp, DECL_SIZE(field) && tree_fits_uhwi_p(DECL_SIZE(field)) ?
			 tree_to_uhwi(DECL_SIZE(field)) : 0);
		hash_field_type(&fp, TREE_TYPE(field), true);
	}
	layout_hashes.put(TYPE_UID(type), fp.strict);
	return fp.strict;
}

static hash_set<int_hash<int, -1, -2>> noted;

/*
 * A use of TYPE: record the struct or union under it (through pointers
 * and arrays) and every struct or union embedded in that.
 */
void note_type_used(tree type)
{
	tree main;
	const char *name, *kind;
	tree field;

	while (type && (POINTER_TYPE_P(type) || TREE_CODE(type) == ARRAY_TYPE))
		type = TREE_TYPE(type);
	if (!type || !is_record(type))
		return;
	main = TYPE_MAIN_VARIANT(type);
	if (!COMPLETE_TYPE_P(main) || noted.add(TYPE_UID(main)))
		return;

	/* Unnamed structs are named by a typedef, or only inside others. */
	name = tag_name(main);
	kind = record_kind(main);
	if (!name && (name = tag_name(type)))
		kind = "typedef";
	if (name)
		string_list_add(&type_records, xasprintf("type %s %s %016" PRIx64,
							 kind, name, layout_hash(main)));
	for (field = TYPE_FIELDS(main); field; field = DECL_CHAIN(field)) {
		tree field_type = TREE_TYPE(field);

		while (field_type && TREE_CODE(field_type) == ARRAY_TYPE)
			field_type = TREE_TYPE(field_type);
		if (TREE_CODE(field) == FIELD_DECL && field_type && is_record(field_type))
			note_type_used(field_type);
	}
}

static tree note_operand_types(tree *operand, int *walk_subtrees, void *data)
{
	tree t = *operand;

	if (TYPE_P(t)) {
		*walk_subtrees = 0;
		return NULL_TREE;
	}
	if (TREE_CODE(t) == COMPONENT_REF && TREE_CODE(TREE_OPERAND(t, 1)) == FIELD_DECL)
		note_type_used(DECL_FIELD_CONTEXT(TREE_OPERAND(t, 1)));
	if ((EXPR_P(t) || DECL_P(t) || CONSTANT_CLASS_P(t)) && TREE_TYPE(t))
		note_type_used(TREE_TYPE(t));
	return NULL_TREE;
}

static void note_function_types(function *fun)
{
	struct walk_stmt_info info;
	basic_block bb;
	tree decl;
	unsigned i;

	for (decl = DECL_ARGUMENTS(fun->decl); decl; decl = DECL_CHAIN(decl))
		note_type_used(TREE_TYPE(decl));
	note_type_used(TREE_TYPE(TREE_TYPE(fun->decl)));
	FOR_EACH_LOCAL_DECL(fun, i, decl)
		note_type_used(TREE_TYPE(decl));

	memset(&info, 0, sizeof(info));
	FOR_EACH_BB_FN(bb, fun) {
		gimple_stmt_iterator gsi;

		for (gsi = gsi_start_bb(bb); !gsi_end_p(gsi); gsi_next(&gsi))
			walk_gimple_op(gsi_stmt(gsi), note_operand_types, &info);
	}
}

static const pass_data type_use_pass_data = {
	GIMPLE_PASS,		/* type */
	"ksplice_type_use",	/* name */
	OPTGROUP_NONE,		/* optinfo_flags */
	TV_NONE,		/* tv_id */
	PROP_cfg,		/* properties_required */
	0,			/* properties_provided */
	0,			/* properties_destroyed */
	0,			/* todo_flags_start */
	0,			/* todo_flags_finish */
};

class type_use_pass : public gimple_opt_pass {
public:
	type_use_pass(gcc::context *ctxt)
		: gimple_opt_pass(type_use_pass_data, ctxt)
	{
	}

	unsigned int execute(function *fun) override
	{
		note_function_types(fun);
		return 0;
	}
};

void type_layouts_init(const char *plugin_name)
{
	register_pass_next_to(plugin_name, new type_use_pass(g), "cfg",
			      PASS_POS_INSERT_AFTER);
}

/* Same name twice (block-scope struct tags) gives two records. */
void emit_type_records(void)
{
	size_t i;

	string_list_sort(&type_records);
	for (i = 0; i < type_records.nr; i++) {
		if (i && !strcmp(type_records.items[i], type_records.items[i - 1]))
			continue;
		emit_section_line("%s", type_records.items[i]);
	}
	string_list_free(&type_records);
}

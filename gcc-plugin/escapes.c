// SPDX-License-Identifier: GPL-2.0
/*
 * escapes.c - the "escape" records: which functions hand out the address
 * of a static read-only object, so that something outside the function
 * may keep it (an ops table given to a register call, a pointer stored
 * in a structure, an address returned).
 *
 * Why: when a fix changes such an object's contents, the patch carries a
 * new copy for the new code, but whoever was handed the old address
 * before the patch goes on reading the old contents.  patchgen refuses
 * that fix by name (docs/patchgen.md) instead of replacing the readers
 * it can see and calling the fix done.
 *
 * A GIMPLE pass after the last GIMPLE optimisation follows each address
 * through the SSA names it is copied into.  Reading through it (a load,
 * a store into the object, a comparison) keeps it in the function.  It
 * escapes when it is stored into memory, returned, given to an asm, or
 * passed to a call whose argument flags (a builtin's specification, or
 * the modref summary of a callee in this unit) do not say that the
 * callee neither keeps nor returns it, unless the callee is printf-like
 * and the argument is one it formats.  Other calls to other units are
 * not known, so they count as escapes: a refusal, never a missed reader.
 */
#include "ksplice_plugin.h"
#include "ssa.h"

/* What one walk is looking for: an object's address, or an SSA name. */
struct value_search {
	tree var;	/* the object whose address is the value, or NULL */
	tree name;	/* the SSA name holding it, or NULL */
	bool found;
};

static struct string_list escape_records;

/* Static read-only data this unit defines, outside the compiler's own. */
static bool is_tracked_object(tree decl)
{
	return VAR_P(decl) && TREE_STATIC(decl) && !TREE_PUBLIC(decl) &&
	       !DECL_EXTERNAL(decl) && TREE_READONLY(decl) &&
	       !DECL_ARTIFICIAL(decl);
}

/* The object an address (&x, &x.f[i], &MEM[&x + 8]) points into, or NULL. */
static tree address_base(tree addr)
{
	tree base = get_base_address(TREE_OPERAND(addr, 0));

	return base && VAR_P(base) ? base : NULL_TREE;
}

/* Is the address base of ADDR (&MEM[p + 8], &p->f) the SSA name NAME? */
static bool address_derived_from(tree addr, tree name)
{
	tree ref = TREE_OPERAND(addr, 0);

	while (handled_component_p(ref))
		ref = TREE_OPERAND(ref, 0);
	return (TREE_CODE(ref) == MEM_REF || TREE_CODE(ref) == TARGET_MEM_REF) &&
	       TREE_OPERAND(ref, 0) == name;
}

/*
 * walk_tree callback: the searched value appears as a value.  The base
 * of a memory reference is where the access goes, not a value passed
 * on, so memory references are not entered.
 */
static tree find_value(tree *tp, int *walk_subtrees, void *data)
{
	struct value_search *search = (struct value_search *)data;
	tree t = *tp;

	if (TREE_CODE(t) == ADDR_EXPR) {
		*walk_subtrees = 0;
		if ((search->var && address_base(t) == search->var) ||
		    (search->name && address_derived_from(t, search->name)))
			search->found = true;
	} else if (TREE_CODE(t) == MEM_REF || TREE_CODE(t) == TARGET_MEM_REF) {
		*walk_subtrees = 0;
	} else if (t == search->name) {
		search->found = true;
	}
	return search->found ? t : NULL_TREE;
}

static bool operand_carries(tree op, struct value_search *search)
{
	search->found = false;
	if (op)
		walk_tree_without_duplicates(&op, find_value, search);
	return search->found;
}

static bool escapes_through(gimple *stmt, struct value_search *search,
			    hash_set<tree> *visited);

/* Does the value now held in SSA name NAME escape? */
static bool escapes_from_name(tree name, hash_set<tree> *visited)
{
	struct value_search search = { NULL_TREE, name, false };
	imm_use_iterator iter;
	use_operand_p use;

	if (TREE_CODE(name) != SSA_NAME)
		return true;	/* stored into a variable: memory */
	if (visited->add(name))
		return false;	/* already being followed */
	FOR_EACH_IMM_USE_FAST(use, iter, name) {
		gimple *user = USE_STMT(use);

		if (!is_gimple_debug(user) && escapes_through(user, &search, visited))
			return true;
	}
	return false;
}

/*
 * The arguments (from 0) of a printf-like callee that it only formats:
 * the format string and those it checks against it.  printk, seq_printf,
 * snprintf and the like read a string argument while they run and keep
 * nothing.  UINT_MAX when the callee is not one.
 */
static unsigned int first_formatted_argument(gcall *call, unsigned int *format)
{
	tree type = gimple_call_fntype(call);
	tree attr = type ? lookup_attribute("format", TYPE_ATTRIBUTES(type)) : NULL_TREE;
	tree args;

	*format = UINT_MAX;
	if (!attr || !TREE_VALUE(attr))
		return UINT_MAX;
	args = TREE_CHAIN(TREE_VALUE(attr));	/* past the archetype */
	if (!args || !TREE_CHAIN(args) || !tree_fits_uhwi_p(TREE_VALUE(args)) ||
	    !tree_fits_uhwi_p(TREE_VALUE(TREE_CHAIN(args))))
		return UINT_MAX;
	*format = tree_to_uhwi(TREE_VALUE(args)) - 1;
	if (!tree_to_uhwi(TREE_VALUE(TREE_CHAIN(args))))
		return UINT_MAX;	/* a va_list: what is in it is not seen here */
	return tree_to_uhwi(TREE_VALUE(TREE_CHAIN(args))) - 1;
}

/* A call's argument carries the value: may the callee keep it? */
static bool escapes_into_call(gcall *call, struct value_search *search,
			      hash_set<tree> *visited)
{
	unsigned int i, format, formatted = first_formatted_argument(call, &format);

	for (i = 0; i < gimple_call_num_args(call); i++) {
		int flags;

		if (!operand_carries(gimple_call_arg(call, i), search) ||
		    i == format || i >= formatted)
			continue;
		flags = gimple_call_arg_flags(call, i);
		if (flags & EAF_UNUSED)
			continue;
		if (!(flags & EAF_NO_DIRECT_ESCAPE))
			return true;
		if (!(flags & EAF_NOT_RETURNED_DIRECTLY) && gimple_call_lhs(call) &&
		    escapes_from_name(gimple_call_lhs(call), visited))
			return true;
	}
	return false;
}

/* STMT uses the searched value: does that let it escape? */
static bool escapes_through(gimple *stmt, struct value_search *search,
			    hash_set<tree> *visited)
{
	unsigned int i;
	bool carried = false;

	switch (gimple_code(stmt)) {
	case GIMPLE_CALL:
		return escapes_into_call(as_a<gcall *>(stmt), search, visited);
	case GIMPLE_ASSIGN:
		for (i = 1; i < gimple_num_ops(stmt) && !carried; i++)
			carried = operand_carries(gimple_op(stmt, i), search);
		if (!carried ||
		    TREE_CODE_CLASS(gimple_assign_rhs_code(stmt)) == tcc_comparison)
			return false;
		return escapes_from_name(gimple_assign_lhs(stmt), visited);
	case GIMPLE_PHI:
		for (i = 0; i < gimple_phi_num_args(stmt) && !carried; i++)
			carried = operand_carries(gimple_phi_arg_def(stmt, i), search);
		return carried && escapes_from_name(gimple_phi_result(stmt), visited);
	case GIMPLE_COND:
	case GIMPLE_SWITCH:
	case GIMPLE_LABEL:
	case GIMPLE_NOP:
	case GIMPLE_PREDICT:
		return false;
	default:	/* return, asm, and whatever else: it leaves */
		for (i = 0; i < gimple_num_ops(stmt) && !carried; i++)
			carried = operand_carries(gimple_op(stmt, i), search);
		return carried;
	}
}

static void note_escape(const char *function, tree var, hash_set<tree> *noted)
{
	if (noted->add(var))
		return;
	string_list_add(&escape_records, xasprintf("escape %s %s", function,
						   symbol_without_star(IDENTIFIER_POINTER(
							   DECL_ASSEMBLER_NAME(var)))));
}

/* Collect the tracked objects whose address appears in STMT. */
static tree collect_address(tree *tp, int *walk_subtrees, void *data)
{
	hash_set<tree> *vars = (hash_set<tree> *)data;
	tree base;

	if (TREE_CODE(*tp) != ADDR_EXPR)
		return NULL_TREE;
	base = address_base(*tp);
	if (base && is_tracked_object(base))
		vars->add(base);
	return NULL_TREE;
}

static void find_escapes(function *fun)
{
	const char *function = symbol_without_star(IDENTIFIER_POINTER(
		DECL_ASSEMBLER_NAME(fun->decl)));
	hash_set<tree> noted;
	basic_block bb;

	FOR_EACH_BB_FN(bb, fun) {
		gimple_stmt_iterator gsi;

		for (gsi = gsi_start_phis(bb); !gsi_end_p(gsi); gsi_next(&gsi)) {
			gimple *stmt = gsi_stmt(gsi);
			hash_set<tree> vars;
			unsigned int i;

			for (i = 0; i < gimple_phi_num_args(stmt); i++) {
				tree arg = gimple_phi_arg_def(stmt, i);

				walk_tree_without_duplicates(&arg, collect_address, &vars);
			}
			for (hash_set<tree>::iterator v = vars.begin(); v != vars.end(); ++v) {
				struct value_search search = { *v, NULL_TREE, false };
				hash_set<tree> visited;

				if (escapes_through(stmt, &search, &visited))
					note_escape(function, *v, &noted);
			}
		}
		for (gsi = gsi_start_bb(bb); !gsi_end_p(gsi); gsi_next(&gsi)) {
			gimple *stmt = gsi_stmt(gsi);
			hash_set<tree> vars;
			unsigned int i;

			if (is_gimple_debug(stmt))
				continue;
			for (i = 0; i < gimple_num_ops(stmt); i++)
				if (gimple_op(stmt, i))
					walk_tree_without_duplicates(gimple_op_ptr(stmt, i),
								     collect_address, &vars);
			for (hash_set<tree>::iterator v = vars.begin(); v != vars.end(); ++v) {
				struct value_search search = { *v, NULL_TREE, false };
				hash_set<tree> visited;

				if (escapes_through(stmt, &search, &visited))
					note_escape(function, *v, &noted);
			}
		}
	}
}

static const pass_data escapes_pass_data = {
	GIMPLE_PASS,		/* type */
	"ksplice_escapes",	/* name */
	OPTGROUP_NONE,		/* optinfo_flags */
	TV_NONE,		/* tv_id */
	PROP_cfg | PROP_ssa,	/* properties_required */
	0,			/* properties_provided */
	0,			/* properties_destroyed */
	0,			/* todo_flags_start */
	0,			/* todo_flags_finish */
};

class escapes_pass : public gimple_opt_pass {
public:
	escapes_pass(gcc::context *ctxt)
		: gimple_opt_pass(escapes_pass_data, ctxt)
	{
	}

	unsigned int execute(function *fun) override
	{
		find_escapes(fun);
		return 0;
	}
};

void escapes_init(const char *plugin_name)
{
	/* "optimized" is the last GIMPLE pass: what is left goes to RTL. */
	register_pass_next_to(plugin_name, new escapes_pass(g), "optimized",
			      PASS_POS_INSERT_AFTER);
}

/*
 * A function whose RTL was never output (removed after this pass) has
 * no "fn" record; its escapes say nothing about the object file.
 */
void emit_escape_records(void)
{
	size_t i;

	string_list_sort(&escape_records);
	for (i = 0; i < escape_records.nr; i++) {
		char *name = escape_records.items[i] + strlen("escape ");
		size_t len = strcspn(name, " ");
		char *function = xstrndup(name, len);

		if (is_fingerprinted_function(function))
			emit_section_line("%s", escape_records.items[i]);
		free(function);
	}
	string_list_free(&escape_records);
}

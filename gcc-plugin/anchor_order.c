// SPDX-License-Identifier: GPL-2.0
/*
 * anchor_order.c - lays out a unit's anchor blocks as another build of it
 * did.
 *
 * GCC places an object in its section's block when a function first
 * uses it, so a block's layout follows the order in which the unit's
 * functions first use its statics: a fix that reads a static in an
 * earlier function moves it, and those after it, and functions that
 * reach them from the anchor look changed.  `ksplice create` therefore
 * builds the objects it fingerprints with
 * -fplugin-arg-ksplice_plugin-anchor-order=DIR, where DIR/<source>.anchors
 * names the pre build's data objects in the order they lie in it.
 *
 * The pre build placed them in that order, each block growing as its
 * functions were expanded, and code generation reads a block's size as
 * it stands (whether an offset stays inside it): placing the list up
 * front changes the code of some functions.  So the blocks grow as they
 * did: a function that goes on with the next objects of the list is left
 * to GCC, which places them as it expands it, as in the pre build; for
 * one that skips some (the fix uses an object earlier, or no longer uses
 * one), the list is placed up to the last object it uses, and for one
 * that uses an object the list does not name (one the fix adds), all of
 * the list, so that new objects go after the old ones.  The kernel's own
 * build passes no such argument.
 */
#include "ksplice_plugin.h"

#ifdef KSPLICE_SECTION_ANCHORS	/* the whole file: see ksplice_plugin.h */

#include "varasm.h"		/* make_decl_rtl(), which DECL_RTL() calls */

static const char *order_dir;
static vec<char *> order;		/* the pre build's objects, by section */
static hash_map<nofree_string_hash, unsigned> *order_index;
static vec<rtx> order_symbols;		/* each one's symbol here, or NULL */

bool anchor_order_argument(const char *key, const char *value)
{
	if (strcmp(key, "anchor-order") || !value || !*value)
		return false;
	order_dir = value;
	return true;
}

/* DECL's symbol, if DECL is defined here and goes into a block. */
static rtx block_symbol(tree decl)
{
	varpool_node *var = varpool_node::get(decl);
	rtx rtl, symbol;

	if (!var || !var->definition || var->alias || DECL_EXTERNAL(decl) ||
	    DECL_HARD_REGISTER(decl))
		return NULL_RTX;
	rtl = DECL_RTL(decl);
	if (!MEM_P(rtl))
		return NULL_RTX;
	symbol = XEXP(rtl, 0);
	if (GET_CODE(symbol) != SYMBOL_REF || !SYMBOL_REF_HAS_BLOCK_INFO_P(symbol) ||
	    !SYMBOL_REF_BLOCK(symbol))
		return NULL_RTX;
	return symbol;
}

static bool is_placed(rtx symbol)
{
	return !symbol || SYMBOL_REF_BLOCK_OFFSET(symbol) >= 0;
}

/* Places what is left of BLOCK's listed objects in order[from, end). */
static void place_range(struct object_block *block, unsigned from, unsigned end)
{
	for (; from < end && from < order.length(); from++) {
		rtx symbol = order_symbols[from];

		if (!is_placed(symbol) && SYMBOL_REF_BLOCK(symbol) == block)
			place_block_symbol(symbol);
	}
}

/* PLUGIN_ALL_IPA_PASSES_END: the list, before any function is expanded. */
static void read_order(void *gcc_data, void *user_data)
{
	char *path, line[4096];
	FILE *list;

	if (!order_dir || !main_input_filename || seen_error())
		return;
	path = concat(order_dir, "/", main_input_filename, ".anchors", NULL);
	list = fopen(path, "r");
	free(path);
	if (!list)
		return;		/* not an object the fix rebuilds */
	order_index = new hash_map<nofree_string_hash, unsigned>();
	while (fgets(line, sizeof(line), list)) {
		line[strcspn(line, "\n")] = '\0';
		if (!*line || order_index->get(line))
			continue;
		order.safe_push(xstrdup(line));
		order_index->put(order.last(), order.length() - 1);
	}
	fclose(list);
}

/* The symbols of the listed names this unit still defines in a block. */
static void find_order_symbols(void)
{
	unsigned i;

	for (i = 0; i < order.length(); i++) {
		symtab_node *node = symtab_node::get_for_asmname(get_identifier(order[i]));
		varpool_node *var = node ? dyn_cast<varpool_node *>(node) : NULL;

		order_symbols.safe_push(var ? block_symbol(var->decl) : NULL_RTX);
	}
}

/* What a function uses of one block that is not placed yet. */
struct block_uses {
	struct object_block *block;
	unsigned max;		/* the last listed one */
	bool unlisted;		/* an object the list does not name */
};

struct uses {
	vec<block_uses> blocks;
	hash_set<tree> seen;
};

static struct block_uses *uses_of(struct uses *uses, struct object_block *block)
{
	struct block_uses fresh = { block, 0, false };
	unsigned i;

	for (i = 0; i < uses->blocks.length(); i++)
		if (uses->blocks[i].block == block)
			return &uses->blocks[i];
	uses->blocks.safe_push(fresh);
	return &uses->blocks.last();
}

static tree note_use(tree *tp, int *walk_subtrees, void *data)
{
	struct walk_stmt_info *info = (struct walk_stmt_info *)data;
	struct uses *uses = (struct uses *)info->info;
	struct block_uses *in;
	tree decl = *tp;
	rtx symbol;
	unsigned *index;

	if (TYPE_P(decl)) {
		*walk_subtrees = 0;
		return NULL_TREE;
	}
	if (TREE_CODE(decl) != VAR_DECL || !(TREE_STATIC(decl) || DECL_EXTERNAL(decl)) ||
	    uses->seen.add(decl))
		return NULL_TREE;
	symbol = block_symbol(decl);
	/* Neither listed nor new: constants, and empty objects (anchors.c). */
	if (is_placed(symbol) || TREE_CONSTANT_POOL_ADDRESS_P(symbol) || *XSTR(symbol, 0) == '*' ||
	    !DECL_SIZE_UNIT(decl) || integer_zerop(DECL_SIZE_UNIT(decl)))
		return NULL_TREE;
	in = uses_of(uses, SYMBOL_REF_BLOCK(symbol));
	index = order_index->get(symbol_without_star(XSTR(symbol, 0)));
	if (!index) {
		in->unlisted = true;
		return NULL_TREE;
	}
	in->max = MAX(in->max, *index);
	return NULL_TREE;
}

/*
 * Before FUN is expanded, for each block it uses objects of that are not
 * placed yet.  Where it goes on from where the pre build's placement
 * stands, with the block's next listed objects, GCC places them as it
 * expands FUN, as it did there; otherwise the block's listed objects are
 * placed first up to the last of them, and before an object the list
 * does not name, all of them.
 */
static void place_for_function(function *fun)
{
	struct walk_stmt_info info;
	struct uses uses;
	basic_block bb;
	unsigned i, j;

	if (!order_symbols.length() && order.length())
		find_order_symbols();
	uses.blocks = vNULL;
	memset(&info, 0, sizeof(info));
	info.info = &uses;
	FOR_EACH_BB_FN(bb, fun) {
		gimple_stmt_iterator gsi;

		for (gsi = gsi_start_bb(bb); !gsi_end_p(gsi); gsi_next(&gsi))
			if (!is_gimple_debug(gsi_stmt(gsi)))	/* never placed */
				walk_gimple_op(gsi_stmt(gsi), note_use, &info);
	}
	for (i = 0; i < uses.blocks.length(); i++) {
		struct block_uses *in = &uses.blocks[i];
		bool in_step = true;

		if (in->unlisted) {
			place_range(in->block, 0, order.length());
			continue;
		}
		/* Unplaced objects of the block listed before its first, or
		 * between, that the function does not use. */
		for (j = 0; j < in->max && in_step; j++) {
			rtx symbol = order_symbols[j];

			if (!is_placed(symbol) && SYMBOL_REF_BLOCK(symbol) == in->block &&
			    !uses.seen.contains(SYMBOL_REF_DECL(symbol)))
				in_step = false;
		}
		if (!in_step)
			place_range(in->block, 0, in->max + 1);
	}
	uses.blocks.release();
}

static const pass_data anchor_order_pass_data = {
	GIMPLE_PASS,		/* type */
	"ksplice_anchor_order",	/* name */
	OPTGROUP_NONE,		/* optinfo_flags */
	TV_NONE,		/* tv_id */
	PROP_cfg,		/* properties_required */
	0,			/* properties_provided */
	0,			/* properties_destroyed */
	0,			/* todo_flags_start */
	0,			/* todo_flags_finish */
};

class anchor_order_pass : public gimple_opt_pass {
public:
	anchor_order_pass(gcc::context *ctxt)
		: gimple_opt_pass(anchor_order_pass_data, ctxt)
	{
	}

	bool gate(function *fun) override
	{
		return order_index != NULL;
	}

	unsigned int execute(function *fun) override
	{
		place_for_function(fun);
		return 0;
	}
};

void anchor_order_init(const char *plugin_name)
{
	register_callback(plugin_name, PLUGIN_ALL_IPA_PASSES_END, read_order, NULL);
	/* The last GIMPLE pass, right before expand. */
	register_pass_next_to(plugin_name, new anchor_order_pass(g), "optimized",
			      PASS_POS_INSERT_AFTER);
}

#endif

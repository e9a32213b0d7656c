// SPDX-License-Identifier: GPL-2.0
/*
 * anchor_order.c - lays out a unit's anchor blocks as another build of it
 * did.
 *
 * GCC places an object in its section's block when a function first
 * uses it, so the blocks' layout follows the order in which the unit's
 * functions first use its statics: a fix that reads a static in an
 * earlier function moves it, and those after it, in the block.  A
 * function that keeps an anchor's address in a register across a loop
 * or a join hashes the block's layout (anchors.c), and looks changed.
 * `ksplice create` therefore builds the objects it fingerprints with
 * -fplugin-arg-ksplice_plugin-anchor-order=DIR: DIR/<source>.anchors
 * names the pre build's data objects in the order they lie in it, and
 * before the first function is expanded each one this unit still
 * defines is placed in its block in that order.  Objects the fix adds
 * follow, at their first use, as before.  The kernel's own build passes
 * no such argument and is laid out as GCC would.
 */
#include "ksplice_plugin.h"

#ifdef KSPLICE_SECTION_ANCHORS	/* the whole file: see ksplice_plugin.h */

#include "varasm.h"		/* make_decl_rtl(), which DECL_RTL() calls */

static const char *order_dir;

bool anchor_order_argument(const char *key, const char *value)
{
	if (strcmp(key, "anchor-order") || !value || !*value)
		return false;
	order_dir = value;
	return true;
}

/* The symbol of NAME's definition here, if it goes into a block. */
static rtx block_symbol_named(const char *name)
{
	symtab_node *node = symtab_node::get_for_asmname(get_identifier(name));
	varpool_node *var = node ? dyn_cast<varpool_node *>(node) : NULL;
	rtx rtl, symbol;

	if (!var || !var->definition || var->alias || DECL_EXTERNAL(var->decl) ||
	    DECL_HARD_REGISTER(var->decl))
		return NULL_RTX;
	rtl = DECL_RTL(var->decl);
	if (!MEM_P(rtl))
		return NULL_RTX;
	symbol = XEXP(rtl, 0);
	if (GET_CODE(symbol) != SYMBOL_REF || !SYMBOL_REF_HAS_BLOCK_INFO_P(symbol) ||
	    !SYMBOL_REF_BLOCK(symbol))
		return NULL_RTX;
	return symbol;
}

/* PLUGIN_ALL_IPA_PASSES_END: no function has been expanded yet. */
static void place_in_order(void *gcc_data, void *user_data)
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
	while (fgets(line, sizeof(line), list)) {
		rtx symbol;

		line[strcspn(line, "\n")] = '\0';
		symbol = *line ? block_symbol_named(line) : NULL_RTX;
		if (symbol)
			place_block_symbol(symbol);
	}
	fclose(list);
}

void anchor_order_init(const char *plugin_name)
{
	register_callback(plugin_name, PLUGIN_ALL_IPA_PASSES_END, place_in_order, NULL);
}

#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * anchors.c - references through section anchors, hashed as the objects
 * they reach.
 *
 * On arm64 GCC places a unit's static data in blocks, one per section,
 * and addresses it from an anchor: ".LANCHOR<N>" plus an offset.  The
 * anchor's number and the offsets depend on the order in which the unit's
 * functions first used each object, so hashing them as written makes an
 * unrelated change to the file look like a change to every function that
 * reads a static, and, worse, lets a changed function hash as before when
 * the new layout happens to put the object it now reads where the old
 * one was (a switch table's new contents went unseen that way).
 *
 * A direct use, the address of a load or store, reaches exactly one
 * object: it hashes as that object plus an offset into it, as a named
 * reference would; the page of an address ("adrp") hashes as an anchor's,
 * its LO_SUM saying which.  An anchor's address taken into a register
 * hashes as an anchor where anchor_regs.c could tell what every read of
 * it reaches (those reads then hash as the objects), and otherwise as the
 * block's layout relative to it, every object and where it sits: from
 * there any object of the block is in reach.
 */
#include "ksplice_plugin.h"

#ifdef KSPLICE_SECTION_ANCHORS	/* the whole file: see ksplice_plugin.h */

/* The bytes OBJECT (a symbol placed in a block) takes there, or -1. */
static HOST_WIDE_INT block_object_size(const_rtx object)
{
	tree decl = SYMBOL_REF_DECL(object);

	if (CONSTANT_POOL_ADDRESS_P(object))
		return GET_MODE_SIZE(get_pool_mode(object));	/* fixed-size */
	if (!decl)
		return -1;
	if (TREE_CONSTANT_POOL_ADDRESS_P(object)) {
		if (DECL_P(decl))
			decl = DECL_INITIAL(decl);
		if (!decl)
			return -1;
		if (TREE_CODE(decl) == STRING_CST)
			return MAX(TREE_STRING_LENGTH(decl),
				   int_size_in_bytes(TREE_TYPE(decl)));
		return int_size_in_bytes(TREE_TYPE(decl));
	}
	if (!DECL_P(decl) || !DECL_SIZE_UNIT(decl) ||
	    !tree_fits_shwi_p(DECL_SIZE_UNIT(decl)))
		return -1;
	return tree_to_shwi(DECL_SIZE_UNIT(decl));
}

/*
 * The object of BLOCK that holds byte POSITION, or else the one that ends
 * there (a pointer just past an array), or NULL.  Empty objects (a lock
 * class key without lockdep) hold no byte, and GCC places them where the
 * next object starts, before or after it as the functions happen to use
 * them: they are left out, here and in a block's layout.
 */
rtx anchor_block_object_at(struct object_block *block, HOST_WIDE_INT position)
{
	rtx object, ending_here = NULL_RTX;
	unsigned i;

	FOR_EACH_VEC_SAFE_ELT(block->objects, i, object) {
		HOST_WIDE_INT start = SYMBOL_REF_BLOCK_OFFSET(object);
		HOST_WIDE_INT size = block_object_size(object);

		if (start < 0 || size <= 0)
			continue;
		if (position >= start && position < start + size)
			return object;
		if (position == start + size)
			ending_here = object;
	}
	return ending_here;
}

/*
 * Every object of BLOCK and its offset from POSITION, in block order.  In
 * code, at the end of the unit (walk->layouts): while functions are
 * compiled the block holds the objects the ones before used, which
 * depends on their order, and a build that lays the block out beforehand
 * (anchor_order.c) holds them all.
 */
static void hash_block_layout(struct hash_walk *walk, struct object_block *block,
			      HOST_WIDE_INT position, hash_object_fn hash_object)
{
	rtx object;
	unsigned i;

	hash_u64(&walk->fp, TAG_ANCHOR_BLOCK);
	if (walk->layouts) {
		struct pending_layout later = { block, position, false };

		walk->layouts->safe_push(later);
		return;
	}
	FOR_EACH_VEC_SAFE_ELT(block->objects, i, object) {
		if (!block_object_size(object))
			continue;
		hash_u64(&walk->fp, SYMBOL_REF_BLOCK_OFFSET(object) - position);
		hash_u64(&walk->fp, block_object_size(object));
		hash_object(walk, object);
	}
	hash_u64(&walk->fp, TAG_NULL);
}

/*
 * The object at POSITION of BLOCK (there is one), and the offset into it.
 * In code, at the end of the unit too: a position where one object ends
 * and the next begins is the next one's once that is placed.
 */
void hash_anchored_object(struct hash_walk *walk, struct object_block *block,
			  HOST_WIDE_INT position, hash_object_fn hash_object)
{
	rtx object;

	hash_u64(&walk->fp, TAG_ANCHORED_OBJECT);
	if (walk->layouts) {
		struct pending_layout later = { block, position, true };

		walk->layouts->safe_push(later);
		return;
	}
	object = anchor_block_object_at(block, position);
	hash_object(walk, object);
	hash_u64(&walk->fp, position - SYMBOL_REF_BLOCK_OFFSET(object));
}

/* What a function's walk left for the end of the unit, in its order. */
void hash_pending_layouts(struct hash_walk *walk, const vec<pending_layout> &layouts,
			  hash_object_fn hash_object)
{
	unsigned i;

	walk->layouts = NULL;
	for (i = 0; i < layouts.length(); i++) {
		if (layouts[i].object_only)
			hash_anchored_object(walk, layouts[i].block, layouts[i].position,
					     hash_object);
		else
			hash_block_layout(walk, layouts[i].block, layouts[i].position,
					  hash_object);
	}
}

/*
 * X is an anchor ("(symbol_ref .LANCHOR<N>)") or an anchor plus a
 * constant: its block and the position it stands for there, and true.
 */
bool anchor_address(const_rtx x, struct object_block **block, HOST_WIDE_INT *position)
{
	HOST_WIDE_INT offset = 0;

	if (GET_CODE(x) == CONST)
		x = XEXP(x, 0);
	if (GET_CODE(x) == PLUS && CONST_INT_P(XEXP(x, 1))) {
		offset = INTVAL(XEXP(x, 1));
		x = XEXP(x, 0);
	}
	if (GET_CODE(x) != SYMBOL_REF || !SYMBOL_REF_HAS_BLOCK_INFO_P(x) ||
	    !SYMBOL_REF_ANCHOR_P(x) || !SYMBOL_REF_BLOCK(x))
		return false;
	*block = SYMBOL_REF_BLOCK(x);
	*position = SYMBOL_REF_BLOCK_OFFSET(x) + offset;
	return true;
}

/*
 * X is an anchor ("(symbol_ref .LANCHOR<N>)") or an anchor plus a
 * constant; hash it as described above, each object by HASH_OBJECT, and
 * say true, or say false for anything else.
 */
bool hash_anchor_reference(struct hash_walk *walk, const_rtx x,
			   hash_object_fn hash_object)
{
	HOST_WIDE_INT position;
	struct object_block *block;

	if (!anchor_address(x, &block, &position))
		return false;
	if (walk->in_high) {
		/* A page ("adrp"): the LO_SUM paired with it, which GCC
		 * writes with the same anchor and offset, says the rest. */
		hash_u64(&walk->fp, TAG_ANCHOR_BLOCK);
		return true;
	}
	if (!walk->in_address) {
		enum anchor_root root = anchor_regs_root_at(walk->anchor_regs, walk->insn);

		if (root == ANCHOR_ROOT_UNRESOLVED) {
			hash_block_layout(walk, block, position, hash_object);
			return true;
		}
		/* Its reads say what it reaches; the address itself, if
		 * handed on as it is, is the object there. */
		hash_u64(&walk->fp, TAG_ANCHOR_BLOCK);
		if (root == ANCHOR_ROOT_RESOLVED)
			return true;
	}
	if (!anchor_block_object_at(block, position)) {
		hash_block_layout(walk, block, position, hash_object);
		return true;
	}
	hash_anchored_object(walk, block, position, hash_object);
	return true;
}

#endif

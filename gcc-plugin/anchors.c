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
 * its LO_SUM saying which.  An anchor's address taken
 * into a register ("add x19, x19, :lo12:.LANCHOR1") reaches the objects
 * that later instructions add their offsets to it for: "add x0, x19, 8"
 * is misc_format, "ldr w1, [x19, 48]" a field of bm_fs_type.  Where every
 * read of the register, and of registers derived from it by adding a
 * constant, is such a load, store or addition, or hands the address on
 * (a call's argument, a store of it, a return), each hashes as the object
 * it reaches, and the anchor as an anchor.  Registers are followed only
 * in a straight run of insns, to where they are set again (or a call
 * loses them, or the function returns); one still live at a label or a
 * jump, or read in any other way, may reach any object of the block:
 * the anchor then hashes as the block's layout relative to it, every
 * object and where it sits.
 */
#include "ksplice_plugin.h"

#ifdef KSPLICE_SECTION_ANCHORS	/* the whole file: see ksplice_plugin.h */

#include "regs.h"
#include "function-abi.h"

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
 * there (a pointer just past an array), or NULL.
 */
static rtx block_object_at(struct object_block *block, HOST_WIDE_INT position)
{
	rtx object, ending_here = NULL_RTX;
	unsigned i;

	FOR_EACH_VEC_SAFE_ELT(block->objects, i, object) {
		HOST_WIDE_INT start = SYMBOL_REF_BLOCK_OFFSET(object);
		HOST_WIDE_INT size = block_object_size(object);

		if (start < 0 || size < 0)
			continue;
		if (position >= start && position < start + size)
			return object;
		if (position == start + size)
			ending_here = object;
	}
	return ending_here;
}

/* Every object of BLOCK and its offset from POSITION, in block order. */
static void hash_block_layout(struct hash_walk *walk, struct object_block *block,
			      HOST_WIDE_INT position, hash_object_fn hash_object)
{
	rtx object;
	unsigned i;

	hash_u64(&walk->fp, TAG_ANCHOR_BLOCK);
	FOR_EACH_VEC_SAFE_ELT(block->objects, i, object) {
		hash_u64(&walk->fp, SYMBOL_REF_BLOCK_OFFSET(object) - position);
		hash_u64(&walk->fp, block_object_size(object));
		hash_object(walk, object);
	}
	hash_u64(&walk->fp, TAG_NULL);
}

static void hash_object_at(struct hash_walk *walk, const_rtx object,
			   HOST_WIDE_INT position, hash_object_fn hash_object)
{
	hash_u64(&walk->fp, TAG_ANCHORED_OBJECT);
	hash_object(walk, object);
	hash_u64(&walk->fp, position - SYMBOL_REF_BLOCK_OFFSET(object));
}

/* An anchor's address taken into a register: can its reads be told? */
struct anchor_root {
	bool resolved;		/* every read reaches a known object */
	bool address_used;	/* the register itself is handed on */
};

/* A hard register that holds an anchor's address plus a constant. */
struct anchor_reg {
	bool live;
	bool derived;		/* set from another such register: hashed there */
	unsigned root;		/* index in roots of the anchor it came from */
	struct object_block *block;
	HOST_WIDE_INT position;	/* in the block */
};

struct anchor_regs {
	bool analysing;		/* first pass: finds which roots resolve */
	struct anchor_reg regs[FIRST_PSEUDO_REGISTER];
	vec<anchor_root> roots;	/* in the order of their insns */
	unsigned next_root;	/* second pass: the next root's index */
};

/* An insn that takes an anchor's address into a register: its block,
 * position and register, or false. */
static bool anchor_root_insn(rtx_insn *insn, struct object_block **block,
			     HOST_WIDE_INT *position, unsigned *regno)
{
	rtx set = single_set(insn), src;
	HOST_WIDE_INT offset = 0;

	if (!set || !REG_P(SET_DEST(set)) || !HARD_REGISTER_P(SET_DEST(set)))
		return false;
	src = SET_SRC(set);
	if (GET_CODE(src) == LO_SUM)
		src = XEXP(src, 1);
	if (GET_CODE(src) == CONST)
		src = XEXP(src, 0);
	if (GET_CODE(src) == PLUS && CONST_INT_P(XEXP(src, 1))) {
		offset = INTVAL(XEXP(src, 1));
		src = XEXP(src, 0);
	}
	if (GET_CODE(src) != SYMBOL_REF || !SYMBOL_REF_HAS_BLOCK_INFO_P(src) ||
	    !SYMBOL_REF_ANCHOR_P(src) || !SYMBOL_REF_BLOCK(src))
		return false;
	*block = SYMBOL_REF_BLOCK(src);
	*position = SYMBOL_REF_BLOCK_OFFSET(src) + offset;
	*regno = REGNO(SET_DEST(set));
	return true;
}

/* The tracked register X, or (plus X (const_int C)): its entry and C. */
static struct anchor_reg *tracked_reg(struct anchor_regs *s, const_rtx x,
				      HOST_WIDE_INT *offset)
{
	*offset = 0;
	if (GET_CODE(x) == PLUS && CONST_INT_P(XEXP(x, 1))) {
		*offset = INTVAL(XEXP(x, 1));
		x = XEXP(x, 0);
	}
	if (!s || !REG_P(x) || !HARD_REGISTER_P(x) || !s->regs[REGNO(x)].live ||
	    GET_MODE(x) != Pmode)
		return NULL;
	return &s->regs[REGNO(x)];
}

static void unresolved(struct anchor_regs *s, const struct anchor_reg *reg)
{
	s->roots[reg->root].resolved = false;
}

/* An address in the stack frame. */
static bool stack_address(const_rtx address)
{
	return reg_mentioned_p(stack_pointer_rtx, address) ||
	       reg_mentioned_p(hard_frame_pointer_rtx, address) ||
	       reg_mentioned_p(frame_pointer_rtx, address);
}

/* Where a read sits, for what it may be. */
enum read_context {
	READ_OTHER,		/* any other computation: not followed */
	READ_ADDRESS,		/* a MEM's address */
	READ_COPY,		/* the source of a set of a register */
	READ_STORED,		/* the source of a store to memory */
};

/*
 * First pass: every read of a tracked register in X, in CONTEXT, that is
 * not a load or store at a constant offset, an addition of a constant
 * into a register, a copy, or the address stored as it is, leaves its
 * root unresolved.
 */
static void classify_reads(struct anchor_regs *s, const_rtx x, enum read_context context,
			   const_rtx single)
{
	struct anchor_reg *reg;
	HOST_WIDE_INT offset;
	const char *format;
	int i, j;

	if (!x)
		return;
	reg = tracked_reg(s, x, &offset);
	if (reg && REG_P(x)) {
		/* Handed on, or copied, the address is the object there;
		 * a derived register's set said which already. */
		if (context == READ_STORED && !reg->derived)
			s->roots[reg->root].address_used = true;
		if (context == READ_OTHER || !block_object_at(reg->block, reg->position))
			unresolved(s, reg);
		return;
	}
	if (reg) {	/* (plus reg (const_int)) */
		if ((context != READ_ADDRESS && context != READ_COPY) ||
		    !block_object_at(reg->block, reg->position + offset))
			unresolved(s, reg);
		return;
	}
	switch (GET_CODE(x)) {
	case REG:
		/* A tracked register in another mode: a part of it. */
		if (HARD_REGISTER_P(x) && s->regs[REGNO(x)].live)
			unresolved(s, &s->regs[REGNO(x)]);
		return;
	case MEM:
		classify_reads(s, XEXP(x, 0), READ_ADDRESS, single);
		return;
	case SET:
		/*
		 * A copy is followed where anchor_regs_step() sees it, the
		 * insn's one set. A store to the stack may be a spill, whose
		 * reload would not be followed.
		 */
		if (x == single && REG_P(SET_DEST(x)) && HARD_REGISTER_P(SET_DEST(x)))
			classify_reads(s, SET_SRC(x), READ_COPY, single);
		else if (MEM_P(SET_DEST(x)) && !stack_address(XEXP(SET_DEST(x), 0)))
			classify_reads(s, SET_SRC(x), READ_STORED, single);
		else
			classify_reads(s, SET_SRC(x), READ_OTHER, single);
		/* A register set is no read; a partial set reads the rest. */
		if (!REG_P(SET_DEST(x)))
			classify_reads(s, SET_DEST(x), READ_OTHER, single);
		return;
	case CLOBBER:
		if (MEM_P(XEXP(x, 0)))
			classify_reads(s, XEXP(x, 0), READ_OTHER, single);
		return;
	case USE:
		/* The value returned, or an argument: handed on as it is. */
		classify_reads(s, XEXP(x, 0), READ_STORED, single);
		return;
	default:
		break;
	}
	/* Anything else, an asm's operands among them, reads its operands
	 * as values: a load or store inside is still a load or store. */
	format = GET_RTX_FORMAT(GET_CODE(x));
	for (i = 0; i < GET_RTX_LENGTH(GET_CODE(x)); i++) {
		if (format[i] == 'e')
			classify_reads(s, XEXP(x, i), READ_OTHER, single);
		else if (format[i] == 'E')
			for (j = 0; j < XVECLEN(x, i); j++)
				classify_reads(s, XVECEXP(x, i, j), READ_OTHER, single);
	}
}

/* The end of a straight run: live registers may be read beyond it. */
static void end_run(struct anchor_regs *s, bool nothing_follows)
{
	unsigned regno;

	for (regno = 0; regno < FIRST_PSEUDO_REGISTER; regno++) {
		if (!s->regs[regno].live)
			continue;
		if (s->analysing && !nothing_follows)
			unresolved(s, &s->regs[regno]);
		s->regs[regno].live = false;
	}
}

static void kill_reg(struct anchor_regs *s, unsigned regno, unsigned nregs)
{
	while (nregs--)
		if (regno + nregs < FIRST_PSEUDO_REGISTER)
			s->regs[regno + nregs].live = false;
}

static void kill_stored(rtx dest, const_rtx setter, void *data)
{
	struct anchor_regs *s = (struct anchor_regs *)data;

	if (GET_CODE(dest) == SUBREG)
		dest = SUBREG_REG(dest);
	if (REG_P(dest) && HARD_REGISTER_P(dest))
		kill_reg(s, REGNO(dest), REG_NREGS(dest));
}

/*
 * After INSN: the registers it sets or a call loses are no longer
 * followed, and the one it sets to an anchor's address, or to a followed
 * register plus a constant, is.  In the first pass its reads are checked
 * first; the second pass follows only roots that resolved.
 */
void anchor_regs_step(struct anchor_regs *s, rtx_insn *insn)
{
	struct anchor_reg def = {}, *from;
	struct object_block *block;
	HOST_WIDE_INT position, offset;
	unsigned regno = 0, i;
	bool defines = false;
	rtx set, link;

	if (!s || DEBUG_INSN_P(insn) || NOTE_P(insn))
		return;
	if (LABEL_P(insn)) {
		end_run(s, false);
		return;
	}
	if (BARRIER_P(insn) || !INSN_P(insn)) {
		end_run(s, BARRIER_P(insn));	/* after a noreturn call */
		return;
	}
	set = single_set(insn);
	if (s->analysing) {
		classify_reads(s, PATTERN(insn), READ_OTHER, set);
		if (CALL_P(insn))
			for (link = CALL_INSN_FUNCTION_USAGE(insn); link; link = XEXP(link, 1))
				if (GET_CODE(XEXP(link, 0)) == USE)
					classify_reads(s, XEXP(link, 0), READ_OTHER, set);
	}

	if (anchor_root_insn(insn, &block, &position, &regno)) {
		unsigned root;

		if (s->analysing) {
			s->roots.safe_push({ true, false });
			root = s->roots.length() - 1;
		} else {
			root = s->next_root++;
		}
		if (s->analysing || s->roots[root].resolved) {
			def = { true, false, root, block, position };
			defines = true;
		}
	} else if (set && REG_P(SET_DEST(set)) && HARD_REGISTER_P(SET_DEST(set)) &&
		   GET_MODE(SET_DEST(set)) == Pmode &&
		   (from = tracked_reg(s, SET_SRC(set), &offset))) {
		def = *from;
		def.derived = true;
		def.position += offset;
		regno = REGNO(SET_DEST(set));
		defines = true;
	}

	note_stores(insn, kill_stored, s);
	for (link = REG_NOTES(insn); link; link = XEXP(link, 1))
		if (REG_NOTE_KIND(link) == REG_INC && REG_P(XEXP(link, 0)))
			kill_reg(s, REGNO(XEXP(link, 0)), REG_NREGS(XEXP(link, 0)));
	if (CALL_P(insn)) {
		function_abi abi = insn_callee_abi(insn);

		for (i = 0; i < FIRST_PSEUDO_REGISTER; i++)
			if (s->regs[i].live && abi.clobbers_reg_p(Pmode, i))
				s->regs[i].live = false;
	}
	if (defines)
		s->regs[regno] = def;

	if (JUMP_P(insn))
		end_run(s, ANY_RETURN_P(PATTERN(insn)) || returnjump_p(insn));
	else if (CALL_P(insn) && SIBLING_CALL_P(insn))
		end_run(s, true);
}

/* Both passes over the function whose first insn is INSNS. */
struct anchor_regs *anchor_regs_begin(rtx_insn *insns)
{
	struct anchor_regs *s = XCNEW(struct anchor_regs);
	rtx_insn *insn;

	s->roots = vNULL;
	s->analysing = true;
	for (insn = insns; insn; insn = NEXT_INSN(insn))
		anchor_regs_step(s, insn);
	end_run(s, true);
	s->analysing = false;
	return s;
}

void anchor_regs_end(struct anchor_regs *s)
{
	s->roots.release();
	XDELETE(s);
}

/* INSN's root, if it takes an anchor's address that resolved. */
static const struct anchor_root *pending_root(const struct anchor_regs *s, rtx_insn *insn)
{
	struct object_block *block;
	HOST_WIDE_INT position;
	unsigned regno;

	if (!s || !insn || !anchor_root_insn(insn, &block, &position, &regno) ||
	    s->next_root >= s->roots.length() || !s->roots[s->next_root].resolved)
		return NULL;
	return &s->roots[s->next_root];
}

/*
 * X, read in the insn being hashed, is a followed register or one plus a
 * constant: hash the object it reaches and say true.
 */
bool hash_anchor_reg_read(struct hash_walk *walk, const_rtx x, hash_object_fn hash_object)
{
	struct anchor_reg *reg;
	HOST_WIDE_INT offset;
	rtx object;

	reg = tracked_reg(walk->anchor_regs, x, &offset);
	if (!reg)
		return false;
	object = block_object_at(reg->block, reg->position + offset);
	if (!object)
		return false;
	hash_object_at(walk, object, reg->position + offset, hash_object);
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
	HOST_WIDE_INT offset = 0, position;
	struct object_block *block;
	rtx object;

	if (GET_CODE(x) == CONST)
		x = XEXP(x, 0);
	if (GET_CODE(x) == PLUS && CONST_INT_P(XEXP(x, 1))) {
		offset = INTVAL(XEXP(x, 1));
		x = XEXP(x, 0);
	}
	if (GET_CODE(x) != SYMBOL_REF || !SYMBOL_REF_HAS_BLOCK_INFO_P(x) ||
	    !SYMBOL_REF_ANCHOR_P(x) || !SYMBOL_REF_BLOCK(x))
		return false;

	block = SYMBOL_REF_BLOCK(x);
	position = SYMBOL_REF_BLOCK_OFFSET(x) + offset;
	if (walk->in_high) {
		/* A page ("adrp"): the LO_SUM paired with it, which GCC
		 * writes with the same anchor and offset, says the rest. */
		hash_u64(&walk->fp, TAG_ANCHOR_BLOCK);
		return true;
	}
	if (!walk->in_address) {
		const struct anchor_root *root = pending_root(walk->anchor_regs, walk->insn);

		if (!root) {
			hash_block_layout(walk, block, position, hash_object);
			return true;
		}
		/* Its reads say what it reaches; the address itself, if
		 * handed on as it is, is the object there. */
		hash_u64(&walk->fp, TAG_ANCHOR_BLOCK);
		if (!root->address_used)
			return true;
	}
	object = block_object_at(block, position);
	if (!object) {
		hash_block_layout(walk, block, position, hash_object);
		return true;
	}
	hash_object_at(walk, object, position, hash_object);
	return true;
}

#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * anchor_regs.c - registers that hold a section anchor's address, and
 * what each read of them reaches (anchors.c says why).
 *
 * An anchor's address taken into a register ("add x19, x19,
 * :lo12:.LANCHOR1") reaches the objects that later instructions add
 * their offsets to it for: "add x0, x19, 8" is misc_format, "ldr w1,
 * [x19, 48]" a field of bm_fs_type.  Registers are followed, with those
 * made from them by adding a constant, copying or a pre-index writeback,
 * along a run of insns, past a conditional jump, to where they are set
 * again (or a call loses them, or the function returns), and into the
 * run of a label whose one way in is a jump from where they were followed
 * (an early return's "cbz w0, .L9").  Where every read is such a load,
 * store or addition, or hands the address on (a call's argument, a store
 * outside the frame, a return), and a register live where its run ends
 * is read by no run that control may reach from there before it is set,
 * the anchor resolves: each read hashes as the object it reaches.  A
 * read of any other kind (indexed, compared, spilled, given to an asm),
 * a loop around the register or a join leaves it unresolved.
 *
 * A first pass over the function's insns decides which anchors resolve;
 * the hashing pass steps through the same insns and follows those.
 */
#include "ksplice_plugin.h"

#ifdef KSPLICE_SECTION_ANCHORS	/* the whole file: see ksplice_plugin.h */

#include "regs.h"
#include "function-abi.h"
#include "rtl-iter.h"

/* An anchor's address taken into a register: can its reads be told? */
struct root_state {
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

/* First pass: a register read at the start of a run, before it is set. */
struct entry_read {
	unsigned regno;
	unsigned run;		/* the index of the run's first insn */
};

/*
 * First pass: a followed register still live where its run ends (AT, the
 * index of the jump or of the insn before a label), or live at a
 * conditional jump to VIA, after which its run goes on.
 */
struct escape {
	unsigned root, regno;
	unsigned at;
	rtx_insn *via;
	bool followed;		/* into VIA's run, its one way in */
};

/* First pass: a jump, and a label it goes to (NULL: it may go anywhere). */
struct jump_edge {
	unsigned from;
	rtx_insn *to;
};

struct anchor_regs {
	bool analysing;		/* first pass: finds which roots resolve */
	struct anchor_reg regs[FIRST_PSEUDO_REGISTER];
	vec<root_state> roots;	/* in the order of their insns */
	unsigned next_root;	/* second pass: the next root's index */
	/* First pass only: where values of registers may flow. */
	unsigned index;		/* of the insn being looked at */
	unsigned run;		/* the index of the current run's first insn */
	bool set_in_run[FIRST_PSEUDO_REGISTER];
	vec<entry_read> entry_reads;
	vec<escape> escapes;
	/* Both passes: the function's jumps and labels, from a first look. */
	vec<jump_edge> jumps;
	hash_map<rtx_insn *, unsigned> *label_index;
	hash_map<rtx_insn *, unsigned> *label_jumps;	/* jumps to each */
	bool jumps_anywhere;	/* a jump whose labels are not known */
	/* The followed registers at the one jump to a label, for it. */
	hash_map<rtx_insn *, struct anchor_reg *> *at_jump;
	bool falls_through;	/* the insn before may run into the next */
};

/* An insn that takes an anchor's address into a register: its block,
 * position and register, or false. */
static bool anchor_root_insn(rtx_insn *insn, struct object_block **block,
			     HOST_WIDE_INT *position, unsigned *regno)
{
	rtx set = single_set(insn), src;

	if (!set || !REG_P(SET_DEST(set)) || !HARD_REGISTER_P(SET_DEST(set)))
		return false;
	src = SET_SRC(set);
	if (GET_CODE(src) == LO_SUM)
		src = XEXP(src, 1);
	if (!anchor_address(src, block, position))
		return false;
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

/*
 * ADDRESS moves a followed register by a constant before the access
 * ("ldr x0, [x20, 120]!", a list walk's first step): the register and
 * the constant.
 */
static struct anchor_reg *pre_modified_reg(struct anchor_regs *s, const_rtx address,
					   HOST_WIDE_INT *offset)
{
	const_rtx reg = XEXP(address, 0), sum = XEXP(address, 1);

	if (GET_CODE(address) != PRE_MODIFY || GET_CODE(sum) != PLUS ||
	    !rtx_equal_p(XEXP(sum, 0), reg))
		return NULL;
	return tracked_reg(s, sum, offset);
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
		if (context == READ_OTHER || !anchor_block_object_at(reg->block, reg->position))
			unresolved(s, reg);
		return;
	}
	if (reg) {	/* (plus reg (const_int)) */
		if ((context != READ_ADDRESS && context != READ_COPY) ||
		    !anchor_block_object_at(reg->block, reg->position + offset))
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
		reg = pre_modified_reg(s, XEXP(x, 0), &offset);
		if (reg) {
			if (!anchor_block_object_at(reg->block, reg->position + offset))
				unresolved(s, reg);
			return;
		}
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

/*
 * The end of a straight run: a register live there may be read beyond
 * it, which the first pass decides once it has seen the whole function
 * (escapes_read()).  The next run starts after AT.
 */
static void end_run(struct anchor_regs *s, bool nothing_follows, unsigned at)
{
	unsigned regno;

	for (regno = 0; regno < FIRST_PSEUDO_REGISTER; regno++) {
		if (!s->regs[regno].live)
			continue;
		if (s->analysing && !nothing_follows)
			s->escapes.safe_push({ s->regs[regno].root, regno, at, NULL, false });
		s->regs[regno].live = false;
	}
	memset(s->set_in_run, 0, sizeof(s->set_in_run));
	s->run = at + 1;
}

/* Every hard register of X, which is read: one not set yet in this run
 * holds a value from before it. */
static void note_entry_reads(struct anchor_regs *s, const_rtx x)
{
	subrtx_iterator::array_type array;

	FOR_EACH_SUBRTX(iter, array, x, NONCONST) {
		const_rtx reg = *iter;
		unsigned regno;

		if (!REG_P(reg) || !HARD_REGISTER_P(reg))
			continue;
		for (regno = REGNO(reg); regno < END_REGNO(reg); regno++)
			if (!s->set_in_run[regno])
				s->entry_reads.safe_push({ regno, s->run });
	}
}

static void note_use(rtx *loc, void *data)
{
	note_entry_reads((struct anchor_regs *)data, *loc);
}

static void note_set(rtx dest, const_rtx setter, void *data)
{
	struct anchor_regs *s = (struct anchor_regs *)data;
	unsigned regno;

	/* A part of a register set keeps the rest: read, as a whole. */
	if (!REG_P(dest)) {
		if (!MEM_P(dest))
			note_entry_reads(s, dest);
		return;
	}
	if (GET_CODE(setter) == SET && SET_DEST(setter) != dest)
		note_entry_reads(s, dest);
	if (HARD_REGISTER_P(dest))
		for (regno = REGNO(dest); regno < END_REGNO(dest); regno++)
			s->set_in_run[regno] = true;
}

/* First pass: INSN's reads of values from before its run, then its sets. */
static void note_flow(struct anchor_regs *s, rtx_insn *insn)
{
	unsigned regno;
	rtx link;

	note_uses(&PATTERN(insn), note_use, s);
	if (CALL_P(insn)) {
		function_abi abi = insn_callee_abi(insn);

		for (link = CALL_INSN_FUNCTION_USAGE(insn); link; link = XEXP(link, 1))
			if (GET_CODE(XEXP(link, 0)) == USE)
				note_entry_reads(s, XEXP(XEXP(link, 0), 0));
		for (regno = 0; regno < FIRST_PSEUDO_REGISTER; regno++)
			if (abi.clobbers_reg_p(Pmode, regno))
				s->set_in_run[regno] = true;
	}
	for (link = REG_NOTES(insn); link; link = XEXP(link, 1))
		if (REG_NOTE_KIND(link) == REG_INC && REG_P(XEXP(link, 0)))
			note_entry_reads(s, XEXP(link, 0));
	note_stores(insn, note_set, s);
}

static void note_jump_to(struct anchor_regs *s, rtx_insn *label)
{
	s->jumps.safe_push({ s->index, label });
}

/* First pass: where JUMP may go, as edges. */
static void note_jump(struct anchor_regs *s, rtx_insn *jump)
{
	rtx_jump_table_data *table;
	rtx pattern = PATTERN(jump), asm_op, label;
	int i;

	if (ANY_RETURN_P(pattern) || (returnjump_p(jump) && !any_condjump_p(jump)))
		return;
	if (tablejump_p(jump, NULL, &table)) {
		rtvec labels = table->get_labels();

		for (i = 0; i < GET_NUM_ELEM(labels); i++)
			note_jump_to(s, label_ref_label(RTVEC_ELT(labels, i)));
		return;
	}
	asm_op = extract_asm_operands(pattern);
	if (asm_op) {
		for (i = 0; i < ASM_OPERANDS_LABEL_LENGTH(asm_op); i++)
			note_jump_to(s, label_ref_label(ASM_OPERANDS_LABEL(asm_op, i)));
		return;
	}
	label = JUMP_LABEL(jump);
	if (label && LABEL_P(label))
		note_jump_to(s, as_a<rtx_insn *>(label));
	else if (!label || !ANY_RETURN_P(label))
		note_jump_to(s, NULL);
}

/*
 * First pass, at the end: a register live where its run ended resolves
 * only if no run that control may reach from there reads it before
 * setting it.  Such runs start at or after that point, or at a label
 * before it that a jump from a reachable place goes back to.
 */
static void escapes_read(struct anchor_regs *s)
{
	struct escape *escape;
	struct jump_edge *edge;
	unsigned i, j;

	FOR_EACH_VEC_ELT(s->escapes, i, escape) {
		if (escape->followed)
			continue;
		unsigned *via = escape->via ? s->label_index->get(escape->via) : NULL;
		unsigned start = !escape->via ? escape->at : via ? *via : 0;
		bool moved = true;

		while (moved) {
			moved = false;
			FOR_EACH_VEC_ELT(s->jumps, j, edge) {
				unsigned *to = edge->to ? s->label_index->get(edge->to) : NULL;
				unsigned target = to ? *to : 0;	/* else anywhere */

				if (edge->from >= start && target < start) {
					start = target;
					moved = true;
				}
			}
		}
		for (j = 0; j < s->entry_reads.length(); j++)
			if (s->entry_reads[j].regno == escape->regno &&
			    s->entry_reads[j].run >= start)
				s->roots[escape->root].resolved = false;
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

/* A first look at the function: its labels' places and its jumps. */
static void note_jumps(struct anchor_regs *s, rtx_insn *insns)
{
	struct jump_edge *edge;
	rtx_insn *insn;
	unsigned i;

	for (insn = insns; insn; insn = NEXT_INSN(insn)) {
		if (DEBUG_INSN_P(insn) || NOTE_P(insn))
			continue;
		s->index++;
		if (LABEL_P(insn))
			s->label_index->put(insn, s->index);
		else if (JUMP_P(insn))
			note_jump(s, insn);
	}
	s->index = 0;
	FOR_EACH_VEC_ELT(s->jumps, i, edge) {
		if (edge->to)
			s->label_jumps->get_or_insert(edge->to)++;
		else
			s->jumps_anywhere = true;
	}
}

/* The one jump to LABEL, which nothing else enters: JUMP's target. */
static bool only_way_in(struct anchor_regs *s, rtx_insn *jump, rtx_insn *label)
{
	unsigned *jumps = s->label_jumps->get(label);

	return jumps && *jumps == 1 && !s->jumps_anywhere && !LABEL_PRESERVE_P(label) &&
	       !tablejump_p(jump, NULL, NULL) && !extract_asm_operands(PATTERN(jump));
}

/*
 * JUMP goes to one label, its only way in: the followed registers go on
 * being followed there.  Those of a jump that may not be taken escape to
 * the label too, where the first pass marks them followed.
 */
static void jump_to_label(struct anchor_regs *s, rtx_insn *jump)
{
	rtx_insn *label = as_a<rtx_insn *>(JUMP_LABEL(jump));
	struct anchor_reg *regs;
	unsigned *place = s->label_index->get(label);
	unsigned i;

	if (!only_way_in(s, jump, label) || !place || *place < s->index)
		return;
	regs = XNEWVEC(struct anchor_reg, FIRST_PSEUDO_REGISTER);
	memcpy(regs, s->regs, sizeof(s->regs));
	s->at_jump->put(label, regs);
	if (s->analysing)
		for (i = 0; i < FIRST_PSEUDO_REGISTER; i++)
			if (s->regs[i].live)
				s->escapes.safe_push({ s->regs[i].root, i, s->index, label, false });
}

/* LABEL starts a run: from the one jump to it, or from anywhere. */
static void enter_label(struct anchor_regs *s, rtx_insn *label)
{
	struct anchor_reg **regs = s->falls_through ? NULL : s->at_jump->get(label);
	struct escape *escape;
	unsigned i;

	end_run(s, false, s->index - 1);
	if (!regs)
		return;
	memcpy(s->regs, *regs, sizeof(s->regs));
	for (i = 0; i < FIRST_PSEUDO_REGISTER; i++)
		s->set_in_run[i] = s->regs[i].live;
	if (s->analysing)
		FOR_EACH_VEC_ELT(s->escapes, i, escape)
			if (escape->via == label && s->regs[escape->regno].live)
				escape->followed = true;
}

/*
 * After INSN: the registers it sets or a call loses are no longer
 * followed, and the one it sets to an anchor's address, or to a followed
 * register plus a constant, is.  In the first pass its reads are checked
 * first; the second pass follows only roots that resolved.
 */
void anchor_regs_step(struct anchor_regs *s, rtx_insn *insn)
{
	subrtx_iterator::array_type array;
	auto_vec<anchor_reg, 2> moved_regs;
	auto_vec<unsigned, 2> moved_regnos;
	struct anchor_reg def = {}, *from;
	struct object_block *block;
	HOST_WIDE_INT position, offset;
	unsigned regno = 0, i;
	bool defines = false;
	rtx set, link;

	if (!s || DEBUG_INSN_P(insn) || NOTE_P(insn))
		return;
	s->index++;
	if (LABEL_P(insn)) {
		enter_label(s, insn);
		s->falls_through = true;
		return;
	}
	if (BARRIER_P(insn) || !INSN_P(insn)) {
		end_run(s, BARRIER_P(insn), s->index);	/* after a noreturn call */
		s->falls_through = !BARRIER_P(insn);
		return;
	}
	set = single_set(insn);
	if (s->analysing) {
		classify_reads(s, PATTERN(insn), READ_OTHER, set);
		if (CALL_P(insn))
			for (link = CALL_INSN_FUNCTION_USAGE(insn); link; link = XEXP(link, 1))
				if (GET_CODE(XEXP(link, 0)) == USE)
					classify_reads(s, XEXP(link, 0), READ_OTHER, set);
		note_flow(s, insn);
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

	/* A register moved before an access goes on being followed. */
	FOR_EACH_SUBRTX(iter, array, PATTERN(insn), NONCONST) {
		struct anchor_reg *moved;

		if (MEM_P(*iter) && (moved = pre_modified_reg(s, XEXP(*iter, 0), &offset))) {
			moved_regs.safe_push(*moved);
			moved_regs.last().position += offset;
			moved_regs.last().derived = true;
			moved_regnos.safe_push(REGNO(XEXP(XEXP(*iter, 0), 0)));
		}
	}
	note_stores(insn, kill_stored, s);
	for (link = REG_NOTES(insn); link; link = XEXP(link, 1))
		if (REG_NOTE_KIND(link) == REG_INC && REG_P(XEXP(link, 0)))
			kill_reg(s, REGNO(XEXP(link, 0)), REG_NREGS(XEXP(link, 0)));
	for (i = 0; i < moved_regs.length(); i++)
		s->regs[moved_regnos[i]] = moved_regs[i];
	if (CALL_P(insn)) {
		function_abi abi = insn_callee_abi(insn);

		for (i = 0; i < FIRST_PSEUDO_REGISTER; i++)
			if (s->regs[i].live && abi.clobbers_reg_p(Pmode, i))
				s->regs[i].live = false;
	}
	if (defines)
		s->regs[regno] = def;

	s->falls_through = true;
	if (JUMP_P(insn) && JUMP_LABEL(insn) && LABEL_P(JUMP_LABEL(insn)) &&
	    (any_condjump_p(insn) || simplejump_p(insn))) {
		rtx_insn *label = as_a<rtx_insn *>(JUMP_LABEL(insn));

		/* Taken, the live registers escape to the label, or are
		 * followed there; not taken, the run goes on. */
		jump_to_label(s, insn);
		if (s->analysing && !s->at_jump->get(label))
			for (i = 0; i < FIRST_PSEUDO_REGISTER; i++)
				if (s->regs[i].live)
					s->escapes.safe_push({ s->regs[i].root, i, s->index,
							       label, false });
		if (simplejump_p(insn)) {
			end_run(s, true, s->index);
			s->falls_through = false;
		}
	} else if (JUMP_P(insn)) {
		end_run(s, ANY_RETURN_P(PATTERN(insn)) ||
			(returnjump_p(insn) && !any_condjump_p(insn)), s->index);
		s->falls_through = any_condjump_p(insn);
	} else if (CALL_P(insn) && SIBLING_CALL_P(insn)) {
		end_run(s, true, s->index);
		s->falls_through = false;
	}
}

/* The registers saved at jumps, for the next pass or the end. */
static void forget_jumps(struct anchor_regs *s)
{
	for (auto it = s->at_jump->begin(); it != s->at_jump->end(); ++it)
		XDELETEVEC((*it).second);
	s->at_jump->empty();
}

/* Both passes over the function whose first insn is INSNS. */
struct anchor_regs *anchor_regs_begin(rtx_insn *insns)
{
	struct anchor_regs *s = XCNEW(struct anchor_regs);
	rtx_insn *insn;

	s->roots = vNULL;
	s->entry_reads = vNULL;
	s->escapes = vNULL;
	s->jumps = vNULL;
	s->label_index = new hash_map<rtx_insn *, unsigned>;
	s->label_jumps = new hash_map<rtx_insn *, unsigned>;
	s->at_jump = new hash_map<rtx_insn *, struct anchor_reg *>;
	note_jumps(s, insns);
	s->analysing = true;
	s->falls_through = true;
	for (insn = insns; insn; insn = NEXT_INSN(insn))
		anchor_regs_step(s, insn);
	end_run(s, true, s->index);
	escapes_read(s);
	s->entry_reads.release();
	s->escapes.release();
	forget_jumps(s);
	s->analysing = false;
	s->falls_through = true;
	memset(s->regs, 0, sizeof(s->regs));
	memset(s->set_in_run, 0, sizeof(s->set_in_run));
	s->index = 0;
	s->run = 0;
	return s;
}

void anchor_regs_end(struct anchor_regs *s)
{
	forget_jumps(s);
	s->jumps.release();
	delete s->label_index;
	delete s->label_jumps;
	delete s->at_jump;
	s->roots.release();
	XDELETE(s);
}

/* What the anchor's address INSN takes into a register (if it does) is. */
enum anchor_root anchor_regs_root_at(const struct anchor_regs *s, rtx_insn *insn)
{
	struct object_block *block;
	HOST_WIDE_INT position;
	unsigned regno;

	if (!s || !insn || !anchor_root_insn(insn, &block, &position, &regno) ||
	    s->next_root >= s->roots.length() || !s->roots[s->next_root].resolved)
		return ANCHOR_ROOT_UNRESOLVED;
	return s->roots[s->next_root].address_used ? ANCHOR_ROOT_HANDED_ON :
						     ANCHOR_ROOT_RESOLVED;
}

/*
 * X, read in the insn being hashed, is a followed register or one plus a
 * constant: hash the object it reaches and say true.
 */
bool hash_anchor_reg_read(struct hash_walk *walk, const_rtx x, hash_object_fn hash_object)
{
	struct anchor_reg *reg;
	HOST_WIDE_INT offset;

	reg = tracked_reg(walk->anchor_regs, x, &offset);
	if (!reg || !anchor_block_object_at(reg->block, reg->position + offset))
		return false;
	hash_anchored_object(walk, reg->block, reg->position + offset, hash_object);
	return true;
}

#endif

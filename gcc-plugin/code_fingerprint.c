// SPDX-License-Identifier: GPL-2.0
/*
 * code_fingerprint.c - the "fn" records: two hashes of each function's
 * final instruction stream (docs/fingerprints.md).
 *
 * An RTL pass runs just before "final": after branch shortening and the
 * x86 endbr/patchable-area pass, so this is the instruction stream that
 * final turns into bytes.  The hash is normalised: notes, debug insns,
 * locations and register/memory attributes are skipped, labels are
 * numbered per function, and symbols and constants go through
 * references.c.
 */
#include "ksplice_plugin.h"

static void hash_rtx(struct hash_walk *walk, const_rtx x);

static void hash_symbol_ref(struct hash_walk *walk, const_rtx symbol)
{
	tree decl;

	if (CONSTANT_POOL_ADDRESS_P(symbol)) {
		/* Per-function RTL constant pool (floating-point and vector
		 * constants): the value, not the ".LC<N>" label. */
		hash_u64(&walk->fp, TAG_POOL_CONSTANT);
		hash_u64(&walk->fp, get_pool_mode(symbol));
		hash_rtx(walk, get_pool_constant(symbol));
		return;
	}

	decl = SYMBOL_REF_DECL(symbol);
	if (decl && TREE_CONSTANT_POOL_ADDRESS_P(symbol)) {
		/* Unit-wide tree constant pool (string literals).  The symbol
		 * carries either a decl wrapping the constant or the constant
		 * itself, depending on the GCC release. */
		hash_u64(&walk->fp, TAG_TREE_CONSTANT);
		if (DECL_P(decl)) {
			hash_u64(&walk->fp, int_size_in_bytes(TREE_TYPE(decl)));
			decl = DECL_INITIAL(decl);
		}
		hash_tree_constant(walk, decl, 0);
		return;
	}
	if (decl && DECL_P(decl)) {
		hash_decl_reference(walk, decl, 0);
		return;
	}
	hash_symbol_name(walk, XSTR(symbol, 0));
}

static void hash_label(struct hash_walk *walk, const_rtx label)
{
	bool existed;
	unsigned *number = &walk->label_numbers->get_or_insert(CONST_CAST_RTX(label),
							       &existed);

	if (!existed)
		*number = walk->next_label_number++;
	hash_u64(&walk->fp, TAG_LABEL);
	hash_u64(&walk->fp, *number);
}

/*
 * Inline asm templates: local labels are renumbered in order of first
 * appearance.  Numeric labels ("1:", "1b", "1f") are the author's choice
 * and carry no meaning; ".L" labels in kernel macros are built from
 * __COUNTER__, which moves whenever code earlier in the unit changes.
 */
#define MAX_ASM_LABELS 64

static bool is_asm_word_char(char c)
{
	return ISALNUM(c) || c == '_' || c == '.' || c == '$';
}

static void hash_asm_template(struct hash_walk *walk, const char *text)
{
	const char *label_key[MAX_ASM_LABELS];
	size_t label_key_len[MAX_ASM_LABELS];
	unsigned nr_labels = 0;
	const char *p = text;

	hash_u64(&walk->fp, TAG_STRING);
	while (*p) {
		size_t len = 0, key_len = 0, digits;
		unsigned i;

		while (is_asm_word_char(p[len]))
			len++;
		if (!len) {
			hash_bytes(&walk->fp, p, 1);
			p++;
			continue;
		}

		digits = strspn(p, "0123456789");
		if (digits == len && p[len] == ':')
			key_len = digits;			/* "1:" */
		else if (digits && digits + 1 == len &&
			 (p[digits] == 'b' || p[digits] == 'f'))
			key_len = digits;			/* "1b", "1f" */
		else if (len > 2 && p[0] == '.' && p[1] == 'L' &&
			 trailing_digits(p, len))
			key_len = len;				/* ".Lfoo123" */

		/*
		 * A number that is the insn's source line: __LINE__ that a
		 * macro stringified into the template (arm64's WARN_ON() puts
		 * it in its bug table entry's ".short"), as for an immediate.
		 */
		if (!key_len && digits == len && digits < 10 && walk->insn &&
		    is_source_line(walk->insn, strtol(p, NULL, 10))) {
			hash_line_or_value(walk, strtol(p, NULL, 10), true);
			p += len;
			continue;
		}
		if (!key_len) {
			hash_bytes(&walk->fp, p, len);
			p += len;
			continue;
		}

		for (i = 0; i < nr_labels; i++) {
			if (label_key_len[i] == key_len &&
			    !memcmp(label_key[i], p, key_len))
				break;
		}
		if (i == MAX_ASM_LABELS) {
			/* Too many to number: keep the name as written. */
			hash_bytes(&walk->fp, p, len);
			p += len;
			continue;
		}
		if (i == nr_labels) {
			label_key[nr_labels] = p;
			label_key_len[nr_labels++] = key_len;
		}
		hash_u64(&walk->fp, TAG_ASM_LABEL);
		hash_u64(&walk->fp, i);
		/* Keep the non-numeric part: ".Lfoo", or the b/f direction. */
		if (p[0] == '.')
			hash_bytes(&walk->fp, p, len - trailing_digits(p, len));
		else
			hash_bytes(&walk->fp, p + key_len, len - key_len);
		p += len;
	}
	hash_u64(&walk->fp, TAG_NULL);
}

/*
 * expand_location() gives the expansion point of the outermost macro, but
 * __LINE__ in a macro argument is the line the argument was written on:
 * WARN_ON_ONCE() on the second line of an unlikely() condition. So every
 * line along the chain of expansions counts, each where it was spelled.
 */
static bool line_matches(location_t loc, HOST_WIDE_INT value)
{
	const line_map *map;

	if (loc == UNKNOWN_LOCATION)
		return false;
	if (expand_location(loc).line == value)
		return true;
	loc = LOCATION_LOCUS(loc);
	map = linemap_lookup(line_table, loc);
	while (map && linemap_macro_expansion_map_p(map)) {
		loc = linemap_unwind_toward_expansion(line_table, loc, &map);
		if (expand_location(linemap_resolve_location(line_table, loc,
							     LRK_SPELLING_LOCATION,
							     NULL)).line == value)
			return true;
	}
	return false;
}

/*
 * Is VALUE the source line of the current insn, or of a call site that
 * inlined it?  __LINE__ in WARN/BUG ends up as such an immediate.  Only
 * these lines count: an immediate that merely happens to equal some line
 * (a struct offset) is code.  expand_location() gives the expansion point
 * of a macro, which is the line __LINE__ expands to.
 */
bool is_source_line(rtx_insn *insn, HOST_WIDE_INT value)
{
	location_t loc;
	tree block;

	if (!insn || value <= 0 || value > INT_MAX)
		return false;
	loc = INSN_LOCATION(insn);
	if (line_matches(loc, value))
		return true;
	for (block = LOCATION_BLOCK(loc); block && TREE_CODE(block) == BLOCK;
	     block = BLOCK_SUPERCONTEXT(block)) {
		if (BLOCK_ABSTRACT_ORIGIN(block) &&
		    inlined_function_outer_scope_p(block) &&
		    line_matches(BLOCK_SOURCE_LOCATION(block), value))
			return true;
	}
	return false;
}

static void hash_immediate(struct hash_walk *walk, HOST_WIDE_INT value)
{
	hash_line_or_value(walk, value, is_source_line(walk->insn, value));
}

static void hash_asm_operands(struct hash_walk *walk, const_rtx x)
{
	int i;

	hash_asm_template(walk, ASM_OPERANDS_TEMPLATE(x));
	hash_string(&walk->fp, ASM_OPERANDS_OUTPUT_CONSTRAINT(x));
	hash_u64(&walk->fp, ASM_OPERANDS_OUTPUT_IDX(x));
	hash_u64(&walk->fp, ASM_OPERANDS_INPUT_LENGTH(x));
	for (i = 0; i < ASM_OPERANDS_INPUT_LENGTH(x); i++) {
		hash_rtx(walk, ASM_OPERANDS_INPUT(x, i));
		hash_string(&walk->fp, ASM_OPERANDS_INPUT_CONSTRAINT(x, i));
		hash_u64(&walk->fp, ASM_OPERANDS_INPUT_MODE(x, i));
	}
	hash_u64(&walk->fp, ASM_OPERANDS_LABEL_LENGTH(x));
	for (i = 0; i < ASM_OPERANDS_LABEL_LENGTH(x); i++)
		hash_rtx(walk, ASM_OPERANDS_LABEL(x, i));
	/* ASM_OPERANDS_SOURCE_LOCATION is where the asm was written. */
}

#ifdef KSPLICE_SECTION_ANCHORS
/* X is an address used as such, where an anchor reaches one object. */
static void hash_address(struct hash_walk *walk, const_rtx x)
{
	bool outer = walk->in_address;

	walk->in_address = true;
	hash_rtx(walk, x);
	walk->in_address = outer;
}
#endif

/* Rtx code, mode and operands by format, with the exceptions above. */
static void hash_rtx(struct hash_walk *walk, const_rtx x)
{
	const char *format;
	int i, j;

	if (!x) {
		hash_u64(&walk->fp, TAG_NULL);
		return;
	}
#ifdef KSPLICE_SECTION_ANCHORS
	/* Before its code: an anchor plus 0 is a bare SYMBOL_REF. */
	if ((GET_CODE(x) == SYMBOL_REF || GET_CODE(x) == CONST) &&
	    hash_anchor_reference(walk, x, hash_symbol_ref))
		return;
	if ((REG_P(x) || GET_CODE(x) == PLUS) && !walk->in_dest &&
	    hash_anchor_reg_read(walk, x, hash_symbol_ref))
		return;
#endif
	hash_u64(&walk->fp, TAG_RTX);
	hash_u64(&walk->fp, GET_CODE(x));
	hash_u64(&walk->fp, GET_MODE(x));

	switch (GET_CODE(x)) {
	case CONST_INT:
		hash_immediate(walk, INTVAL(x));
		return;
	case CONST_WIDE_INT:
		for (i = 0; i < CONST_WIDE_INT_NUNITS(x); i++)
			hash_u64(&walk->fp, CONST_WIDE_INT_ELT(x, i));
		return;
	case CONST_DOUBLE:
		if (SCALAR_FLOAT_MODE_P(GET_MODE(x))) {
			hash_real(walk, CONST_DOUBLE_REAL_VALUE(x), GET_MODE(x));
			return;
		}
		break;
	case REG:
		/* REG_ATTRS name the user variable, not the code. */
		hash_u64(&walk->fp, REGNO(x));
		return;
	case MEM:
		/* MEM_ATTRS are alias information, except for the address
		 * space, which becomes a %fs/%gs segment prefix. */
		hash_u64(&walk->fp, MEM_ADDR_SPACE(x));
#ifdef KSPLICE_SECTION_ANCHORS
		hash_address(walk, XEXP(x, 0));
#else
		hash_rtx(walk, XEXP(x, 0));
#endif
		return;
#ifdef KSPLICE_SECTION_ANCHORS
	case SET:
		/* A register it sets is not read: never an anchor's object. */
		walk->in_dest = REG_P(SET_DEST(x));
		hash_rtx(walk, SET_DEST(x));
		walk->in_dest = false;
		hash_rtx(walk, SET_SRC(x));
		return;
	case CLOBBER:
		walk->in_dest = REG_P(XEXP(x, 0));
		hash_rtx(walk, XEXP(x, 0));
		walk->in_dest = false;
		return;
	case HIGH:
		/* The page of an address ("adrp"), paired with a LO_SUM. */
		walk->in_high = true;
		hash_rtx(walk, XEXP(x, 0));
		walk->in_high = false;
		return;
#endif
	case SYMBOL_REF:
		hash_symbol_ref(walk, x);
		return;
	case LABEL_REF:
		hash_label(walk, label_ref_label(x));
		return;
	case CODE_LABEL:
		hash_label(walk, x);
		return;
	case ASM_INPUT:
		hash_asm_template(walk, XSTR(x, 0));
		return;
	case ASM_OPERANDS:
		hash_asm_operands(walk, x);
		return;
	case DEBUG_EXPR:
	case VAR_LOCATION:
	case DEBUG_IMPLICIT_PTR:
	case DEBUG_PARAMETER_REF:
	case DEBUG_MARKER:
		/* Debug-only; must not make -g differ from -g0. */
		return;
	default:
		break;
	}

	format = GET_RTX_FORMAT(GET_CODE(x));
	for (i = 0; i < GET_RTX_LENGTH(GET_CODE(x)); i++) {
		switch (format[i]) {
		case 'e':
			hash_rtx(walk, XEXP(x, i));
			break;
		case 'E':
		case 'V':
			hash_u64(&walk->fp, XVECLEN(x, i));
			for (j = 0; j < XVECLEN(x, i); j++)
				hash_rtx(walk, XVECEXP(x, i, j));
			break;
		case 'i':
		case 'n':
			hash_u64(&walk->fp, XINT(x, i));
			break;
		case 'w':
			hash_u64(&walk->fp, XWINT(x, i));
			break;
		case 'p':
			hash_u64(&walk->fp, SUBREG_BYTE(x).coeffs[0]);
			break;
		case 's':
		case 'S':
		case 'T':
			hash_string(&walk->fp, XSTR(x, i));
			break;
		case 'u':
			if (XEXP(x, i) && LABEL_P(XEXP(x, i)))
				hash_label(walk, XEXP(x, i));
			break;
		default:
			/* 't', 'B', 'b', '0': trees, blocks, bitmaps and
			 * unused slots are pointers, never code. */
			break;
		}
	}
}

static void hash_insn(struct hash_walk *walk, rtx_insn *insn)
{
	rtx body;

	switch (GET_CODE(insn)) {
	case NOTE:
		/* The one note that changes the output: hot/cold split. */
		if (NOTE_KIND(insn) == NOTE_INSN_SWITCH_TEXT_SECTIONS)
			hash_u64(&walk->fp, TAG_SWITCH_SECTION);
		return;
	case CODE_LABEL:
		hash_label(walk, insn);
		return;
	case JUMP_TABLE_DATA:
		/* No location: INSN_LOCATION() on it crashes cc1. */
		walk->insn = NULL;
		hash_u64(&walk->fp, TAG_INSN);
		hash_rtx(walk, PATTERN(insn));
		return;
	case INSN:
	case JUMP_INSN:
	case CALL_INSN:
		body = PATTERN(insn);
		/* final outputs nothing for these either. */
		if (GET_CODE(body) == USE || GET_CODE(body) == CLOBBER)
			return;
		walk->insn = insn;
		hash_u64(&walk->fp, TAG_INSN);
		hash_u64(&walk->fp, GET_CODE(insn));
		/* Same pattern as a call, but output as a jump. */
		if (CALL_P(insn))
			hash_u64(&walk->fp, SIBLING_CALL_P(insn));
		hash_rtx(walk, body);
		return;
	default:
		/* BARRIER, DEBUG_INSN: no code. */
		return;
	}
}

/* Code that final emits from function-level state, not from insns. */
static void hash_function_prologue_extras(struct hash_walk *walk,
					  tree fndecl)
{
	tree attr, arg;

	hash_u64(&walk->fp, crtl->profile);	/* -pg / -mfentry call */
	attr = lookup_attribute("patchable_function_entry",
				DECL_ATTRIBUTES(fndecl));
	if (!attr)
		return;
	for (arg = TREE_VALUE(attr); arg; arg = TREE_CHAIN(arg))
		hash_tree_constant(walk, TREE_VALUE(arg), 0);
}

/* Collected "fn" records, written out at the end of the unit. */
static struct string_list fn_records;
static hash_set<nofree_string_hash> fingerprinted;

static void add_fn_record(const char *name, const struct fingerprint *fp)
{
	string_list_add(&fn_records, xasprintf("fn %s %016" PRIx64 " %016" PRIx64, name,
					       fp->strict, fp->noline));
}

#ifdef KSPLICE_SECTION_ANCHORS
/* A function whose hash takes in block layouts at the end of the unit. */
struct pending_fn {
	const char *name;
	struct fingerprint fp;
	vec<pending_layout> layouts;
};
static vec<pending_fn *> pending_fns;

static void finish_pending_fns(void)
{
	hash_map<rtx, unsigned> label_numbers;
	struct hash_walk walk = {};
	pending_fn *fn;
	unsigned i;

	FOR_EACH_VEC_ELT(pending_fns, i, fn) {
		walk.fp = fn->fp;
		walk.label_numbers = &label_numbers;
		hash_pending_layouts(&walk, fn->layouts, hash_symbol_ref);
		add_fn_record(fn->name, &walk.fp);
		fn->layouts.release();
		delete fn;
	}
	pending_fns.release();
}
#endif

bool is_fingerprinted_function(const char *name)
{
	return fingerprinted.contains(name);
}

static void fingerprint_current_function(void)
{
	hash_map<rtx, unsigned> label_numbers;
	struct hash_walk walk;
	const char *name;
	rtx_insn *insn;

	fingerprint_init(&walk.fp);
	walk.label_numbers = &label_numbers;
	walk.next_label_number = 0;
	walk.insn = NULL;
	walk.data_line = 0;
#ifdef KSPLICE_SECTION_ANCHORS
	walk.in_address = false;
	walk.in_high = false;
	walk.in_dest = false;
	walk.anchor_regs = anchor_regs_begin(get_insns());
	walk.layouts = new vec<pending_layout>();
#endif

	hash_function_prologue_extras(&walk, current_function_decl);
	for (insn = get_insns(); insn; insn = NEXT_INSN(insn)) {
		hash_insn(&walk, insn);
#ifdef KSPLICE_SECTION_ANCHORS
		anchor_regs_step(walk.anchor_regs, insn);
#endif
	}
#ifdef KSPLICE_SECTION_ANCHORS
	anchor_regs_end(walk.anchor_regs);
#endif

	name = symbol_without_star(IDENTIFIER_POINTER(
		DECL_ASSEMBLER_NAME(current_function_decl)));
	fingerprinted.add(xstrdup(name));
#ifdef KSPLICE_SECTION_ANCHORS
	if (!walk.layouts->is_empty()) {
		pending_fn *fn = new pending_fn;

		fn->name = xstrdup(name);
		fn->fp = walk.fp;
		fn->layouts = vNULL;
		fn->layouts.safe_splice(*walk.layouts);
		pending_fns.safe_push(fn);
		walk.layouts->release();
		delete walk.layouts;
		return;
	}
	walk.layouts->release();
	delete walk.layouts;
#endif
	add_fn_record(name, &walk.fp);
}

static const pass_data fingerprint_pass_data = {
	RTL_PASS,		/* type */
	"ksplice_fingerprint",	/* name */
	OPTGROUP_NONE,		/* optinfo_flags */
	TV_NONE,		/* tv_id */
	0,			/* properties_required */
	0,			/* properties_provided */
	0,			/* properties_destroyed */
	0,			/* todo_flags_start */
	0,			/* todo_flags_finish */
};

class fingerprint_pass : public rtl_opt_pass {
public:
	fingerprint_pass(gcc::context *ctxt)
		: rtl_opt_pass(fingerprint_pass_data, ctxt)
	{
	}

	unsigned int execute(function *fun) override
	{
		fingerprint_current_function();
		return 0;
	}
};

void code_fingerprints_init(const char *plugin_name)
{
	register_pass_next_to(plugin_name, new fingerprint_pass(g), "final",
			      PASS_POS_INSERT_BEFORE);
}

/* Assembler names are unique within a unit, so sorting is total. */
void emit_code_records(void)
{
	size_t i;

#ifdef KSPLICE_SECTION_ANCHORS
	finish_pending_fns();
#endif
	string_list_sort(&fn_records);
	for (i = 0; i < fn_records.nr; i++)
		emit_section_line("%s", fn_records.items[i]);
}

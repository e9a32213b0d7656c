// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice_plugin.c - fingerprints of every function's final code.
 *
 * Each function that GCC outputs gets two 64-bit hashes of its finished
 * instruction stream, "strict" and "noline" (see docs/fingerprints.md).
 * At the end of the unit they are written as text into the non-allocated
 * section .discard.ksplice.fingerprints of the object file, so that they
 * travel with the object (ccache included) and patchgen can pick changed
 * functions by comparing two tables.
 *
 * Build with the compiler that will load it (this is what the top-level
 * Makefile runs):
 *
 *   g++ -std=gnu++17 -shared -fPIC -fno-rtti -fno-exceptions -O2 \
 *       -Wall -Wextra -Werror -Wno-unused-parameter \
 *       -I$(gcc -print-file-name=plugin)/include \
 *       -o build/gcc-plugin/ksplice_plugin.so gcc-plugin/ksplice_plugin.c
 *
 * Use:
 *
 *   gcc -fplugin=ksplice_plugin.so -fplugin-arg-ksplice_plugin-version=<id>
 *
 * "version" is ignored; it exists so that kbuild sees a changed command
 * line, and rebuilds, when the plugin changes.
 */
#include "gcc-common.h"

int plugin_is_GPL_compatible;

static struct plugin_info ksplice_plugin_info = {
	.version = "1",
	.help = "version=<id>\tignored; changes the command line when the plugin changes\n",
};

/* The compiler's version, recorded because fingerprints only compare
 * between objects built by the same cc1. */
static const char *compiler_version;

/*
 * Hashing.  FNV-1a over an explicit little-endian byte stream: the same
 * input gives the same hash on any host, and nothing that depends on the
 * address space (pointers, UIDs, hash-table order) ever enters it.
 */
#define FNV1A_OFFSET_BASIS 0xcbf29ce484222325ULL
#define FNV1A_PRIME 0x100000001b3ULL

/* Tags keep different kinds of element from ever hashing alike. */
enum hash_tag {
	TAG_NULL = 1,
	TAG_INSN,
	TAG_LABEL,
	TAG_SWITCH_SECTION,
	TAG_RTX,
	TAG_INT,
	TAG_LINE,
	TAG_SYMBOL,
	TAG_POOL_CONSTANT,
	TAG_TREE_CONSTANT,
	TAG_LOCAL_STATIC,
	TAG_ASM_LABEL,
	TAG_STRING,
};

struct fingerprint {
	uint64_t strict;
	uint64_t noline;
};

static void fnv1a(uint64_t *hash, const void *data, size_t len)
{
	const unsigned char *byte = (const unsigned char *)data;

	while (len--) {
		*hash ^= *byte++;
		*hash *= FNV1A_PRIME;
	}
}

static void fnv1a_u64(uint64_t *hash, uint64_t value)
{
	unsigned char bytes[8];
	int i;

	for (i = 0; i < 8; i++)
		bytes[i] = (unsigned char)(value >> (8 * i));
	fnv1a(hash, bytes, sizeof(bytes));
}

/* Everything but line-number immediates goes into both hashes alike. */
static void hash_u64(struct fingerprint *fp, uint64_t value)
{
	fnv1a_u64(&fp->strict, value);
	fnv1a_u64(&fp->noline, value);
}

static void hash_bytes(struct fingerprint *fp, const void *data, size_t len)
{
	hash_u64(fp, len);
	fnv1a(&fp->strict, data, len);
	fnv1a(&fp->noline, data, len);
}

static void hash_string(struct fingerprint *fp, const char *str)
{
	hash_u64(fp, TAG_STRING);
	hash_bytes(fp, str, str ? strlen(str) : 0);
}

/* State of the walk over one function. */
struct function_walk {
	struct fingerprint fp;
	/* Code labels numbered in order of first appearance. */
	hash_map<rtx, unsigned> *label_numbers;
	unsigned next_label_number;
	/* The insn being hashed, for its source lines; NULL in jump tables. */
	rtx_insn *insn;
};

static void hash_rtx(struct function_walk *walk, const_rtx x);
static void hash_decl_reference(struct function_walk *walk, tree decl,
				int depth);

/*
 * Symbol names.  GCC numbers clones per build ("f.isra.3", "f.constprop.0",
 * "f.part.1", "f.cold") and the numbers churn when unrelated code changes,
 * while the kind of clone does not.  C identifiers contain no dots, so every
 * all-digit component after a dot is a compiler counter: drop it.
 */
static void hash_symbol_name(struct function_walk *walk, const char *name)
{
	const char *part = name;

	if (*part == '*')		/* "use verbatim" marker, not part of the name */
		part++;
	hash_u64(&walk->fp, TAG_SYMBOL);
	while (*part) {
		const char *end = strchr(part + 1, '.');
		size_t len = end ? (size_t)(end - part) : strlen(part);
		bool counter = part != name && *part == '.' && len > 1 &&
			       strspn(part + 1, "0123456789") == len - 1;

		if (!counter)
			hash_bytes(&walk->fp, part, len);
		part += len;
	}
	hash_u64(&walk->fp, TAG_NULL);
}

static const char *decl_name_for_hash(tree decl)
{
	if (DECL_ASSEMBLER_NAME_SET_P(decl))
		return IDENTIFIER_POINTER(DECL_ASSEMBLER_NAME(decl));
	return DECL_NAME(decl) ? IDENTIFIER_POINTER(DECL_NAME(decl)) : "";
}

static void hash_real(struct function_walk *walk, const REAL_VALUE_TYPE *value,
		      machine_mode mode)
{
	long words[8] = { 0 };

	real_to_target(words, value, mode);
	hash_bytes(&walk->fp, words, sizeof(words));
}

/*
 * Constant data by content: string literals, CSWTCH tables and the like
 * get labels (".LC3", "CSWTCH.12") numbered across the unit, so a new
 * string in one function would otherwise change every later user of
 * another.  DEPTH bounds the recursion through pointers to other
 * compiler-generated constants.
 */
#define MAX_CONSTANT_DEPTH 16

static void hash_tree_constant(struct function_walk *walk, tree t, int depth)
{
	unsigned HOST_WIDE_INT i;
	tree index, value;

	if (!t || depth > MAX_CONSTANT_DEPTH) {
		hash_u64(&walk->fp, TAG_NULL);
		return;
	}
	hash_u64(&walk->fp, TREE_CODE(t));

	switch (TREE_CODE(t)) {
	case INTEGER_CST:
		for (i = 0; i < (unsigned)TREE_INT_CST_NUNITS(t); i++)
			hash_u64(&walk->fp, TREE_INT_CST_ELT(t, i));
		return;
	case REAL_CST:
		hash_real(walk, TREE_REAL_CST_PTR(t), TYPE_MODE(TREE_TYPE(t)));
		return;
	case STRING_CST:
		hash_bytes(&walk->fp, TREE_STRING_POINTER(t), TREE_STRING_LENGTH(t));
		return;
	case COMPLEX_CST:
		hash_tree_constant(walk, TREE_REALPART(t), depth + 1);
		hash_tree_constant(walk, TREE_IMAGPART(t), depth + 1);
		return;
	case VECTOR_CST:
		hash_u64(&walk->fp, VECTOR_CST_NPATTERNS(t));
		hash_u64(&walk->fp, VECTOR_CST_NELTS_PER_PATTERN(t));
		for (i = 0; i < vector_cst_encoded_nelts(t); i++)
			hash_tree_constant(walk, VECTOR_CST_ENCODED_ELT(t, i), depth + 1);
		return;
	case CONSTRUCTOR:
		FOR_EACH_CONSTRUCTOR_ELT(CONSTRUCTOR_ELTS(t), i, index, value) {
			if (index && TREE_CODE(index) == FIELD_DECL)
				hash_u64(&walk->fp, int_bit_position(index));
			else
				hash_tree_constant(walk, index, depth + 1);
			hash_tree_constant(walk, value, depth + 1);
		}
		return;
	case VAR_DECL:
	case FUNCTION_DECL:
		hash_decl_reference(walk, t, depth + 1);
		return;
	default:
		if (EXPR_P(t)) {
			for (i = 0; i < (unsigned)TREE_OPERAND_LENGTH(t); i++)
				hash_tree_constant(walk, TREE_OPERAND(t, i), depth + 1);
		}
		return;
	}
}

/* Compiler-generated read-only data (CSWTCH tables, __func__). */
static bool is_artificial_constant(tree decl)
{
	return VAR_P(decl) && DECL_ARTIFICIAL(decl) && TREE_READONLY(decl) &&
	       TREE_STATIC(decl) && !TREE_PUBLIC(decl) && DECL_INITIAL(decl) &&
	       DECL_INITIAL(decl) != error_mark_node;
}

/* "static int count;" inside a function: assembler name "count.<N>". */
static bool is_function_local_static(tree decl)
{
	return VAR_P(decl) && TREE_STATIC(decl) && DECL_NAME(decl) &&
	       DECL_CONTEXT(decl) &&
	       TREE_CODE(DECL_CONTEXT(decl)) == FUNCTION_DECL;
}

static void hash_decl_reference(struct function_walk *walk, tree decl,
				int depth)
{
	if (is_artificial_constant(decl)) {
		hash_u64(&walk->fp, TAG_TREE_CONSTANT);
		hash_u64(&walk->fp, int_size_in_bytes(TREE_TYPE(decl)));
		hash_tree_constant(walk, DECL_INITIAL(decl), depth);
	} else if (is_function_local_static(decl)) {
		/* The counter in "count.2" depends on every static before it
		 * in the unit; owner and stem identify the variable. */
		hash_u64(&walk->fp, TAG_LOCAL_STATIC);
		hash_symbol_name(walk, decl_name_for_hash(DECL_CONTEXT(decl)));
		hash_symbol_name(walk, IDENTIFIER_POINTER(DECL_NAME(decl)));
	} else {
		hash_symbol_name(walk, decl_name_for_hash(decl));
	}
}

static void hash_symbol_ref(struct function_walk *walk, const_rtx symbol)
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

static void hash_label(struct function_walk *walk, const_rtx label)
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

/* Number of decimal digits at the end of the LEN bytes at TEXT. */
static size_t strspn_reverse_digits(const char *text, size_t len)
{
	size_t digits = 0;

	while (digits < len && ISDIGIT(text[len - 1 - digits]))
		digits++;
	return digits;
}

static void hash_asm_template(struct function_walk *walk, const char *text)
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
			 strspn_reverse_digits(p, len))
			key_len = len;				/* ".Lfoo123" */

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
			hash_bytes(&walk->fp, p, len - strspn_reverse_digits(p, len));
		else
			hash_bytes(&walk->fp, p + key_len, len - key_len);
		p += len;
	}
	hash_u64(&walk->fp, TAG_NULL);
}

static bool line_matches(location_t loc, HOST_WIDE_INT value)
{
	return loc != UNKNOWN_LOCATION && expand_location(loc).line == value;
}

/*
 * Is VALUE the source line of the current insn, or of a call site that
 * inlined it?  __LINE__ in WARN/BUG ends up as such an immediate.  Only
 * these lines count: an immediate that merely happens to equal some line
 * (a struct offset) is code.  expand_location() gives the expansion point
 * of a macro, which is the line __LINE__ expands to.
 */
static bool is_source_line(rtx_insn *insn, HOST_WIDE_INT value)
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

static void hash_immediate(struct function_walk *walk, HOST_WIDE_INT value)
{
	fnv1a_u64(&walk->fp.strict, TAG_INT);
	fnv1a_u64(&walk->fp.strict, value);
	if (is_source_line(walk->insn, value)) {
		fnv1a_u64(&walk->fp.noline, TAG_LINE);
	} else {
		fnv1a_u64(&walk->fp.noline, TAG_INT);
		fnv1a_u64(&walk->fp.noline, value);
	}
}

static void hash_asm_operands(struct function_walk *walk, const_rtx x)
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

/* Rtx code, mode and operands by format, with the exceptions above. */
static void hash_rtx(struct function_walk *walk, const_rtx x)
{
	const char *format;
	int i, j;

	if (!x) {
		hash_u64(&walk->fp, TAG_NULL);
		return;
	}
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
		hash_rtx(walk, XEXP(x, 0));
		return;
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

static void hash_insn(struct function_walk *walk, rtx_insn *insn)
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
static void hash_function_prologue_extras(struct function_walk *walk,
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

/* Collected fingerprints, written out at the end of the unit. */
struct function_fingerprint {
	char *name;
	struct fingerprint fp;
};

static struct function_fingerprint *fingerprints;
static size_t nr_fingerprints, max_fingerprints;

static void record_fingerprint(const char *name, struct fingerprint fp)
{
	if (nr_fingerprints == max_fingerprints) {
		max_fingerprints = max_fingerprints ? 2 * max_fingerprints : 64;
		fingerprints = XRESIZEVEC(struct function_fingerprint,
					  fingerprints, max_fingerprints);
	}
	fingerprints[nr_fingerprints].name = xstrdup(name);
	fingerprints[nr_fingerprints].fp = fp;
	nr_fingerprints++;
}

static const char *function_asm_name(tree fndecl)
{
	const char *name = IDENTIFIER_POINTER(DECL_ASSEMBLER_NAME(fndecl));

	return *name == '*' ? name + 1 : name;
}

static void fingerprint_current_function(void)
{
	hash_map<rtx, unsigned> label_numbers;
	struct function_walk walk;
	rtx_insn *insn;

	walk.fp.strict = FNV1A_OFFSET_BASIS;
	walk.fp.noline = FNV1A_OFFSET_BASIS;
	walk.label_numbers = &label_numbers;
	walk.next_label_number = 0;
	walk.insn = NULL;

	hash_function_prologue_extras(&walk, current_function_decl);
	for (insn = get_insns(); insn; insn = NEXT_INSN(insn))
		hash_insn(&walk, insn);

	record_fingerprint(function_asm_name(current_function_decl), walk.fp);
}

/*
 * Runs just before "final": after branch shortening and the x86
 * endbr/patchable-area pass, so this is the instruction stream that final
 * turns into bytes.
 */
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

/* One line of the section as an .ascii directive, escaped for gas. */
static void emit_section_line(const char *format, ...)
{
	va_list args;
	char *line;
	const unsigned char *c;

	va_start(args, format);
	line = xvasprintf(format, args);
	va_end(args);

	fputs("\t.ascii \"", asm_out_file);
	for (c = (const unsigned char *)line; *c; c++) {
		if (*c == '"' || *c == '\\')
			fprintf(asm_out_file, "\\%c", *c);
		else if (*c >= 0x20 && *c < 0x7f)
			fputc(*c, asm_out_file);
		else
			fprintf(asm_out_file, "\\%03o", *c);
	}
	fputs("\\n\"\n", asm_out_file);
	free(line);
}

static int compare_fingerprints(const void *a, const void *b)
{
	const struct function_fingerprint *x = (const struct function_fingerprint *)a;
	const struct function_fingerprint *y = (const struct function_fingerprint *)b;

	/* Assembler names are unique within a unit. */
	return strcmp(x->name, y->name);
}

/* PLUGIN_FINISH_UNIT: every function is out, asm_out_file is still open. */
static void emit_fingerprint_section(void *gcc_data, void *user_data)
{
	size_t i;

	if (!asm_out_file)
		return;

	qsort(fingerprints, nr_fingerprints, sizeof(*fingerprints),
	      compare_fingerprints);

	fputs("\t.pushsection .discard.ksplice.fingerprints,\"\",@progbits\n",
	      asm_out_file);
	emit_section_line("ksplice-fingerprints 1");
	emit_section_line("compiler %s", compiler_version);
	emit_section_line("unit %s", main_input_filename ? main_input_filename : "");
	for (i = 0; i < nr_fingerprints; i++)
		emit_section_line("fn %s %016" PRIx64 " %016" PRIx64,
				  fingerprints[i].name,
				  fingerprints[i].fp.strict,
				  fingerprints[i].fp.noline);
	fputs("\t.popsection\n", asm_out_file);
}

int plugin_init(struct plugin_name_args *plugin_info,
		struct plugin_gcc_version *version)
{
	const char *plugin_name = plugin_info->base_name;
	bool bad_argument = false;
	int i;

	if (!plugin_default_version_check(version, &gcc_version)) {
		error("%s: built for GCC %s, loaded by GCC %s", plugin_name,
		      gcc_version.basever, version->basever);
		return 1;
	}
	compiler_version = version->basever;

	for (i = 0; i < plugin_info->argc; i++) {
		if (!strcmp(plugin_info->argv[i].key, "version"))
			continue;
		error("%s: unknown plugin argument %qs", plugin_name,
		      plugin_info->argv[i].key);
		bad_argument = true;
	}
	if (bad_argument)
		return 1;

	register_callback(plugin_name, PLUGIN_INFO, NULL, &ksplice_plugin_info);
	register_pass_before(plugin_name, new fingerprint_pass(g),
			     "final");
	register_callback(plugin_name, PLUGIN_FINISH_UNIT,
			  emit_fingerprint_section, NULL);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * references.c - symbols and constant data, hashed by what they mean
 * rather than by the numbers GCC gives them.
 *
 * GCC numbers a unit's clones ("f.isra.3"), function-local statics
 * ("count.2"), string literals (".LC3") and switch tables ("CSWTCH.12")
 * in order of appearance, and the kernel numbers __UNIQUE_ID_ names with
 * __COUNTER__; all of these move when unrelated code earlier in the unit
 * changes.  Hashing them by content, owner or stem keeps such a change
 * from looking like a change to every later function.
 */
#include "ksplice_plugin.h"

#define UNIQUE_ID_PREFIX "__UNIQUE_ID_"

const char *symbol_without_star(const char *name)
{
	return *name == '*' ? name + 1 : name;	/* "use verbatim" marker */
}

/* Number of decimal digits at the end of the LEN bytes at TEXT. */
size_t trailing_digits(const char *text, size_t len)
{
	size_t digits = 0;

	while (digits < len && ISDIGIT(text[len - 1 - digits]))
		digits++;
	return digits;
}

/*
 * C identifiers contain no dots, so every all-digit component after a dot
 * is a compiler counter: drop it, keep the kind of clone.  The digits
 * that end an __UNIQUE_ID_ name are __COUNTER__: drop them too.
 */
void hash_symbol_name(struct hash_walk *walk, const char *name)
{
	const char *part;

	name = symbol_without_star(name);
	part = name;
	hash_u64(&walk->fp, TAG_SYMBOL);
	while (*part) {
		const char *end = strchr(part + 1, '.');
		size_t len = end ? (size_t)(end - part) : strlen(part);
		bool counter = part != name && *part == '.' && len > 1 &&
			       strspn(part + 1, "0123456789") == len - 1;

		if (part == name && !strncmp(part, UNIQUE_ID_PREFIX,
					     strlen(UNIQUE_ID_PREFIX)))
			len -= trailing_digits(part, len);
		if (!counter)
			hash_bytes(&walk->fp, part, len);
		part = end ? end : part + strlen(part);
	}
	hash_u64(&walk->fp, TAG_NULL);
}

const char *decl_name_for_hash(tree decl)
{
	if (DECL_ASSEMBLER_NAME_SET_P(decl))
		return IDENTIFIER_POINTER(DECL_ASSEMBLER_NAME(decl));
	return DECL_NAME(decl) ? IDENTIFIER_POINTER(DECL_NAME(decl)) : "";
}

/* An immediate: a __LINE__ enters the strict hash only. */
void hash_line_or_value(struct hash_walk *walk, HOST_WIDE_INT value,
			bool is_line)
{
	fnv1a_u64(&walk->fp.strict, TAG_INT);
	fnv1a_u64(&walk->fp.strict, value);
	if (is_line) {
		fnv1a_u64(&walk->fp.noline, TAG_LINE);
	} else {
		fnv1a_u64(&walk->fp.noline, TAG_INT);
		fnv1a_u64(&walk->fp.noline, value);
	}
}

void hash_real(struct hash_walk *walk, const REAL_VALUE_TYPE *value,
		      machine_mode mode)
{
	long words[8] = { 0 };

	real_to_target(words, value, mode);
	hash_bytes(&walk->fp, words, sizeof(words));
}

static bool walk_is_line(const struct hash_walk *walk, HOST_WIDE_INT value)
{
	if (walk->insn)
		return is_source_line(walk->insn, value);
	return walk->data_line > 0 && value == walk->data_line;
}

/*
 * A string literal. "FILE:LINE" strings (FORTIFY_SOURCE's field-spanning
 * write warning, timer and lockdep names) put __LINE__ in the bytes: a
 * run of digits after a ':' that is a __LINE__ of the insn (or data
 * object) using the string enters the strict hash only, as an immediate
 * would.
 */
static void hash_string_literal(struct hash_walk *walk, const char *text, size_t len)
{
	size_t at = 0, run;

	fnv1a_u64(&walk->fp.strict, TAG_STRING);
	fnv1a_u64(&walk->fp.noline, TAG_STRING);
	fnv1a_u64(&walk->fp.strict, len);
	fnv1a_u64(&walk->fp.noline, len);
	while (at < len) {
		HOST_WIDE_INT value = 0;

		for (run = 0; at + run < len && ISDIGIT(text[at + run]) && run < 9; run++)
			value = value * 10 + (text[at + run] - '0');
		if (run && at > 0 && text[at - 1] == ':' &&
		    !(at + run < len && ISDIGIT(text[at + run])) && walk_is_line(walk, value)) {
			for (size_t i = 0; i < run; i++)
				fnv1a_u64(&walk->fp.strict, (unsigned char)text[at + i]);
			fnv1a_u64(&walk->fp.noline, TAG_LINE);
			at += run;
			continue;
		}
		run = run ? run : 1;
		for (size_t i = 0; i < run; i++) {
			fnv1a_u64(&walk->fp.strict, (unsigned char)text[at + i]);
			fnv1a_u64(&walk->fp.noline, (unsigned char)text[at + i]);
		}
		at += run;
	}
}

static void hash_integer_constant(struct hash_walk *walk, tree t)
{
	unsigned i;

	if (TREE_INT_CST_NUNITS(t) == 1) {
		HOST_WIDE_INT value = TREE_INT_CST_ELT(t, 0);

		hash_line_or_value(walk, value, walk->data_line > 0 &&
				   value == walk->data_line);
		return;
	}
	for (i = 0; i < (unsigned)TREE_INT_CST_NUNITS(t); i++)
		hash_u64(&walk->fp, TREE_INT_CST_ELT(t, i));
}

/*
 * Constant data by content: initial values, string literals and
 * CSWTCH tables.  DEPTH bounds the recursion through pointers to other
 * compiler-generated constants.
 */
#define MAX_CONSTANT_DEPTH 16

void hash_tree_constant(struct hash_walk *walk, tree t, int depth)
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
		hash_integer_constant(walk, t);
		return;
	case REAL_CST:
		hash_real(walk, TREE_REAL_CST_PTR(t), TYPE_MODE(TREE_TYPE(t)));
		return;
	case STRING_CST:
		hash_string_literal(walk, TREE_STRING_POINTER(t), TREE_STRING_LENGTH(t));
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
bool is_artificial_constant(tree decl)
{
	return VAR_P(decl) && DECL_ARTIFICIAL(decl) && TREE_READONLY(decl) &&
	       TREE_STATIC(decl) && !TREE_PUBLIC(decl) && DECL_INITIAL(decl) &&
	       DECL_INITIAL(decl) != error_mark_node;
}

/* "static int count;" inside a function: assembler name "count.<N>". */
bool is_function_local_static(tree decl)
{
	return VAR_P(decl) && TREE_STATIC(decl) && DECL_NAME(decl) &&
	       DECL_CONTEXT(decl) &&
	       TREE_CODE(DECL_CONTEXT(decl)) == FUNCTION_DECL;
}

/*
 * A constprop clone's name says which function it specialises, not for
 * which constants, and its number changes between builds: the constants
 * are what a caller of "f.constprop" depends on.
 */
static void hash_clone_specialisation(struct hash_walk *walk, tree fndecl, int depth)
{
	cgraph_node *node = cgraph_node::get(fndecl);
	clone_info *info = node ? clone_info::get(node) : NULL;
	ipa_replace_map *replacement;
	unsigned i;

	if (!info || !info->tree_map)
		return;
	FOR_EACH_VEC_SAFE_ELT(info->tree_map, i, replacement) {
		hash_u64(&walk->fp, replacement->parm_num);
		hash_tree_constant(walk, replacement->new_tree, depth + 1);
	}
}

void hash_decl_reference(struct hash_walk *walk, tree decl, int depth)
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
		if (TREE_CODE(decl) == FUNCTION_DECL)
			hash_clone_specialisation(walk, decl, depth);
	}
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ksplice_plugin.h - what the parts of the fingerprint plugin share.
 *
 * The plugin is one shared object built from several files, one per kind
 * of record in the .discard.ksplice.fingerprints section
 * (docs/fingerprints.md): function code, clone origins and inlining,
 * data objects, type layouts and the unit's compiler and flags.
 */
#ifndef KSPLICE_PLUGIN_H
#define KSPLICE_PLUGIN_H

#include "gcc-common.h"
#include "ksplice_contract.h"

/*
 * GCC addresses static data through section anchors on arm64 (aarch64.h's
 * guard says the plugin is built for it).  For other targets anchors.c's
 * code is left out, so that the plugin, and with it the id on which every
 * object of a kernel built with it depends, stays as it was.
 */
#ifdef GCC_AARCH64_H
#define KSPLICE_SECTION_ANCHORS 1
#endif

/* Two hashes of the same thing: "noline" does not see source lines. */
struct fingerprint {
	uint64_t strict;
	uint64_t noline;
};

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
	TAG_DATA,
	TAG_FIELD,
	TAG_TYPE,
	TAG_ANCHOR_BLOCK,
	TAG_ANCHORED_OBJECT,
};

/* hash.c: FNV-1a over an explicit little-endian byte stream. */
void fingerprint_init(struct fingerprint *fp);
void fnv1a_u64(uint64_t *hash, uint64_t value);
void hash_u64(struct fingerprint *fp, uint64_t value);
void hash_bytes(struct fingerprint *fp, const void *data, size_t len);
void hash_string(struct fingerprint *fp, const char *str);

#ifdef KSPLICE_SECTION_ANCHORS
/*
 * A block's layout, which a function's hash takes in at the end of the
 * unit (anchors.c): once every object is placed, as in any build.
 */
struct pending_layout {
	struct object_block *block;
	HOST_WIDE_INT position;
	bool object_only;	/* the object there, not the whole layout */
};
#endif

/*
 * State of one hash over code or data.  Lines: an immediate equal to the
 * source line of INSN (code) or to DATA_LINE (a data object's own line)
 * is a __LINE__ and goes into the strict hash only.
 */
struct hash_walk {
	struct fingerprint fp;
	hash_map<rtx, unsigned> *label_numbers;	/* code labels, in order */
	unsigned next_label_number;
	rtx_insn *insn;		/* NULL in jump tables and data */
	HOST_WIDE_INT data_line;	/* 0 when hashing code */
#ifdef KSPLICE_SECTION_ANCHORS
	bool in_address;	/* inside a MEM's address */
	bool in_high;		/* inside a HIGH: a page's address */
	bool in_dest;		/* a register set, not read */
	struct anchor_regs *anchor_regs;	/* registers holding anchors */
	vec<pending_layout> *layouts;	/* NULL: hash a layout at once */
#endif
};

#ifdef KSPLICE_SECTION_ANCHORS
/* anchors.c: static data reached through section anchors. */
typedef void (*hash_object_fn)(struct hash_walk *walk, const_rtx symbol);
bool hash_anchor_reference(struct hash_walk *walk, const_rtx x,
			   hash_object_fn hash_object);
bool anchor_address(const_rtx x, struct object_block **block, HOST_WIDE_INT *position);
rtx anchor_block_object_at(struct object_block *block, HOST_WIDE_INT position);
void hash_anchored_object(struct hash_walk *walk, struct object_block *block,
			  HOST_WIDE_INT position, hash_object_fn hash_object);
void hash_pending_layouts(struct hash_walk *walk, const vec<pending_layout> &layouts,
			  hash_object_fn hash_object);

/* anchor_regs.c: registers that hold an anchor's address. */
enum anchor_root {
	ANCHOR_ROOT_UNRESOLVED,	/* or no anchor's address taken there */
	ANCHOR_ROOT_RESOLVED,	/* every read of it reaches a known object */
	ANCHOR_ROOT_HANDED_ON,	/* that, and the address itself handed on */
};
enum anchor_root anchor_regs_root_at(const struct anchor_regs *s, rtx_insn *insn);
struct anchor_regs *anchor_regs_begin(rtx_insn *insns);
void anchor_regs_step(struct anchor_regs *s, rtx_insn *insn);
void anchor_regs_end(struct anchor_regs *s);
bool hash_anchor_reg_read(struct hash_walk *walk, const_rtx x,
			  hash_object_fn hash_object);

/* anchor_order.c: each block laid out as another build's (create). */
bool anchor_order_argument(const char *key, const char *value);
void anchor_order_init(const char *plugin_name);
#endif

/* references.c: symbols and constant data, by meaning not by number. */
void hash_symbol_name(struct hash_walk *walk, const char *name);
void hash_decl_reference(struct hash_walk *walk, tree decl, int depth);
void hash_real(struct hash_walk *walk, const REAL_VALUE_TYPE *value,
	       machine_mode mode);
void hash_tree_constant(struct hash_walk *walk, tree t, int depth);
void hash_line_or_value(struct hash_walk *walk, HOST_WIDE_INT value,
			bool is_line);
bool is_function_local_static(tree decl);
bool is_artificial_constant(tree decl);
const char *decl_name_for_hash(tree decl);
const char *symbol_without_star(const char *name);
size_t trailing_digits(const char *text, size_t len);

/* code_fingerprint.c: is VALUE a __LINE__ of INSN (its line, or an inlined call site's)? */
bool is_source_line(rtx_insn *insn, HOST_WIDE_INT value);

/* Each part adds its passes and hooks, and writes its records. */
void code_fingerprints_init(const char *plugin_name);
void emit_code_records(void);
void inline_graph_init(const char *plugin_name);
void emit_inline_graph_records(void);
void emit_data_records(void);
void type_layouts_init(const char *plugin_name);
void emit_type_records(void);
void note_type_used(tree type);
void emit_unit_records(const char *compiler, const char *plugin_version);
void escapes_init(const char *plugin_name);
void emit_escape_records(void);

/* True if NAME is a function the code pass fingerprinted. */
bool is_fingerprinted_function(const char *name);

/* section.c: one line of the section, printf-style, without the "\n". */
void emit_section_line(const char *format, ...) ATTRIBUTE_PRINTF_1;

/* A growable array of malloc'ed strings, sorted on output. */
struct string_list {
	char **items;
	size_t nr, max;
};

void string_list_add(struct string_list *list, char *item);
void string_list_sort(struct string_list *list);
void string_list_free(struct string_list *list);

#endif /* KSPLICE_PLUGIN_H */

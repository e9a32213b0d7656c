/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The text of a .discard.ksplice.fingerprints section, parsed
 * (docs/fingerprints.md).  No ELF here: patchgen and the ksplice command
 * both read sections their own way and share this parser.
 */
#ifndef KSPLICE_FINGERPRINT_FORMAT_H
#define KSPLICE_FINGERPRINT_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "ksplice_contract.h"
#include "name_index.h"

struct fingerprint {
	char *name;
	uint64_t strict;
	uint64_t noline;
	char *origin;		/* clone: the source function; else NULL */
	char *clone_kind;	/* "constprop", "isra.constprop", ... */
	char **inlines;		/* source functions inlined into it */
	size_t nr_inlines;
};

struct data_fingerprint {
	char *name;		/* assembler name, as in the object */
	char *key;		/* the same object in another build */
	uint64_t strict;
	uint64_t noline;
};

struct type_fingerprint {
	char *kind;		/* struct, union or typedef */
	char *name;
	uint64_t layout;
};

/* FUNCTION hands out the address of static read-only VAR (docs/fingerprints.md). */
struct escape {
	char *function;
	char *var;
};

struct fingerprint_table {
	int version;
	char *compiler;
	char *plugin;
	char *flags;		/* hash, then the flags themselves */
	char *unit;
	struct fingerprint *fns;
	size_t nr_fns;
	struct data_fingerprint *vars;
	size_t nr_vars;
	struct type_fingerprint *types;
	size_t nr_types;
	struct escape *escapes;
	size_t nr_escapes;
	/* Indexes (name_index.h); groups by a pair key "A\tB". */
	struct name_index fn_names;
	size_t fn_names_count;		/* the functions fn_names covers */
	struct name_index clones;	/* by origin and kind */
	struct name_index var_names;
	struct name_index var_keys;
	struct name_index type_keys;	/* by kind and name */
	struct name_index escape_vars;
	char **pair_keys;		/* the strings of the pair keys */
	size_t nr_pair_keys;
};

/* "A\tB" into BUF (SIZE bytes), for the pair-keyed indexes. */
const char *fingerprint_pair_key(char *buf, size_t size, const char *a, const char *b);
/* The first entry of IX under the pair key (A, B), or NAME_NONE. */
size_t fingerprint_pair_first(const struct name_index *ix, const char *a, const char *b);

/*
 * Parse SIZE bytes of section text.  0 on success; -1 with a message in
 * ERR (which names nothing: the caller adds the object's path).
 */
int fingerprint_table_parse(const char *text, size_t size,
			    struct fingerprint_table *table, char *err, size_t err_size);
void fingerprint_table_free(struct fingerprint_table *table);

const struct fingerprint *fingerprint_find(const struct fingerprint_table *table,
					   const char *name);
const struct type_fingerprint *type_fingerprint_find(const struct fingerprint_table *table,
						     const char *kind, const char *name);

/* A function that hands out the address of VAR, or NULL if none does. */
const char *fingerprint_escape_of(const struct fingerprint_table *table, const char *var);

/* How two tables' code-generation flags differ, or NULL if they do not. */
const char *fingerprint_flags_differ(const struct fingerprint_table *a,
				     const struct fingerprint_table *b);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A .discard.ksplice.fingerprints section, read (docs/fingerprints.md):
 * the plugin's text, or the binary table a manifest stores in its place
 * (fingerprint_binary.c).  No ELF here: patchgen and the ksplice command
 * both read sections their own way and share this reader.
 */
#ifndef KSPLICE_FINGERPRINT_FORMAT_H
#define KSPLICE_FINGERPRINT_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

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
	/*
	 * Every name points into TEXT (the text form's copy, split in
	 * place) or into the caller's bytes (the binary form).
	 */
	char *text;
	char **inline_names;	/* binary form: every function's inlines */
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
 * Read SIZE bytes of a fingerprint section, text or binary.  0 on
 * success; -1 with a message in ERR (which names nothing: the caller adds
 * the object's path).  A binary table's names stay in BYTES: they must
 * outlive TABLE.
 */
int fingerprint_table_parse(const char *bytes, size_t size,
			    struct fingerprint_table *table, char *err, size_t err_size);
void fingerprint_table_free(struct fingerprint_table *table);

/* COUNT zeroed entries of SIZE bytes (at least one); exits when out of memory. */
void *fingerprint_calloc(size_t count, size_t size);

/* fingerprint_binary.c: the manifest's form of a table (docs/manifest.md). */
bool fingerprint_blob_is(const void *bytes, size_t size);
/* Fills TABLE's arrays from BYTES, names pointing into them; unindexed. */
int fingerprint_blob_decode(const unsigned char *bytes, size_t size,
			    struct fingerprint_table *table, char *err, size_t err_size);
/* TABLE as a malloc'ed binary table in *OUT; -1 if it cannot be encoded. */
int fingerprint_blob_encode(const struct fingerprint_table *table,
			    unsigned char **out, size_t *size);
/* TABLE as the plugin's text, one record per line. */
void fingerprint_table_print(const struct fingerprint_table *table, FILE *out);

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

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names to the entries of one array that carry them, for lookups that
 * would otherwise scan the array: a unit of a whole-kernel fix has
 * thousands of symbols and records, and every one is looked up by name.
 * Each name's entries come in array order, so a lookup finds what a scan
 * from the start would have found first.
 */
#ifndef PATCHGEN_NAME_INDEX_H
#define PATCHGEN_NAME_INDEX_H

#include <stddef.h>
#include <stdint.h>

#define NAME_NONE ((size_t)-1)

struct name_slot;

struct name_index {
	struct name_slot *slots;	/* open addressing; a power of two */
	size_t mask;
	uint32_t *next;			/* the next entry of the same name */
	const char **keys;		/* keys[i]: entry i's name, or NULL */
};

/* 64-bit FNV-1a of the NUL-terminated S. */
uint64_t name_hash(const char *s);

/* Indexes entries 0..n-1 by keys[i]; NULL keys are left out. Takes keys. */
void name_index_build(struct name_index *ix, const char **keys, size_t n);
void name_index_free(struct name_index *ix);

/* The first entry named KEY, or NAME_NONE; then the next, in order. */
size_t name_index_first(const struct name_index *ix, const char *key);
size_t name_index_next(const struct name_index *ix, size_t entry);

#endif

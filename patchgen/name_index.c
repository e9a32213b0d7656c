// SPDX-License-Identifier: GPL-2.0
#include "name_index.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 32-bit entries: an object's tables are far smaller, and half the size is fewer faults. */
struct name_slot {
	uint32_t first;	/* entry + 1; 0: empty */
	uint32_t last;
};

#define NO_NEXT UINT32_MAX

uint64_t name_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

/* KEY's slot: the one holding it, or the empty one where it would go. */
static struct name_slot *slot_of(const struct name_index *ix, const char *key)
{
	size_t i = name_hash(key) & ix->mask;

	while (ix->slots[i].first && strcmp(ix->keys[ix->slots[i].first - 1], key))
		i = (i + 1) & ix->mask;
	return &ix->slots[i];
}

/* Its own allocation: the ksplice command links this file without patchgen's. */
static void *zalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p) {
		perror("name index");
		exit(1);
	}
	return p;
}

void name_index_build(struct name_index *ix, const char **keys, size_t n)
{
	size_t size = 16;

	while (size < 2 * n)
		size *= 2;
	if (n >= NO_NEXT) {
		fprintf(stderr, "name index: %zu entries are too many\n", n);
		exit(1);
	}
	ix->slots = zalloc(size, sizeof(*ix->slots));
	ix->mask = size - 1;
	ix->next = zalloc(n, sizeof(*ix->next));
	ix->keys = keys;
	for (size_t i = 0; i < n; i++) {
		struct name_slot *slot;

		ix->next[i] = NO_NEXT;
		if (!keys[i])
			continue;
		slot = slot_of(ix, keys[i]);
		if (slot->first)
			ix->next[slot->last - 1] = i;
		else
			slot->first = i + 1;
		slot->last = i + 1;
	}
}

void name_index_free(struct name_index *ix)
{
	free(ix->slots);
	free(ix->next);
	free(ix->keys);
	memset(ix, 0, sizeof(*ix));
}

size_t name_index_first(const struct name_index *ix, const char *key)
{
	const struct name_slot *slot;

	if (!ix->slots)
		return NAME_NONE;
	slot = slot_of(ix, key);
	return slot->first ? slot->first - 1 : NAME_NONE;
}

size_t name_index_next(const struct name_index *ix, size_t entry)
{
	return ix->next[entry] == NO_NEXT ? NAME_NONE : ix->next[entry];
}

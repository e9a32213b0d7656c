/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The manifest's layout on disk (docs/manifest.md): a header, an entry
 * table sorted by the hash of each name, the names, then one zstd frame
 * per entry. Every integer is little-endian; a reader maps the file and
 * finds an entry by binary search, decompressing only what it asks for.
 */
#ifndef KSPLICE_MANIFEST_FORMAT_H
#define KSPLICE_MANIFEST_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ksplice_contract.h"

struct manifest_header {
	char magic[8];			/* KSPLICE_MANIFEST_MAGIC */
	uint32_t format;		/* KSPLICE_MANIFEST_FORMAT */
	uint32_t nr_entries;
	uint64_t entries_offset;
	uint64_t names_offset;
	uint64_t names_size;
	uint64_t file_size;		/* a truncated copy is refused */
};

/* What an entry is; a file of the tree keeps its path as its name. */
enum manifest_kind {
	MANIFEST_FILE = 'f',		/* a tree file: .cmd, .mod, System.map... */
	MANIFEST_OBJECT = 'o',		/* an object with fingerprints, debug info emptied */
	MANIFEST_PLAIN = 'p',		/* an object without them: only its name */
};

struct manifest_entry {
	uint64_t hash;			/* manifest_hash(name) */
	uint32_t name_offset;		/* into the names, NUL-terminated */
	uint32_t kind;			/* enum manifest_kind */
	uint64_t blob_offset;		/* the zstd frame */
	uint64_t blob_size;
	uint64_t size;			/* the entry's bytes once decompressed */
};

_Static_assert(sizeof(struct manifest_header) == 48, "manifest header layout");
_Static_assert(sizeof(struct manifest_entry) == 40, "manifest entry layout");

/* 64-bit FNV-1a: the order of the entry table. */
static inline uint64_t manifest_hash(const char *name)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * 0x100000001b3ull;
	return h;
}

struct manifest {
	const unsigned char *map;
	size_t size;
	const struct manifest_header *header;
	const struct manifest_entry *entries;
	const char *names;
};

/* manifest_read.c: 0, or -1 with a message in err naming what is wrong. */
int manifest_open(struct manifest *m, const char *path, char *err, size_t err_size);
void manifest_close(struct manifest *m);
const struct manifest_entry *manifest_find(const struct manifest *m, const char *name);
const char *manifest_name(const struct manifest *m, const struct manifest_entry *e);
/* The entry's bytes, malloc'ed; NULL on a damaged frame. */
unsigned char *manifest_read_entry(const struct manifest *m, const struct manifest_entry *e);

/* manifest_strip.c: an ELF relocatable object with its debug sections emptied. */
int strip_debug(const unsigned char *elf, size_t size, unsigned char **out, size_t *out_size,
		bool *has_fingerprints);

#endif

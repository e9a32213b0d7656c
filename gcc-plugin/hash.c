// SPDX-License-Identifier: GPL-2.0
/*
 * hash.c - FNV-1a, 64 bits, over an explicit little-endian byte stream:
 * the same input gives the same hash on any host, and nothing that depends
 * on the address space (pointers, UIDs, hash-table order) ever enters it.
 */
#include "ksplice_plugin.h"

#define FNV1A_OFFSET_BASIS 0xcbf29ce484222325ULL
#define FNV1A_PRIME 0x100000001b3ULL

void fingerprint_init(struct fingerprint *fp)
{
	fp->strict = FNV1A_OFFSET_BASIS;
	fp->noline = FNV1A_OFFSET_BASIS;
}

static void fnv1a(uint64_t *hash, const void *data, size_t len)
{
	const unsigned char *byte = (const unsigned char *)data;

	while (len--) {
		*hash ^= *byte++;
		*hash *= FNV1A_PRIME;
	}
}

void fnv1a_u64(uint64_t *hash, uint64_t value)
{
	unsigned char bytes[8];
	int i;

	for (i = 0; i < 8; i++)
		bytes[i] = (unsigned char)(value >> (8 * i));
	fnv1a(hash, bytes, sizeof(bytes));
}

/* Everything but line-number immediates goes into both hashes alike. */
void hash_u64(struct fingerprint *fp, uint64_t value)
{
	fnv1a_u64(&fp->strict, value);
	fnv1a_u64(&fp->noline, value);
}

void hash_bytes(struct fingerprint *fp, const void *data, size_t len)
{
	hash_u64(fp, len);
	fnv1a(&fp->strict, data, len);
	fnv1a(&fp->noline, data, len);
}

void hash_string(struct fingerprint *fp, const char *str)
{
	hash_u64(fp, TAG_STRING);
	hash_bytes(fp, str, str ? strlen(str) : 0);
}

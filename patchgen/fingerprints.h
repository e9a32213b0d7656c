/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reader for the plugin's per-object fingerprint records, the
 * .discard.ksplice.fingerprints section (format: docs/fingerprints.md).
 */
#ifndef PATCHGEN_FINGERPRINTS_H
#define PATCHGEN_FINGERPRINTS_H

#include <stdint.h>

#include "elf_model.h"

#define FINGERPRINT_SECTION ".discard.ksplice.fingerprints"
#define FINGERPRINT_VERSION 1

struct fingerprint {
	char *name;
	uint64_t strict;
	uint64_t noline;
};

struct fingerprint_table {
	char *compiler;
	char *unit;
	struct fingerprint *fns;
	size_t nr_fns;
};

/* 0 on success; -1 with a message naming the object otherwise. */
int fingerprints_read(const struct object *obj, struct fingerprint_table *table);
void fingerprints_free(struct fingerprint_table *table);
const struct fingerprint *fingerprint_find(const struct fingerprint_table *table,
					   const char *name);

#endif

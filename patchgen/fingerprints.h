/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The plugin's records of one object (format: docs/fingerprints.md),
 * read from its .discard.ksplice.fingerprints section.
 */
#ifndef PATCHGEN_FINGERPRINTS_H
#define PATCHGEN_FINGERPRINTS_H

#include "elf_model.h"
#include "fingerprint_format.h"

/* 0 on success; -1 with a message naming the object otherwise. */
int fingerprints_read(const struct object *obj, struct fingerprint_table *table);

#endif

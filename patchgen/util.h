/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PATCHGEN_UTIL_H
#define PATCHGEN_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "ksplice_contract.h"

/* Exit codes, shared with the ksplice command (docs/cli.md). */
enum {
	EXIT_OK = KSPLICE_EXIT_OK,
	EXIT_FAILED = KSPLICE_EXIT_FAILED,
	EXIT_BAD_INPUT = KSPLICE_EXIT_BAD_INPUT,
	EXIT_NOTHING = KSPLICE_EXIT_NOTHING,
	EXIT_REFUSED = KSPLICE_EXIT_REFUSED,
};

/*
 * What patchgen finds: a line "KIND NAME (OBJECT): TEXT" on stdout and,
 * after report_open(), a JSON record on its own line of that file:
 * {"kind": KIND, "name": NAME, "object": OBJECT, "text": TEXT}. Errors
 * and refusals are records too ("error", "refusal"), with null name and
 * object. Kinds: replace, new, hook, link, note, redirect, same,
 * tracepoint (docs/patchgen.md).
 */
int report_open(const char *path);
void found(const char *kind, const char *name, const char *object, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Prints "patchgen: ..." to stderr, as a record of KIND. */
void tell(const char *kind, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints "patchgen: ..." to stderr and returns -1. */
int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints "patchgen: cannot patch live: ..." and sets refused. */
extern bool refused;
int refuse(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);

/* Growable byte buffer. */
struct buf {
	unsigned char *data;
	size_t len, cap;
};
size_t buf_append(struct buf *b, const void *p, size_t n);
size_t buf_pad(struct buf *b, size_t align);

/* The name without a GCC numbering suffix: "count.3" -> "count". */
size_t name_stem_len(const char *name);

#endif

// SPDX-License-Identifier: GPL-2.0
#include "util.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool refused;

static void report(const char *prefix, const char *fmt, va_list ap)
{
	fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report("patchgen: ", fmt, ap);
	va_end(ap);
	return -1;
}

int refuse(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report("patchgen: cannot patch live: ", fmt, ap);
	va_end(ap);
	refused = true;
	return -1;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p) {
		perror("patchgen");
		exit(EXIT_FAILED);
	}
	return p;
}

void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size ? size : 1);
	if (!p) {
		perror("patchgen");
		exit(EXIT_FAILED);
	}
	return p;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p) {
		perror("patchgen");
		exit(EXIT_FAILED);
	}
	return p;
}

size_t buf_append(struct buf *b, const void *p, size_t n)
{
	size_t at = b->len;

	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2 + 64;
		b->data = xrealloc(b->data, b->cap);
	}
	if (p)
		memcpy(b->data + b->len, p, n);
	else
		memset(b->data + b->len, 0, n);
	b->len += n;
	return at;
}

size_t buf_pad(struct buf *b, size_t align)
{
	if (align > 1 && b->len % align)
		buf_append(b, NULL, align - b->len % align);
	return b->len;
}

size_t name_stem_len(const char *name)
{
	size_t len = strlen(name);
	size_t end = len;

	while (end > 0 && isdigit((unsigned char)name[end - 1]))
		end--;
	if (end > 0 && end < len && name[end - 1] == '.')
		return end - 1;
	return len;
}

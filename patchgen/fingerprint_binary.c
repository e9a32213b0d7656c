// SPDX-License-Identifier: GPL-2.0
/*
 * The binary form of a fingerprint table, which a manifest's object
 * copies carry instead of the plugin's text (docs/manifest.md): fixed-size
 * records that point into one string table, so a reader takes the arrays
 * as they are and never splits or converts text. Little-endian, as every
 * target ksplice builds for.
 *
 *   header                          56 bytes
 *   functions    32 bytes each      strict, noline, name, origin, kind, inlines
 *   data         24 bytes each      strict, noline, name, key
 *   types        16 bytes each      layout, kind, name
 *   escapes       8 bytes each      function, data
 *   inlines       4 bytes each      every function's, in function order
 *   strings                         NUL-terminated, the last byte NUL
 */
#include "fingerprint_format.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define BLOB_MAGIC "KSPLFPRT"	/* the text starts with KSPLICE_FINGERPRINT_MAGIC */
#define NO_STRING UINT32_MAX

struct blob_header {
	char magic[8];
	uint32_t format;		/* KSPLICE_FINGERPRINT_FORMAT */
	uint32_t nr_fns, nr_vars, nr_types, nr_escapes, nr_inlines;
	uint32_t compiler, plugin, flags, unit;	/* unit may be NO_STRING */
	uint32_t strings_size;
	uint32_t reserved;
};

struct blob_fn {
	uint64_t strict, noline;
	uint32_t name, origin, clone_kind;	/* origin, kind: NO_STRING unless a clone */
	uint32_t nr_inlines;
};

struct blob_var {
	uint64_t strict, noline;
	uint32_t name, key;
};

struct blob_type {
	uint64_t layout;
	uint32_t kind, name;
};

struct blob_escape {
	uint32_t function, var;
};

_Static_assert(sizeof(struct blob_header) == 56, "fingerprint blob header");
_Static_assert(sizeof(struct blob_fn) == 32, "fingerprint blob function");
_Static_assert(sizeof(struct blob_var) == 24, "fingerprint blob data");
_Static_assert(sizeof(struct blob_type) == 16, "fingerprint blob type");

bool fingerprint_blob_is(const void *bytes, size_t size)
{
	return size >= sizeof(struct blob_header) && !memcmp(bytes, BLOB_MAGIC, 8);
}

/* The bytes of the header and record arrays: all but the strings. */
static uint64_t records_size(const struct blob_header *h)
{
	return sizeof(*h) + (uint64_t)h->nr_fns * sizeof(struct blob_fn) +
	       (uint64_t)h->nr_vars * sizeof(struct blob_var) +
	       (uint64_t)h->nr_types * sizeof(struct blob_type) +
	       (uint64_t)h->nr_escapes * sizeof(struct blob_escape) +
	       (uint64_t)h->nr_inlines * sizeof(uint32_t);
}

/* A table's strings; BAD once any record points outside them. */
struct blob_reader {
	const char *strings;
	uint32_t strings_size;
	bool bad;
};

/* The string at OFFSET, or NULL: none (OPTIONAL and NO_STRING) or bad. */
static char *string_at(struct blob_reader *r, uint32_t offset, bool optional)
{
	if (optional && offset == NO_STRING)
		return NULL;
	if (offset >= r->strings_size) {
		r->bad = true;
		return NULL;
	}
	return (char *)r->strings + offset;
}

static int damaged(char *err, size_t err_size, const char *what)
{
	snprintf(err, err_size, "damaged binary fingerprint table: %s", what);
	return -1;
}

int fingerprint_blob_decode(const unsigned char *bytes, size_t size,
			    struct fingerprint_table *table, char *err, size_t err_size)
{
	struct blob_header h;
	struct blob_reader r = { 0 };
	size_t pos, next_inline = 0;

	memcpy(&h, bytes, sizeof(h));
	if (h.format != KSPLICE_FINGERPRINT_FORMAT) {
		snprintf(err, err_size, "fingerprint format %u, this ksplice reads %d "
			 "(rebuild the kernel with this ksplice's plugin)",
			 h.format, KSPLICE_FINGERPRINT_FORMAT);
		return -1;
	}
	if (records_size(&h) + h.strings_size != size)
		return damaged(err, err_size, "its size is not its records'");
	r.strings = (const char *)bytes + size - h.strings_size;
	r.strings_size = h.strings_size;
	if (!h.strings_size || r.strings[h.strings_size - 1])
		return damaged(err, err_size, "its strings do not end in NUL");

	table->version = h.format;
	table->compiler = string_at(&r, h.compiler, false);
	table->plugin = string_at(&r, h.plugin, false);
	table->flags = string_at(&r, h.flags, false);
	table->unit = string_at(&r, h.unit, true);
	table->fns = fingerprint_calloc(h.nr_fns, sizeof(*table->fns));
	table->vars = fingerprint_calloc(h.nr_vars, sizeof(*table->vars));
	table->types = fingerprint_calloc(h.nr_types, sizeof(*table->types));
	table->escapes = fingerprint_calloc(h.nr_escapes, sizeof(*table->escapes));
	table->inline_names = fingerprint_calloc(h.nr_inlines, sizeof(char *));
	/* The inlines are the last records. */
	pos = records_size(&h) - (size_t)h.nr_inlines * sizeof(uint32_t);
	for (uint32_t i = 0; i < h.nr_inlines; i++) {
		uint32_t offset;

		memcpy(&offset, bytes + pos + i * sizeof(offset), sizeof(offset));
		table->inline_names[i] = string_at(&r, offset, false);
	}

	pos = sizeof(h);
	for (uint32_t i = 0; i < h.nr_fns; i++, pos += sizeof(struct blob_fn)) {
		struct fingerprint *fn = &table->fns[i];
		struct blob_fn b;

		memcpy(&b, bytes + pos, sizeof(b));
		fn->strict = b.strict;
		fn->noline = b.noline;
		fn->name = string_at(&r, b.name, false);
		fn->origin = string_at(&r, b.origin, true);
		fn->clone_kind = string_at(&r, b.clone_kind, true);
		if (!fn->origin != !fn->clone_kind || b.nr_inlines > h.nr_inlines - next_inline)
			r.bad = true;
		if (r.bad)
			break;
		fn->inlines = table->inline_names + next_inline;
		fn->nr_inlines = b.nr_inlines;
		next_inline += b.nr_inlines;
	}
	table->nr_fns = h.nr_fns;
	if (!r.bad && next_inline != h.nr_inlines)
		r.bad = true;
	for (uint32_t i = 0; i < h.nr_vars && !r.bad; i++, pos += sizeof(struct blob_var)) {
		struct blob_var b;

		memcpy(&b, bytes + pos, sizeof(b));
		table->vars[i] = (struct data_fingerprint){
			.name = string_at(&r, b.name, false),
			.key = string_at(&r, b.key, false),
			.strict = b.strict,
			.noline = b.noline,
		};
	}
	table->nr_vars = h.nr_vars;
	for (uint32_t i = 0; i < h.nr_types && !r.bad; i++, pos += sizeof(struct blob_type)) {
		struct blob_type b;

		memcpy(&b, bytes + pos, sizeof(b));
		table->types[i] = (struct type_fingerprint){
			.kind = string_at(&r, b.kind, false),
			.name = string_at(&r, b.name, false),
			.layout = b.layout,
		};
	}
	table->nr_types = h.nr_types;
	for (uint32_t i = 0; i < h.nr_escapes && !r.bad; i++, pos += sizeof(struct blob_escape)) {
		struct blob_escape b;

		memcpy(&b, bytes + pos, sizeof(b));
		table->escapes[i] = (struct escape){
			.function = string_at(&r, b.function, false),
			.var = string_at(&r, b.var, false),
		};
	}
	table->nr_escapes = h.nr_escapes;
	if (r.bad)
		return damaged(err, err_size, "a record points outside its strings");
	return 0;
}

/* The encoder's string table: each string once, found by a small hash. */
struct string_table {
	char *bytes;
	size_t size, capacity;
	uint32_t *slots;		/* offset + 1; 0: empty */
	size_t mask, used;
};

static int rehash(struct string_table *st, size_t slots)
{
	uint32_t *old = st->slots;
	size_t old_mask = st->mask;

	st->slots = calloc(slots, sizeof(*st->slots));
	if (!st->slots)
		return -1;
	st->mask = slots - 1;
	for (size_t i = 0; old && i <= old_mask; i++) {
		size_t j;

		if (!old[i])
			continue;
		j = name_hash(st->bytes + old[i] - 1) & st->mask;
		while (st->slots[j])
			j = (j + 1) & st->mask;
		st->slots[j] = old[i];
	}
	free(old);
	return 0;
}

/* S's offset in the table, added if new; NO_STRING for NULL or no room. */
static uint32_t intern(struct string_table *st, const char *s, bool *failed)
{
	size_t len, j;

	if (!s)
		return NO_STRING;
	if ((st->used + 1) * 2 > st->mask + 1 && rehash(st, (st->mask + 1) * 2))
		goto fail;
	j = name_hash(s) & st->mask;
	for (; st->slots[j]; j = (j + 1) & st->mask)
		if (!strcmp(st->bytes + st->slots[j] - 1, s))
			return st->slots[j] - 1;
	len = strlen(s) + 1;
	if (st->size + len >= NO_STRING)
		goto fail;
	if (st->size + len > st->capacity) {
		size_t capacity = (st->size + len) * 2;
		char *bytes = realloc(st->bytes, capacity);

		if (!bytes)
			goto fail;
		st->bytes = bytes;
		st->capacity = capacity;
	}
	memcpy(st->bytes + st->size, s, len);
	st->slots[j] = st->size + 1;
	st->used++;
	st->size += len;
	return st->slots[j] - 1;
fail:
	*failed = true;
	return NO_STRING;
}

int fingerprint_blob_encode(const struct fingerprint_table *table,
			    unsigned char **out, size_t *size)
{
	struct string_table st = { 0 };
	struct blob_header h = { 0 };
	size_t nr_inlines = 0, records, pos;
	unsigned char *blob = NULL;
	bool failed = false;

	for (size_t i = 0; i < table->nr_fns; i++)
		nr_inlines += table->fns[i].nr_inlines;
	if (table->nr_fns > UINT32_MAX || table->nr_vars > UINT32_MAX ||
	    table->nr_types > UINT32_MAX || table->nr_escapes > UINT32_MAX ||
	    nr_inlines > UINT32_MAX || rehash(&st, 1024))
		return -1;
	memcpy(h.magic, BLOB_MAGIC, sizeof(h.magic));
	h.format = table->version;
	h.nr_fns = table->nr_fns;
	h.nr_vars = table->nr_vars;
	h.nr_types = table->nr_types;
	h.nr_escapes = table->nr_escapes;
	h.nr_inlines = nr_inlines;
	records = records_size(&h);
	blob = malloc(records);
	if (!blob)
		goto fail;
	h.compiler = intern(&st, table->compiler, &failed);
	h.plugin = intern(&st, table->plugin, &failed);
	h.flags = intern(&st, table->flags, &failed);
	h.unit = intern(&st, table->unit, &failed);

	pos = sizeof(h);
	for (size_t i = 0; i < table->nr_fns; i++, pos += sizeof(struct blob_fn)) {
		const struct fingerprint *fn = &table->fns[i];
		struct blob_fn b = {
			.strict = fn->strict,
			.noline = fn->noline,
			.name = intern(&st, fn->name, &failed),
			.origin = intern(&st, fn->origin, &failed),
			.clone_kind = intern(&st, fn->clone_kind, &failed),
			.nr_inlines = fn->nr_inlines,
		};

		memcpy(blob + pos, &b, sizeof(b));
	}
	for (size_t i = 0; i < table->nr_vars; i++, pos += sizeof(struct blob_var)) {
		const struct data_fingerprint *var = &table->vars[i];
		struct blob_var b = {
			.strict = var->strict,
			.noline = var->noline,
			.name = intern(&st, var->name, &failed),
			.key = intern(&st, var->key, &failed),
		};

		memcpy(blob + pos, &b, sizeof(b));
	}
	for (size_t i = 0; i < table->nr_types; i++, pos += sizeof(struct blob_type)) {
		struct blob_type b = {
			.layout = table->types[i].layout,
			.kind = intern(&st, table->types[i].kind, &failed),
			.name = intern(&st, table->types[i].name, &failed),
		};

		memcpy(blob + pos, &b, sizeof(b));
	}
	for (size_t i = 0; i < table->nr_escapes; i++, pos += sizeof(struct blob_escape)) {
		struct blob_escape b = {
			.function = intern(&st, table->escapes[i].function, &failed),
			.var = intern(&st, table->escapes[i].var, &failed),
		};

		memcpy(blob + pos, &b, sizeof(b));
	}
	for (size_t i = 0; i < table->nr_fns; i++) {
		for (size_t j = 0; j < table->fns[i].nr_inlines; j++, pos += sizeof(uint32_t)) {
			uint32_t offset = intern(&st, table->fns[i].inlines[j], &failed);

			memcpy(blob + pos, &offset, sizeof(offset));
		}
	}
	if (failed || !st.size)
		goto fail;
	h.strings_size = st.size;
	memcpy(blob, &h, sizeof(h));
	*out = realloc(blob, records + st.size);
	if (!*out)
		goto fail;
	memcpy(*out + records, st.bytes, st.size);
	*size = records + st.size;
	free(st.bytes);
	free(st.slots);
	return 0;
fail:
	free(blob);
	free(st.bytes);
	free(st.slots);
	return -1;
}

void fingerprint_table_print(const struct fingerprint_table *table, FILE *out)
{
	fprintf(out, "%s %d\ncompiler %s\nplugin %s\nflags %s\n", KSPLICE_FINGERPRINT_MAGIC,
		table->version, table->compiler, table->plugin, table->flags);
	if (table->unit)
		fprintf(out, "unit %s\n", table->unit);
	for (size_t i = 0; i < table->nr_fns; i++) {
		const struct fingerprint *fn = &table->fns[i];

		fprintf(out, "fn %s %016" PRIx64 " %016" PRIx64 "\n", fn->name, fn->strict,
			fn->noline);
		if (fn->origin)
			fprintf(out, "clone %s %s %s\n", fn->name, fn->origin, fn->clone_kind);
		if (fn->nr_inlines) {
			fprintf(out, "inline %s", fn->name);
			for (size_t j = 0; j < fn->nr_inlines; j++)
				fprintf(out, " %s", fn->inlines[j]);
			fputc('\n', out);
		}
	}
	for (size_t i = 0; i < table->nr_vars; i++)
		fprintf(out, "var %s %s %016" PRIx64 " %016" PRIx64 "\n", table->vars[i].name,
			table->vars[i].key, table->vars[i].strict, table->vars[i].noline);
	for (size_t i = 0; i < table->nr_types; i++)
		fprintf(out, "type %s %s %016" PRIx64 "\n", table->types[i].kind,
			table->types[i].name, table->types[i].layout);
	for (size_t i = 0; i < table->nr_escapes; i++)
		fprintf(out, "escape %s %s\n", table->escapes[i].function, table->escapes[i].var);
}

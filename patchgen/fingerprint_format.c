// SPDX-License-Identifier: GPL-2.0
/*
 * Parser of the plugin's records (docs/fingerprints.md): one record per
 * line, fields separated by single spaces, names never contain spaces.
 */
#include "fingerprint_format.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 4096

void *fingerprint_calloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size);

	if (!p) {
		perror("ksplice");
		exit(1);
	}
	return p;
}

static bool parse_hash(const char *text, uint64_t *value)
{
	char *end;

	if (strlen(text) != 16)
		return false;
	*value = strtoull(text, &end, 16);
	return *end == '\0';
}

/* Indexes the functions read so far, unless it is current. */
static void index_functions(struct fingerprint_table *table)
{
	const char **keys;

	if (table->fn_names.slots && table->fn_names_count == table->nr_fns)
		return;
	name_index_free(&table->fn_names);
	keys = fingerprint_calloc(table->nr_fns, sizeof(*keys));
	for (size_t i = 0; i < table->nr_fns; i++)
		keys[i] = table->fns[i].name;
	name_index_build(&table->fn_names, keys, table->nr_fns);
	table->fn_names_count = table->nr_fns;
}

/* The record whose "fn" line came first; clone/inline lines follow them. */
static struct fingerprint *function_of(struct fingerprint_table *table, const char *name)
{
	index_functions(table);
	return (struct fingerprint *)fingerprint_find(table, name);
}

const char *fingerprint_pair_key(char *buf, size_t size, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la + lb + 2 > size) {
		fprintf(stderr, "ksplice: a name pair longer than its key\n");
		exit(1);
	}
	memcpy(buf, a, la);
	buf[la] = '\t';
	memcpy(buf + la + 1, b, lb + 1);
	return buf;
}

static const char *pair_key(struct fingerprint_table *table, const char *a, const char *b)
{
	size_t len = strlen(a) + strlen(b) + 2;
	char *key = malloc(len);

	if (!key) {
		perror("ksplice");
		exit(1);
	}
	table->pair_keys[table->nr_pair_keys++] = key;	/* sized by index_table */
	return fingerprint_pair_key(key, len, a, b);
}

/* Every index, once the whole table is read. */
static void index_table(struct fingerprint_table *table)
{
	const char **clones = fingerprint_calloc(table->nr_fns, sizeof(char *));
	const char **var_names = fingerprint_calloc(table->nr_vars, sizeof(char *));
	const char **var_keys = fingerprint_calloc(table->nr_vars, sizeof(char *));
	const char **types = fingerprint_calloc(table->nr_types, sizeof(char *));
	const char **escape_vars = fingerprint_calloc(table->nr_escapes, sizeof(char *));

	index_functions(table);
	table->pair_keys = fingerprint_calloc(table->nr_fns + table->nr_types, sizeof(char *));
	for (size_t i = 0; i < table->nr_fns; i++)
		if (table->fns[i].origin)
			clones[i] = pair_key(table, table->fns[i].origin, table->fns[i].clone_kind);
	for (size_t i = 0; i < table->nr_vars; i++) {
		var_names[i] = table->vars[i].name;
		var_keys[i] = table->vars[i].key;
	}
	for (size_t i = 0; i < table->nr_types; i++)
		types[i] = pair_key(table, table->types[i].kind, table->types[i].name);
	name_index_build(&table->clones, clones, table->nr_fns);
	name_index_build(&table->var_names, var_names, table->nr_vars);
	name_index_build(&table->var_keys, var_keys, table->nr_vars);
	name_index_build(&table->type_keys, types, table->nr_types);
	for (size_t i = 0; i < table->nr_escapes; i++)
		escape_vars[i] = table->escapes[i].var;
	name_index_build(&table->escape_vars, escape_vars, table->nr_escapes);
}

/* Records are sized before they are read: no array grows a record at a time. */
static int parse_record(struct fingerprint_table *table, char **field, int n)
{
	const char *kind = field[0];

	if (!strcmp(kind, "fn") && n == 4) {
		struct fingerprint *fn = &table->fns[table->nr_fns];

		if (!parse_hash(field[2], &fn->strict) || !parse_hash(field[3], &fn->noline))
			return -1;
		fn->name = field[1];
		table->nr_fns++;
	} else if (!strcmp(kind, "clone") && n == 4) {
		struct fingerprint *fn = function_of(table, field[1]);

		if (!fn || fn->origin)
			return -1;	/* no function, or a second origin */
		fn->origin = field[2];
		fn->clone_kind = field[3];
	} else if (!strcmp(kind, "inline") && n >= 3) {
		struct fingerprint *fn = function_of(table, field[1]);
		char **inlines;

		if (!fn)
			return -1;
		inlines = realloc(fn->inlines, (fn->nr_inlines + n - 2) * sizeof(char *));
		if (!inlines) {
			perror("ksplice");
			exit(1);
		}
		fn->inlines = inlines;
		for (int i = 2; i < n; i++)
			fn->inlines[fn->nr_inlines++] = field[i];
	} else if (!strcmp(kind, "var") && n == 5) {
		struct data_fingerprint *var = &table->vars[table->nr_vars];

		if (!parse_hash(field[3], &var->strict) || !parse_hash(field[4], &var->noline))
			return -1;
		var->name = field[1];
		var->key = field[2];
		table->nr_vars++;
	} else if (!strcmp(kind, "type") && n == 4) {
		struct type_fingerprint *type = &table->types[table->nr_types];

		if (!parse_hash(field[3], &type->layout))
			return -1;
		type->kind = field[1];
		type->name = field[2];
		table->nr_types++;
	} else if (!strcmp(kind, "escape") && n == 3) {
		table->escapes[table->nr_escapes++] = (struct escape){ field[1], field[2] };
	}
	/* Unknown kinds are skipped: the version says what must be known. */
	return 0;
}

static char **header_field(struct fingerprint_table *table, char *line, char **rest)
{
	static const struct {
		const char *prefix;
		size_t offset;
	} headers[] = {
		{ "compiler ", offsetof(struct fingerprint_table, compiler) },
		{ "plugin ", offsetof(struct fingerprint_table, plugin) },
		{ "flags ", offsetof(struct fingerprint_table, flags) },
		{ "unit ", offsetof(struct fingerprint_table, unit) },
	};

	for (size_t i = 0; i < sizeof(headers) / sizeof(headers[0]); i++) {
		if (!strncmp(line, headers[i].prefix, strlen(headers[i].prefix))) {
			*rest = line + strlen(headers[i].prefix);
			return (char **)((char *)table + headers[i].offset);
		}
	}
	return NULL;
}

static int parse_line(struct fingerprint_table *table, char *line, size_t lineno,
		      char *err, size_t err_size)
{
	static char *field[MAX_FIELDS];
	char **header, *rest, *save = NULL;
	int n = 0;

	if (lineno == 1) {
		if (sscanf(line, KSPLICE_FINGERPRINT_MAGIC " %d", &table->version) != 1) {
			snprintf(err, err_size, "fingerprint section has no header");
			return -1;
		}
		if (table->version != KSPLICE_FINGERPRINT_FORMAT) {
			snprintf(err, err_size, "fingerprint format %d, this ksplice reads %d "
				 "(rebuild the kernel with this ksplice's plugin)",
				 table->version, KSPLICE_FINGERPRINT_FORMAT);
			return -1;
		}
		return 0;
	}
	header = header_field(table, line, &rest);
	if (header) {
		*header = rest;
		return 0;
	}
	for (char *f = strtok_r(line, " ", &save); f && n < MAX_FIELDS;
	     f = strtok_r(NULL, " ", &save))
		field[n++] = f;
	if (n && parse_record(table, field, n) == 0)
		return 0;
	snprintf(err, err_size, "bad fingerprint record on line %zu", lineno);
	return -1;
}

/* Does the line at LINE start with the record kind WORD (and a space)? */
static bool starts_record(const char *line, const char *word, size_t len)
{
	return !strncmp(line, word, len) && line[len] == ' ';
}

/* Each kind's records counted, and their arrays allocated. */
static void size_arrays(struct fingerprint_table *table, const char *text, size_t size)
{
	size_t fns = 0, vars = 0, types = 0, escapes = 0;

	for (const char *line = text; line < text + size;) {
		const char *end = memchr(line, '\n', text + size - line);

		/* Upper bounds of what parse_record takes: strtok skips spaces. */
		while (*line == ' ')
			line++;
		fns += starts_record(line, "fn", 2);
		vars += starts_record(line, "var", 3);
		types += starts_record(line, "type", 4);
		escapes += starts_record(line, "escape", 6);
		line = end ? end + 1 : text + size;
	}
	table->fns = fingerprint_calloc(fns, sizeof(*table->fns));
	table->vars = fingerprint_calloc(vars, sizeof(*table->vars));
	table->types = fingerprint_calloc(types, sizeof(*table->types));
	table->escapes = fingerprint_calloc(escapes, sizeof(*table->escapes));
}

static int parse_text(const char *bytes, size_t size, struct fingerprint_table *table,
		      char *err, size_t err_size)
{
	char *line, *save = NULL;
	size_t lineno = 0;
	int ret = 0;

	table->text = fingerprint_calloc(size + 1, 1);
	memcpy(table->text, bytes, size);
	size_arrays(table, table->text, size);
	for (line = strtok_r(table->text, "\n", &save); line && !ret;
	     line = strtok_r(NULL, "\n", &save))
		ret = parse_line(table, line, ++lineno, err, err_size);
	return ret;
}

int fingerprint_table_parse(const char *bytes, size_t size,
			    struct fingerprint_table *table, char *err, size_t err_size)
{
	int ret;

	memset(table, 0, sizeof(*table));
	if (fingerprint_blob_is(bytes, size))
		ret = fingerprint_blob_decode((const unsigned char *)bytes, size, table,
					      err, err_size);
	else
		ret = parse_text(bytes, size, table, err, err_size);
	if (!ret && (!table->compiler || !table->plugin || !table->flags)) {
		snprintf(err, err_size, "fingerprints do not name their compiler, plugin and flags");
		ret = -1;
	}
	if (ret)
		fingerprint_table_free(table);
	else
		index_table(table);
	return ret;
}

void fingerprint_table_free(struct fingerprint_table *table)
{
	/* The binary form's inlines are slices of one array. */
	if (!table->inline_names)
		for (size_t i = 0; i < table->nr_fns; i++)
			free(table->fns[i].inlines);
	free(table->inline_names);
	name_index_free(&table->fn_names);
	name_index_free(&table->clones);
	name_index_free(&table->var_names);
	name_index_free(&table->var_keys);
	name_index_free(&table->type_keys);
	name_index_free(&table->escape_vars);
	for (size_t i = 0; i < table->nr_pair_keys; i++)
		free(table->pair_keys[i]);
	free(table->pair_keys);
	free(table->fns);
	free(table->vars);
	free(table->types);
	free(table->escapes);
	free(table->text);
	memset(table, 0, sizeof(*table));
}

const struct fingerprint *fingerprint_find(const struct fingerprint_table *table,
					   const char *name)
{
	size_t i = name_index_first(&table->fn_names, name);

	return i == NAME_NONE ? NULL : &table->fns[i];
}

size_t fingerprint_pair_first(const struct name_index *ix, const char *a, const char *b)
{
	char small[256], *key = small;
	size_t len = strlen(a) + strlen(b) + 2, i;

	if (len > sizeof(small) && !(key = malloc(len))) {
		perror("ksplice");
		exit(1);
	}
	i = name_index_first(ix, fingerprint_pair_key(key, len, a, b));
	if (key != small)
		free(key);
	return i;
}

const struct type_fingerprint *type_fingerprint_find(const struct fingerprint_table *table,
						     const char *kind, const char *name)
{
	size_t i = fingerprint_pair_first(&table->type_keys, kind, name);

	return i == NAME_NONE ? NULL : &table->types[i];
}

const char *fingerprint_escape_of(const struct fingerprint_table *table, const char *var)
{
	size_t i = name_index_first(&table->escape_vars, var);

	return i == NAME_NONE ? NULL : table->escapes[i].function;
}

/* Is the LEN-byte flag at FLAG one of the flags in LIST (hash first)? */
static bool has_flag(const char *list, const char *flag, size_t len)
{
	const char *p = list + strcspn(list, " ");

	while (*p) {
		size_t n;

		p += strspn(p, " ");
		n = strcspn(p, " ");
		if (n == len && !strncmp(p, flag, len))
			return true;
		p += n;
	}
	return false;
}

/* Appends to OUT each flag of A that B lacks, under LABEL. */
static void describe_missing(char *out, size_t size, const char *label,
			     const char *a, const char *b)
{
	const char *p = a + strcspn(a, " ");
	bool first = true;

	while (*p) {
		size_t n, used = strlen(out);

		p += strspn(p, " ");
		n = strcspn(p, " ");
		if (n && !has_flag(b, p, n)) {
			snprintf(out + used, size - used, "%s%s%.*s",
				 first ? (used ? "; " : "") : " ", first ? label : "", (int)n, p);
			first = false;
		}
		p += n;
	}
}

const char *fingerprint_flags_differ(const struct fingerprint_table *a,
				     const struct fingerprint_table *b)
{
	static char text[512];

	if (!strcmp(a->flags, b->flags))
		return NULL;
	text[0] = '\0';
	describe_missing(text, sizeof(text), "only in pre: ", a->flags, b->flags);
	describe_missing(text, sizeof(text), "only in post: ", b->flags, a->flags);
	if (!text[0])
		snprintf(text, sizeof(text), "the same flags in another order");
	return text;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Writing a manifest from a list of "KIND<TAB>NAME<TAB>PATH" lines
 * (kbuild/manifest.sh makes it): each file read, an object's debug
 * information emptied, each compressed on its own so that a reader
 * decompresses only the entries it needs.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>

#include "ksplice.h"
#include "manifest_format.h"

/* Fast to write at the end of every build, and about as small as -9. */
#define MANIFEST_ZSTD_LEVEL 3

struct pending {
	char *name;
	char *path;
	char kind;
	struct manifest_entry entry;
};

static int compare_pending(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;

	if (x->entry.hash != y->entry.hash)
		return x->entry.hash < y->entry.hash ? -1 : 1;
	return strcmp(x->name, y->name);
}

static unsigned char *read_whole(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	unsigned char *bytes = NULL;
	long n;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) >= 0 && !fseek(f, 0, SEEK_SET)) {
		bytes = malloc(n ? n : 1);
		if (bytes && fread(bytes, 1, n, f) != (size_t)n) {
			free(bytes);
			bytes = NULL;
		}
		*size = n;
	}
	fclose(f);
	return bytes;
}

/* Reads the list; 0, or a failure already reported. */
static int read_list(FILE *in, struct pending **out, size_t *nr)
{
	struct pending *list = NULL;
	size_t cap = 0, n = 0, len = 0;
	char *line = NULL;
	ssize_t got;

	while ((got = getline(&line, &len, in)) > 0) {
		char *name, *path, *tab;

		if (line[got - 1] == '\n')
			line[--got] = '\0';
		tab = strchr(line, '\t');
		if (!tab || tab != line + 1 || !strchr("fokp", line[0]) ||
		    !(path = strchr(tab + 1, '\t'))) {
			fail("manifest pack: bad list line '%s'", line);
			free(line);
			return KS_USAGE;
		}
		name = tab + 1;
		*path++ = '\0';
		if (n == cap) {
			cap = cap ? 2 * cap : 1024;
			list = realloc(list, cap * sizeof(*list));
			if (!list)
				return fail("out of memory");
		}
		list[n].kind = line[0];
		list[n].name = strdup(name);
		list[n].path = strdup(path);
		if (!list[n].name || !list[n].path)
			return fail("out of memory");
		memset(&list[n].entry, 0, sizeof(list[n].entry));
		list[n].entry.hash = manifest_hash(name);
		list[n].entry.kind = line[0] == 'k' ? MANIFEST_OBJECT : line[0];
		n++;
	}
	free(line);
	*out = list;
	*nr = n;
	return 0;
}

/* The bytes an entry stores, uncompressed: NULL and *size 0 for none. */
static unsigned char *entry_bytes(struct pending *p, size_t *size)
{
	unsigned char *bytes, *stripped;
	size_t stripped_size;
	bool has_fingerprints;

	*size = 0;
	if (p->kind == MANIFEST_PLAIN)
		return NULL;
	bytes = read_whole(p->path, size);
	if (!bytes || p->kind == MANIFEST_FILE)
		return bytes;
	/* Not a 64-bit ELF: kept whole. */
	if (strip_debug(bytes, *size, &stripped, &stripped_size, &has_fingerprints))
		return bytes;
	/* An object the plugin did not see (boot code, the vDSO's): its name is enough. */
	if (p->kind == 'o' && !has_fingerprints) {
		free(bytes);
		free(stripped);
		p->entry.kind = MANIFEST_PLAIN;
		*size = 0;
		return NULL;
	}
	free(bytes);
	*size = stripped_size;
	return stripped;
}

static int write_at(FILE *f, long offset, const void *bytes, size_t size)
{
	return fseek(f, offset, SEEK_SET) || fwrite(bytes, 1, size, f) != size ? -1 : 0;
}

int manifest_pack(const char *out_path, FILE *in)
{
	struct manifest_header header = { .format = KSPLICE_MANIFEST_FORMAT };
	struct manifest_entry *table;
	struct pending *list = NULL;
	size_t nr = 0, names_size = 0;
	char tmp[4096];
	uint64_t pos;
	FILE *out;
	int ret;

	ret = read_list(in, &list, &nr);
	if (ret)
		return ret;
	qsort(list, nr, sizeof(*list), compare_pending);
	for (size_t i = 0; i < nr; i++) {
		if (i && !strcmp(list[i].name, list[i - 1].name))
			return fail("manifest pack: %s is listed twice", list[i].name);
		list[i].entry.name_offset = names_size;
		names_size += strlen(list[i].name) + 1;
	}
	memcpy(header.magic, KSPLICE_MANIFEST_MAGIC, sizeof(header.magic));
	header.nr_entries = nr;
	header.entries_offset = sizeof(header);
	header.names_offset = header.entries_offset + nr * sizeof(struct manifest_entry);
	header.names_size = names_size;

	snprintf(tmp, sizeof(tmp), "%s.tmp", out_path);
	out = fopen(tmp, "wb");
	if (!out)
		return fail("cannot write %s: %m", tmp);
	/*
	 * The names, then the frames, in one pass (a seek flushes stdio's
	 * buffer); the tables before them are written last, when known.
	 */
	if (fseek(out, header.names_offset, SEEK_SET))
		goto io_error;
	for (size_t i = 0; i < nr; i++)
		if (fwrite(list[i].name, 1, strlen(list[i].name) + 1, out) !=
		    strlen(list[i].name) + 1)
			goto io_error;
	pos = header.names_offset + names_size;
	for (size_t i = 0; i < nr; i++) {
		size_t size, bound, packed;
		unsigned char *bytes = entry_bytes(&list[i], &size), *frame;

		if (!bytes && list[i].entry.kind != MANIFEST_PLAIN) {
			fclose(out);
			unlink(tmp);
			return fail("manifest pack: cannot read %s (for %s): %s", list[i].path,
				    list[i].name, strerror(errno));
		}
		list[i].entry.size = size;
		list[i].entry.blob_offset = pos;
		if (!bytes)
			continue;
		bound = ZSTD_compressBound(size);
		frame = malloc(bound);
		if (!frame)
			return fail("out of memory");
		packed = ZSTD_compress(frame, bound, bytes, size, MANIFEST_ZSTD_LEVEL);
		free(bytes);
		if (ZSTD_isError(packed)) {
			free(frame);
			fclose(out);
			unlink(tmp);
			return fail("manifest pack: cannot compress %s: %s", list[i].path,
				    ZSTD_getErrorName(packed));
		}
		if (fwrite(frame, 1, packed, out) != packed) {
			free(frame);
			goto io_error;
		}
		free(frame);
		list[i].entry.blob_size = packed;
		pos += packed;
	}
	header.file_size = pos;
	table = calloc(nr ? nr : 1, sizeof(*table));
	if (!table)
		return fail("out of memory");
	for (size_t i = 0; i < nr; i++)
		table[i] = list[i].entry;
	ret = write_at(out, header.entries_offset, table, nr * sizeof(*table)) ||
	      write_at(out, 0, &header, sizeof(header));
	free(table);
	if (ret)
		goto io_error;
	if (fclose(out)) {
		unlink(tmp);
		return fail("cannot write %s: %m", tmp);
	}
	if (rename(tmp, out_path)) {
		unlink(tmp);
		return fail("cannot write %s: %m", out_path);
	}
	for (size_t i = 0; i < nr; i++) {
		free(list[i].name);
		free(list[i].path);
	}
	free(list);
	return KS_OK;
io_error:
	fclose(out);
	unlink(tmp);
	return fail("cannot write %s: %m", tmp);
}

// SPDX-License-Identifier: GPL-2.0
/* Reading a manifest: mapped, checked once, entries found by hash. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "manifest_format.h"

static int damaged(char *err, size_t err_size, const char *path, const char *what)
{
	snprintf(err, err_size, "%s: not a usable ksplice manifest: %s", path, what);
	return -1;
}

/* Every offset in the tables points inside the file, names end in NUL. */
static const char *check_tables(const struct manifest *m)
{
	const struct manifest_header *h = m->header;
	uint64_t prev = 0;

	if (h->file_size != m->size)
		return "its size is not the one it was written with (truncated?)";
	if (h->entries_offset > m->size ||
	    (m->size - h->entries_offset) / sizeof(struct manifest_entry) < h->nr_entries ||
	    h->entries_offset % 8)
		return "its entry table lies outside it";
	if (h->names_offset > m->size || h->names_size > m->size - h->names_offset ||
	    (h->names_size && m->names[h->names_size - 1]))
		return "its names lie outside it";
	for (uint32_t i = 0; i < h->nr_entries; i++) {
		const struct manifest_entry *e = &m->entries[i];

		if (e->name_offset >= h->names_size)
			return "an entry's name lies outside it";
		if (e->blob_offset > m->size || e->blob_size > m->size - e->blob_offset)
			return "an entry's bytes lie outside it";
		if (e->hash < prev || e->hash != manifest_hash(m->names + e->name_offset))
			return "its entry table is not in hash order";
		prev = e->hash;
	}
	return NULL;
}

int manifest_open(struct manifest *m, const char *path, char *err, size_t err_size)
{
	const char *why;
	struct stat st;
	int fd;

	memset(m, 0, sizeof(*m));
	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st)) {
		snprintf(err, err_size, "cannot read %s: %m", path);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if ((size_t)st.st_size < sizeof(struct manifest_header)) {
		close(fd);
		return damaged(err, err_size, path, "too short");
	}
	m->size = st.st_size;
	m->map = mmap(NULL, m->size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m->map == MAP_FAILED) {
		m->map = NULL;
		snprintf(err, err_size, "cannot map %s: %m", path);
		return -1;
	}
	m->header = (const struct manifest_header *)m->map;
	if (memcmp(m->header->magic, KSPLICE_MANIFEST_MAGIC, sizeof(m->header->magic))) {
		manifest_close(m);
		return damaged(err, err_size, path, "no manifest magic");
	}
	/* Format 1 differs only in its copies' records, which are text. */
	if (m->header->format < KSPLICE_MANIFEST_FORMAT_OLDEST ||
	    m->header->format > KSPLICE_MANIFEST_FORMAT) {
		snprintf(err, err_size, "%s: manifest format %u; this ksplice reads formats %d to %d",
			 path, m->header->format, KSPLICE_MANIFEST_FORMAT_OLDEST,
			 KSPLICE_MANIFEST_FORMAT);
		manifest_close(m);
		return -1;
	}
	m->entries = (const struct manifest_entry *)(m->map + m->header->entries_offset);
	m->names = (const char *)m->map + m->header->names_offset;
	why = check_tables(m);
	if (why) {
		manifest_close(m);
		return damaged(err, err_size, path, why);
	}
	return 0;
}

void manifest_close(struct manifest *m)
{
	if (m->map)
		munmap((void *)m->map, m->size);
	memset(m, 0, sizeof(*m));
}

const char *manifest_name(const struct manifest *m, const struct manifest_entry *e)
{
	return m->names + e->name_offset;
}

const struct manifest_entry *manifest_find(const struct manifest *m, const char *name)
{
	uint64_t hash = manifest_hash(name);
	uint32_t lo = 0, hi = m->header->nr_entries;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (m->entries[mid].hash < hash)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < m->header->nr_entries && m->entries[lo].hash == hash; lo++)
		if (!strcmp(manifest_name(m, &m->entries[lo]), name))
			return &m->entries[lo];
	return NULL;
}

unsigned char *manifest_read_entry(const struct manifest *m, const struct manifest_entry *e)
{
	unsigned char *bytes = malloc(e->size ? e->size : 1);
	size_t n;

	if (!bytes)
		return NULL;
	if (!e->blob_size && !e->size)
		return bytes;
	n = ZSTD_decompress(bytes, e->size, m->map + e->blob_offset, e->blob_size);
	if (ZSTD_isError(n) || n != e->size) {
		free(bytes);
		return NULL;
	}
	return bytes;
}

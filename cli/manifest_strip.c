// SPDX-License-Identifier: GPL-2.0
/*
 * A pre object as the manifest keeps it: the DWARF sections and their
 * relocations keep their headers but lose their bytes, and the plugin's
 * records become their binary table (fingerprint_binary.c). Every
 * section keeps its index and every symbol its number, so patchgen reads
 * the same model from the copy as from the object itself (it never reads
 * DWARF); only file offsets move.
 */
#include <elf.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fingerprint_format.h"
#include "manifest_format.h"

static bool is_debug(const char *name)
{
	static const char *const prefixes[] = {
		".debug", ".zdebug", ".rela.debug", ".rel.debug",
	};

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(name, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

/*
 * The records at BYTES as a binary table, or NULL to keep them as they
 * are: records patchgen would refuse stay text, so that it refuses them
 * with the same words as in a built tree.
 */
static unsigned char *encode_records(const unsigned char *bytes, size_t size, size_t *out_size)
{
	struct fingerprint_table table;
	unsigned char *blob;
	char err[256];

	if (fingerprint_blob_is(bytes, size) ||
	    fingerprint_table_parse((const char *)bytes, size, &table, err, sizeof(err)))
		return NULL;
	if (fingerprint_blob_encode(&table, &blob, out_size))
		blob = NULL;
	fingerprint_table_free(&table);
	return blob;
}

static size_t align_up(size_t n, uint64_t align)
{
	return align > 1 ? (n + align - 1) / align * align : n;
}

/*
 * 0 and a malloc'ed copy, and whether it has the plugin's records; -1 if
 * elf is not a 64-bit little-endian ELF.
 */
int strip_debug(const unsigned char *elf, size_t size, unsigned char **out, size_t *out_size,
		bool *has_fingerprints)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)elf;
	const Elf64_Shdr *sh;
	Elf64_Shdr *new_sh;
	Elf64_Ehdr *new_eh;
	const char *names;
	size_t shnum, strndx, pos, table, records = 0, blob_size = 0;
	unsigned char *copy, *blob = NULL;

	if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shoff > size ||
	    eh->e_shoff % 8 || eh->e_phnum)
		return -1;
	sh = (const Elf64_Shdr *)(elf + eh->e_shoff);
	if (size - eh->e_shoff < sizeof(*sh))
		return -1;
	/* Past 0xff00 sections the counts live in section 0. */
	shnum = eh->e_shnum ? eh->e_shnum : sh[0].sh_size;
	strndx = eh->e_shstrndx == SHN_XINDEX ? sh[0].sh_link : eh->e_shstrndx;
	if (!shnum || (size - eh->e_shoff) / sizeof(*sh) < shnum || strndx >= shnum)
		return -1;
	for (size_t i = 1; i < shnum; i++)
		if (sh[i].sh_type != SHT_NOBITS &&
		    (sh[i].sh_offset > size || sh[i].sh_size > size - sh[i].sh_offset))
			return -1;
	names = (const char *)elf + sh[strndx].sh_offset;
	if (!sh[strndx].sh_size || names[sh[strndx].sh_size - 1])
		return -1;

	new_sh = malloc(shnum * sizeof(*new_sh));
	if (!new_sh)
		return -1;
	memcpy(new_sh, sh, shnum * sizeof(*sh));
	pos = sizeof(*eh);
	*has_fingerprints = false;
	for (size_t i = 1; i < shnum; i++) {
		if (sh[i].sh_name < sh[strndx].sh_size && sh[i].sh_type != SHT_NOBITS &&
		    !strcmp(names + sh[i].sh_name, KSPLICE_FINGERPRINT_SECTION)) {
			/* patchgen reads the first: so is it the only one encoded. */
			if (!*has_fingerprints)
				blob = encode_records(elf + sh[i].sh_offset, sh[i].sh_size,
						      &blob_size);
			*has_fingerprints = true;
			if (blob && !records) {
				records = i;
				new_sh[i].sh_size = blob_size;
				new_sh[i].sh_addralign = 8;
			}
		}
		pos = align_up(pos, new_sh[i].sh_addralign);
		new_sh[i].sh_offset = pos;
		if (sh[i].sh_type == SHT_NOBITS)
			continue;
		if (sh[i].sh_name < sh[strndx].sh_size && is_debug(names + sh[i].sh_name))
			new_sh[i].sh_size = 0;
		pos += new_sh[i].sh_size;
	}
	table = align_up(pos, 8);
	copy = calloc(1, table + shnum * sizeof(*new_sh));
	if (!copy) {
		free(new_sh);
		free(blob);
		return -1;
	}
	memcpy(copy, elf, sizeof(*eh));
	for (size_t i = 1; i < shnum; i++)
		if (sh[i].sh_type != SHT_NOBITS)
			memcpy(copy + new_sh[i].sh_offset,
			       blob && i == records ? blob : elf + sh[i].sh_offset,
			       new_sh[i].sh_size);
	memcpy(copy + table, new_sh, shnum * sizeof(*new_sh));
	free(new_sh);
	free(blob);
	new_eh = (Elf64_Ehdr *)copy;
	new_eh->e_shoff = table;
	*out = copy;
	*out_size = table + shnum * sizeof(Elf64_Shdr);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Data that holds a whole ELF image built with the kernel: the vDSO
 * (vdso-image-64.o's raw_data).  A fix to a header the vDSO includes
 * rebuilds the image, and its GNU build id changes with the debug
 * information (line numbers) even when its code does not.  Compared
 * with every build-id note masked, an image whose code did not change is
 * the same; one whose code changed is a real vDSO change.
 */
#include <stdlib.h>
#include <string.h>

#include "patch.h"

/* A copy of SYM's bytes, or NULL if it has none. */
static unsigned char *symbol_bytes(const struct symbol *sym)
{
	unsigned char *copy;

	if (!sym->sec || !sym->sec->bytes || !sym->sym.st_size ||
	    sym->sym.st_value + sym->sym.st_size > sym->sec->sh.sh_size)
		return NULL;
	copy = malloc(sym->sym.st_size);
	if (copy)
		memcpy(copy, sym->sec->bytes + sym->sym.st_value, sym->sym.st_size);
	return copy;
}

/*
 * Zero the descriptor of every NT_GNU_BUILD_ID note of the ELF image in
 * BYTES; false if BYTES is not an ELF image libelf can read.
 */
static bool mask_build_ids(unsigned char *bytes, size_t size)
{
	Elf *elf;
	Elf_Scn *scn = NULL;
	bool ok = false;

	if (size < EI_NIDENT || memcmp(bytes, ELFMAG, SELFMAG))
		return false;
	elf = elf_memory((char *)bytes, size);
	if (!elf || elf_kind(elf) != ELF_K_ELF)
		goto out;
	ok = true;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *data;
		size_t off = 0, name_off, desc_off;
		GElf_Nhdr note;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE ||
		    sh.sh_offset + sh.sh_size > size)
			continue;
		data = elf_rawdata(scn, NULL);
		if (!data)
			continue;
		while ((off = gelf_getnote(data, off, &note, &name_off, &desc_off)) > 0)
			if (note.n_type == NT_GNU_BUILD_ID && note.n_namesz == 4 &&
			    !memcmp((char *)data->d_buf + name_off, "GNU", 4) &&
			    desc_off + note.n_descsz <= sh.sh_size)
				memset(bytes + sh.sh_offset + desc_off, 0, note.n_descsz);
	}
out:
	if (elf)
		elf_end(elf);
	return ok;
}

enum image_change embedded_image_change(const struct symbol *pre, const struct symbol *post)
{
	unsigned char *a, *b;
	enum image_change change = IMAGE_NONE;

	a = symbol_bytes(pre);
	b = symbol_bytes(post);
	if (a && b && mask_build_ids(a, pre->sym.st_size) && mask_build_ids(b, post->sym.st_size))
		change = pre->sym.st_size != post->sym.st_size ||
			 memcmp(a, b, pre->sym.st_size) ? IMAGE_CHANGED : IMAGE_BUILD_ID_ONLY;
	free(a);
	free(b);
	return change;
}

// SPDX-License-Identifier: GPL-2.0
/* Reading one named section of an ELF file (a module, an object). */
#include <fcntl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ksplice.h"

int elf_section_read(const char *path, const char *section, char **bytes, size_t *size)
{
	int fd = open(path, O_RDONLY), ret = -1;
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	Elf *elf;

	if (fd < 0)
		return -1;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF || elf_getshdrstrndx(elf, &shstrndx))
		goto out;
	while ((scn = elf_nextscn(elf, scn))) {
		const char *name;
		Elf_Data *data;
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh))
			break;
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!name || strcmp(name, section))
			continue;
		data = elf_getdata(scn, NULL);
		if (!data)
			break;
		/* One spare NUL so callers may treat text sections as strings. */
		*bytes = calloc(1, data->d_size + 1);
		if (!*bytes)
			break;
		memcpy(*bytes, data->d_buf, data->d_size);
		*size = data->d_size;
		ret = 0;
		break;
	}
out:
	if (elf)
		elf_end(elf);
	close(fd);
	return ret;
}

// SPDX-License-Identifier: GPL-2.0
#include "elf_model.h"

#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

static int read_sections(struct object *obj)
{
	size_t shstrndx, n;
	Elf_Scn *scn = NULL;

	if (elf_getshdrnum(obj->elf, &n) || elf_getshdrstrndx(obj->elf, &shstrndx))
		return error("%s: %s", obj->path, elf_errmsg(-1));
	obj->nr_secs = n;
	obj->secs = xcalloc(n, sizeof(*obj->secs));
	while ((scn = elf_nextscn(obj->elf, scn))) {
		struct section *sec = &obj->secs[elf_ndxscn(scn)];
		Elf_Data *data;

		sec->index = elf_ndxscn(scn);
		sec->out = -1;
		if (!gelf_getshdr(scn, &sec->sh))
			return error("%s: %s", obj->path, elf_errmsg(-1));
		sec->name = elf_strptr(obj->elf, shstrndx, sec->sh.sh_name);
		if (!sec->name)
			return error("%s: bad section name", obj->path);
		if (sec->sh.sh_type == SHT_NOBITS)
			continue;
		data = elf_getdata(scn, NULL);
		if (!data || (data->d_size != sec->sh.sh_size))
			return error("%s: cannot read section %s", obj->path, sec->name);
		sec->bytes = data->d_buf;
	}
	obj->secs[0].out = -1;
	obj->secs[0].name = "";
	return 0;
}

static int read_symbols(struct object *obj)
{
	struct section *symtab = NULL;
	Elf_Data *data;

	for (size_t i = 1; i < obj->nr_secs; i++)
		if (obj->secs[i].sh.sh_type == SHT_SYMTAB)
			symtab = &obj->secs[i];
	if (!symtab)
		return error("%s: no symbol table", obj->path);
	data = elf_getdata(elf_getscn(obj->elf, symtab->index), NULL);
	obj->nr_syms = symtab->sh.sh_size / sizeof(Elf64_Sym);
	obj->syms = xcalloc(obj->nr_syms, sizeof(*obj->syms));
	for (size_t i = 0; i < obj->nr_syms; i++) {
		struct symbol *sym = &obj->syms[i];

		sym->index = i;
		if (!gelf_getsym(data, i, &sym->sym))
			return error("%s: bad symbol %zu", obj->path, i);
		sym->name = elf_strptr(obj->elf, symtab->sh.sh_link, sym->sym.st_name);
		if (!sym->name)
			return error("%s: bad symbol name %zu", obj->path, i);
		sym->type = GELF_ST_TYPE(sym->sym.st_info);
		sym->bind = GELF_ST_BIND(sym->sym.st_info);
		if (sym->sym.st_shndx != SHN_UNDEF && sym->sym.st_shndx < obj->nr_secs &&
		    sym->sym.st_shndx != SHN_ABS)
			sym->sec = &obj->secs[sym->sym.st_shndx];
		if (sym->type == STT_SECTION && sym->sec) {
			sym->sec->sym = sym;
			sym->name = sym->sec->name;
		}
	}
	return 0;
}

static int compare_relocs(const void *a, const void *b)
{
	const struct reloc *x = a, *y = b;

	return (x->offset > y->offset) - (x->offset < y->offset);
}

static int read_relocs(struct object *obj)
{
	for (size_t i = 1; i < obj->nr_secs; i++) {
		struct section *rsec = &obj->secs[i], *base;
		Elf_Data *data;
		size_t n;

		if (rsec->sh.sh_type == SHT_REL)
			return error("%s: SHT_REL section %s not supported", obj->path, rsec->name);
		if (rsec->sh.sh_type != SHT_RELA)
			continue;
		if (!rsec->sh.sh_info || rsec->sh.sh_info >= obj->nr_secs)
			return error("%s: %s relocates a bad section", obj->path, rsec->name);
		base = &obj->secs[rsec->sh.sh_info];
		if (base->relocs)
			return error("%s: %s is the second relocation section for %s",
				     obj->path, rsec->name, base->name);
		data = elf_getdata(elf_getscn(obj->elf, i), NULL);
		n = rsec->sh.sh_size / sizeof(Elf64_Rela);
		base->relocs = xcalloc(n ? n : 1, sizeof(*base->relocs));
		base->nr_relocs = n;
		for (size_t j = 0; j < n; j++) {
			GElf_Rela rela;
			size_t symi;

			if (!gelf_getrela(data, j, &rela))
				return error("%s: bad relocation in %s", obj->path, rsec->name);
			symi = GELF_R_SYM(rela.r_info);
			if (symi >= obj->nr_syms)
				return error("%s: relocation to bad symbol in %s", obj->path, rsec->name);
			base->relocs[j] = (struct reloc){
				.offset = rela.r_offset,
				.addend = rela.r_addend,
				.type = GELF_R_TYPE(rela.r_info),
				.sym = &obj->syms[symi],
			};
			if (rela.r_offset + reloc_width(base->relocs[j].type) > base->sh.sh_size)
				return error("%s: relocation outside %s", obj->path, base->name);
		}
		qsort(base->relocs, n, sizeof(*base->relocs), compare_relocs);
	}
	return 0;
}

int object_open(struct object *obj, const char *path)
{
	GElf_Ehdr ehdr;

	memset(obj, 0, sizeof(*obj));
	obj->path = path;
	obj->fd = open(path, O_RDONLY);
	if (obj->fd < 0)
		return error("%s: %m", path);
	elf_version(EV_CURRENT);
	obj->elf = elf_begin(obj->fd, ELF_C_READ_MMAP, NULL);
	if (!obj->elf || elf_kind(obj->elf) != ELF_K_ELF || !gelf_getehdr(obj->elf, &ehdr))
		return error("%s: not an ELF object", path);
	if (ehdr.e_ident[EI_CLASS] != ELFCLASS64 || ehdr.e_machine != EM_X86_64 ||
	    ehdr.e_type != ET_REL)
		return error("%s: not an x86-64 relocatable object", path);
	if (read_sections(obj) || read_symbols(obj) || read_relocs(obj))
		return -1;
	return 0;
}

void object_close(struct object *obj)
{
	if (obj->elf)
		elf_end(obj->elf);
	if (obj->fd > 0)
		close(obj->fd);
	for (size_t i = 0; i < obj->nr_secs; i++) {
		free(obj->secs[i].relocs);
		free(obj->secs[i].carried);
	}
	free(obj->secs);
	free(obj->syms);
	memset(obj, 0, sizeof(*obj));
}

struct section *object_section(const struct object *obj, const char *name)
{
	for (size_t i = 1; i < obj->nr_secs; i++)
		if (!strcmp(obj->secs[i].name, name))
			return &obj->secs[i];
	return NULL;
}

struct symbol *object_symbol(const struct object *obj, const char *name)
{
	for (size_t i = 1; i < obj->nr_syms; i++)
		if (obj->syms[i].type != STT_SECTION && obj->syms[i].type != STT_FILE &&
		    !strcmp(obj->syms[i].name, name))
			return &obj->syms[i];
	return NULL;
}

struct symbol *object_func(const struct object *obj, const char *name)
{
	for (size_t i = 1; i < obj->nr_syms; i++)
		if (obj->syms[i].type == STT_FUNC && obj->syms[i].sec &&
		    !strcmp(obj->syms[i].name, name))
			return &obj->syms[i];
	return NULL;
}

struct symbol *section_symbol_at(const struct object *obj,
				 const struct section *sec, long off)
{
	struct symbol *best = NULL;
	unsigned long at = (unsigned long)off;

	if (off < 0)
		return NULL;
	for (size_t i = 1; i < obj->nr_syms; i++) {
		struct symbol *sym = &obj->syms[i];
		unsigned long start = sym->sym.st_value, size = sym->sym.st_size;

		if (sym->sec != sec || (sym->type != STT_FUNC && sym->type != STT_OBJECT))
			continue;
		/* at - start, not start + size: bad objects have huge sizes. */
		if (at >= start && (at - start < size || (size == 0 && at == start)))
			if (!best || best->sym.st_size < sym->sym.st_size)
				best = sym;
	}
	return best;
}

bool section_is_text(const struct section *sec)
{
	return sec->sh.sh_flags & SHF_EXECINSTR;
}

bool section_is_alloc(const struct section *sec)
{
	return sec->sh.sh_flags & SHF_ALLOC;
}

bool section_is_writable(const struct section *sec)
{
	return sec->sh.sh_flags & SHF_WRITE;
}

unsigned int reloc_width(unsigned int type)
{
	switch (type) {
	case R_X86_64_PC32:
	case R_X86_64_PLT32:
	case R_X86_64_32:
	case R_X86_64_32S:
		return 4;
	case R_X86_64_64:
	case R_X86_64_PC64:
		return 8;
	case R_X86_64_NONE:
		return 0;
	default:
		return 0;
	}
}

bool reloc_is_pcrel(unsigned int type)
{
	return type == R_X86_64_PC32 || type == R_X86_64_PLT32 || type == R_X86_64_PC64;
}

// SPDX-License-Identifier: GPL-2.0
#include "elf_model.h"

#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

/*
 * The mapped file's bytes at OFFSET, if SIZE of them lie inside it. The
 * object is read straight from its mapping: libelf's copy of every
 * section descriptor and header cost more than the model itself.
 */
static const unsigned char *file_at(const struct object *obj, uint64_t offset, uint64_t size)
{
	if (offset > obj->map_size || size > obj->map_size - offset)
		return NULL;
	return obj->map + offset;
}

/* The NUL-terminated string at OFFSET of string table STRTAB, or NULL. */
static const char *string_at(const struct object *obj, size_t strtab, uint64_t offset)
{
	const struct section *sec;

	if (!strtab || strtab >= obj->nr_secs)
		return NULL;
	sec = &obj->secs[strtab];
	if (sec->sh.sh_type != SHT_STRTAB || !sec->bytes || offset >= sec->sh.sh_size ||
	    sec->bytes[sec->sh.sh_size - 1])
		return NULL;
	return (const char *)sec->bytes + offset;
}

static int read_sections(struct object *obj)
{
	const unsigned char *table;
	Elf64_Ehdr eh;
	Elf64_Shdr first;
	size_t n, shstrndx;

	memcpy(&eh, obj->map, sizeof(eh));
	if (eh.e_shentsize != sizeof(Elf64_Shdr) || !eh.e_shoff ||
	    !(table = file_at(obj, eh.e_shoff, sizeof(first))))
		return error("%s: no section table", obj->path);
	memcpy(&first, table, sizeof(first));
	/* Past 0xff00 sections the counts live in section 0. */
	n = eh.e_shnum ? eh.e_shnum : first.sh_size;
	shstrndx = eh.e_shstrndx == SHN_XINDEX ? first.sh_link : eh.e_shstrndx;
	if (!n || n > (obj->map_size - eh.e_shoff) / sizeof(Elf64_Shdr))
		return error("%s: its section table lies outside it", obj->path);
	obj->nr_secs = n;
	obj->secs = xcalloc(n, sizeof(*obj->secs));
	for (size_t i = 0; i < n; i++) {
		struct section *sec = &obj->secs[i];

		sec->index = i;
		sec->out = -1;
		memcpy(&sec->sh, table + i * sizeof(Elf64_Shdr), sizeof(sec->sh));
		if (!i || sec->sh.sh_type == SHT_NOBITS)
			continue;
		sec->bytes = file_at(obj, sec->sh.sh_offset, sec->sh.sh_size);
		if (!sec->bytes)
			return error("%s: cannot read section %zu", obj->path, i);
	}
	obj->secs[0].name = "";
	for (size_t i = 1; i < n; i++) {
		obj->secs[i].name = string_at(obj, shstrndx, obj->secs[i].sh.sh_name);
		if (!obj->secs[i].name)
			return error("%s: bad section name", obj->path);
	}
	return 0;
}

static int read_symbols(struct object *obj)
{
	struct section *symtab = NULL;

	for (size_t i = 1; i < obj->nr_secs; i++)
		if (obj->secs[i].sh.sh_type == SHT_SYMTAB)
			symtab = &obj->secs[i];
	if (!symtab)
		return error("%s: no symbol table", obj->path);
	if (!symtab->bytes || symtab->sh.sh_entsize != sizeof(Elf64_Sym))
		return error("%s: bad symbol table", obj->path);
	obj->nr_syms = symtab->sh.sh_size / sizeof(Elf64_Sym);
	obj->syms = xcalloc(obj->nr_syms, sizeof(*obj->syms));
	for (size_t i = 0; i < obj->nr_syms; i++) {
		struct symbol *sym = &obj->syms[i];

		sym->index = i;
		memcpy(&sym->sym, symtab->bytes + i * sizeof(Elf64_Sym), sizeof(sym->sym));
		sym->name = string_at(obj, symtab->sh.sh_link, sym->sym.st_name);
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
		if (!rsec->bytes || rsec->sh.sh_entsize != sizeof(Elf64_Rela))
			return error("%s: bad relocation section %s", obj->path, rsec->name);
		n = rsec->sh.sh_size / sizeof(Elf64_Rela);
		base->relocs = xcalloc(n ? n : 1, sizeof(*base->relocs));
		base->nr_relocs = n;
		for (size_t j = 0; j < n; j++) {
			Elf64_Rela rela;
			size_t symi;

			memcpy(&rela, rsec->bytes + j * sizeof(rela), sizeof(rela));
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

static int compare_by_addr(const void *a, const void *b)
{
	const struct symbol *x = *(struct symbol *const *)a, *y = *(struct symbol *const *)b;

	if (x->sym.st_value != y->sym.st_value)
		return x->sym.st_value < y->sym.st_value ? -1 : 1;
	return (x->index > y->index) - (x->index < y->index);
}

/* Name indexes and each section's functions and objects by address. */
static void index_object(struct object *obj)
{
	const char **secs = xcalloc(obj->nr_secs, sizeof(*secs));
	const char **syms = xcalloc(obj->nr_syms, sizeof(*syms));
	const char **funcs = xcalloc(obj->nr_syms, sizeof(*funcs));

	for (size_t i = 1; i < obj->nr_secs; i++)
		secs[i] = obj->secs[i].name;
	for (size_t i = 1; i < obj->nr_syms; i++) {
		struct symbol *sym = &obj->syms[i];

		if (sym->type != STT_SECTION && sym->type != STT_FILE)
			syms[i] = sym->name;
		if (sym->type == STT_FUNC && sym->sec)
			funcs[i] = sym->name;
		if (sym->sec && (sym->type == STT_FUNC || sym->type == STT_OBJECT))
			sym->sec->nr_by_addr++;
	}
	name_index_build(&obj->sec_names, secs, obj->nr_secs);
	name_index_build(&obj->sym_names, syms, obj->nr_syms);
	name_index_build(&obj->func_names, funcs, obj->nr_syms);

	for (size_t i = 1; i < obj->nr_secs; i++) {
		struct section *sec = &obj->secs[i];

		sec->by_addr = xcalloc(sec->nr_by_addr, sizeof(*sec->by_addr));
		sec->end_so_far = xcalloc(sec->nr_by_addr, sizeof(*sec->end_so_far));
		sec->nr_by_addr = 0;
	}
	for (size_t i = 1; i < obj->nr_syms; i++) {
		struct symbol *sym = &obj->syms[i];

		if (sym->sec && (sym->type == STT_FUNC || sym->type == STT_OBJECT))
			sym->sec->by_addr[sym->sec->nr_by_addr++] = sym;
	}
	for (size_t i = 1; i < obj->nr_secs; i++) {
		struct section *sec = &obj->secs[i];
		unsigned long furthest = 0;

		qsort(sec->by_addr, sec->nr_by_addr, sizeof(*sec->by_addr), compare_by_addr);
		for (size_t j = 0; j < sec->nr_by_addr; j++) {
			unsigned long start = sec->by_addr[j]->sym.st_value;
			unsigned long size = sec->by_addr[j]->sym.st_size ? sec->by_addr[j]->sym.st_size : 1;
			/* Saturating: bad objects have huge sizes. */
			unsigned long end = start + size < start ? ~0ul : start + size;

			if (end > furthest)
				furthest = end;
			sec->end_so_far[j] = furthest;
		}
	}
}

int object_open(struct object *obj, const char *path)
{
	const Elf64_Ehdr *eh;
	struct stat st;
	void *map;
	int fd;

	memset(obj, 0, sizeof(*obj));
	obj->path = path;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return error("%s: %m", path);
	if (fstat(fd, &st)) {
		close(fd);
		return error("%s: %m", path);
	}
	if ((size_t)st.st_size < sizeof(Elf64_Ehdr)) {
		close(fd);
		return error("%s: not an ELF object", path);
	}
	/* The mapping keeps the file: the descriptor is not needed after it. */
	map = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return error("%s: %m", path);
	obj->map = map;
	obj->map_size = st.st_size;
	eh = (const Elf64_Ehdr *)obj->map;
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG))
		return error("%s: not an ELF object", path);
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB ||
	    (eh->e_machine != EM_X86_64 && eh->e_machine != EM_AARCH64) || eh->e_type != ET_REL)
		return error("%s: not an x86-64 or arm64 relocatable object", path);
	obj->machine = eh->e_machine;
	if (read_sections(obj) || read_symbols(obj) || read_relocs(obj))
		return -1;
	index_object(obj);
	return 0;
}

void object_close(struct object *obj)
{
	if (obj->map)
		munmap((void *)obj->map, obj->map_size);
	for (size_t i = 0; i < obj->nr_secs; i++) {
		free(obj->secs[i].relocs);
		free(obj->secs[i].carried);
		free(obj->secs[i].by_addr);
		free(obj->secs[i].end_so_far);
	}
	name_index_free(&obj->sec_names);
	name_index_free(&obj->sym_names);
	name_index_free(&obj->func_names);
	free(obj->secs);
	free(obj->syms);
	memset(obj, 0, sizeof(*obj));
}

struct section *object_section(const struct object *obj, const char *name)
{
	size_t i = name_index_first(&obj->sec_names, name);

	return i == NAME_NONE ? NULL : &obj->secs[i];
}

struct symbol *object_symbol(const struct object *obj, const char *name)
{
	size_t i = name_index_first(&obj->sym_names, name);

	return i == NAME_NONE ? NULL : &obj->syms[i];
}

struct symbol *object_func(const struct object *obj, const char *name)
{
	size_t i = name_index_first(&obj->func_names, name);

	return i == NAME_NONE ? NULL : &obj->syms[i];
}

/*
 * The largest function or object that covers OFF (the first in the
 * symbol table among equals): a binary search for the last one starting
 * at or before OFF, then back while an earlier one may still reach it.
 */
struct symbol *section_symbol_at(const struct object *obj,
				 const struct section *sec, long off)
{
	struct symbol *best = NULL;
	unsigned long at = (unsigned long)off;
	size_t lo = 0, hi = sec->nr_by_addr;

	(void)obj;
	if (off < 0)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sec->by_addr[mid]->sym.st_value <= at)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i-- > 0 && sec->end_so_far[i] > at;) {
		struct symbol *sym = sec->by_addr[i];
		unsigned long start = sym->sym.st_value, size = sym->sym.st_size;

		/* at - start, not start + size: bad objects have huge sizes. */
		if (!(at - start < size || (size == 0 && at == start)))
			continue;
		if (!best || best->sym.st_size < size ||
		    (best->sym.st_size == size && sym->index < best->index))
			best = sym;
	}
	return best;
}

size_t section_first_reloc(const struct section *sec, unsigned long offset)
{
	size_t lo = 0, hi = sec->nr_relocs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sec->relocs[mid].offset < offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct reloc *section_reloc_at(const struct section *sec, unsigned long offset)
{
	size_t i = section_first_reloc(sec, offset);

	return i < sec->nr_relocs && sec->relocs[i].offset == offset ? &sec->relocs[i] : NULL;
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
	/* arm64's numbers start at 257: one switch serves both. */
	case R_AARCH64_ABS64:
	case R_AARCH64_PREL64:
		return 8;
	case R_AARCH64_ABS32:
	case R_AARCH64_PREL32:
		return 4;
	case R_AARCH64_ABS16:
	case R_AARCH64_PREL16:
		return 2;
	default:
		/* An instruction field: the instruction is what it changes. */
		return reloc_is_arm64_insn(type) ? 4 : 0;
	}
}

bool reloc_is_arm64_insn(unsigned int type)
{
	switch (type) {
	case R_AARCH64_LD_PREL_LO19:
	case R_AARCH64_ADR_PREL_LO21:
	case R_AARCH64_ADR_PREL_PG_HI21:
	case R_AARCH64_ADR_PREL_PG_HI21_NC:
	case R_AARCH64_ADD_ABS_LO12_NC:
	case R_AARCH64_LDST8_ABS_LO12_NC:
	case R_AARCH64_LDST16_ABS_LO12_NC:
	case R_AARCH64_LDST32_ABS_LO12_NC:
	case R_AARCH64_LDST64_ABS_LO12_NC:
	case R_AARCH64_LDST128_ABS_LO12_NC:
	case R_AARCH64_TSTBR14:
	case R_AARCH64_CONDBR19:
	case R_AARCH64_JUMP26:
	case R_AARCH64_CALL26:
		return true;
	default:
		return false;
	}
}

/*
 * What to add to a relocation's addend to reach its target: x86's
 * PC-relative fields count from their own end, 4 bytes on; arm64's
 * from the instruction or field itself.
 */
long reloc_pc_bias(unsigned int type)
{
	return type == R_X86_64_PC32 || type == R_X86_64_PLT32 || type == R_X86_64_PC64 ? 4 : 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Writes the patch object: the copied sections, one relocation section
 * each, and a symbol table with a section symbol and a global
 * __ksplice_sec_<n> per section (meta.c names the new code through
 * those), local names for the copied functions and objects, and the
 * exported kernel symbols the module loader links.
 */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "patch.h"

struct strtab {
	struct buf buf;
};

static size_t str_add(struct strtab *t, const char *s)
{
	if (!t->buf.len)
		buf_append(&t->buf, "", 1);
	return buf_append(&t->buf, s, strlen(s) + 1);
}

static Elf_Scn *new_section(Elf *elf, const char *what)
{
	Elf_Scn *scn = elf_newscn(elf);

	if (!scn)
		error("writing %s: %s", what, elf_errmsg(-1));
	return scn;
}

static int set_data(Elf_Scn *scn, void *bytes, size_t size, size_t align, Elf_Type type)
{
	Elf_Data *data = elf_newdata(scn);

	if (!data)
		return error("elf_newdata: %s", elf_errmsg(-1));
	data->d_buf = bytes;
	data->d_size = size;
	data->d_align = align ? align : 1;
	data->d_type = type;
	data->d_version = EV_CURRENT;
	return 0;
}

static int set_header(Elf_Scn *scn, const GElf_Shdr *sh)
{
	if (!gelf_update_shdr(scn, (GElf_Shdr *)sh))
		return error("gelf_update_shdr: %s", elf_errmsg(-1));
	return 0;
}

static int fill_section(Elf_Scn *scn, const GElf_Shdr *sh, void *bytes, size_t size,
			Elf_Type type)
{
	if (set_header(scn, sh))
		return -1;
	return set_data(scn, bytes, size, sh->sh_addralign, type);
}

/* A symbol or string table section of the output. */
static int fill_table(Elf_Scn *scn, size_t name, GElf_Word type, GElf_Word link,
		      GElf_Word info, void *bytes, size_t size)
{
	bool symtab = type == SHT_SYMTAB;
	GElf_Shdr sh = {
		.sh_name = name,
		.sh_type = type,
		.sh_link = link,
		.sh_info = info,
		.sh_addralign = symtab ? 8 : 1,
		.sh_entsize = symtab ? sizeof(Elf64_Sym) : 0,
	};

	return fill_section(scn, &sh, bytes, size, symtab ? ELF_T_SYM : ELF_T_BYTE);
}

struct writer {
	const struct patch *patch;
	Elf *elf;
	struct strtab shstr, str;
	Elf64_Sym *syms;
	size_t nr_syms, first_global;
	const char **undef;		/* undefined globals, by symbol order */
	size_t nr_undef, undef_base;
};

static size_t add_sym(struct writer *w, const char *name, unsigned char bind,
		      unsigned char type, size_t shndx, unsigned long value, unsigned long size)
{
	w->syms = xrealloc(w->syms, (w->nr_syms + 1) * sizeof(*w->syms));
	w->syms[w->nr_syms] = (Elf64_Sym){
		.st_name = name ? str_add(&w->str, name) : 0,
		.st_info = ELF64_ST_INFO(bind, type),
		.st_shndx = shndx,
		.st_value = value,
		.st_size = size,
	};
	return w->nr_syms++;
}

static size_t undef_index(struct writer *w, const char *name)
{
	for (size_t i = 0; i < w->nr_undef; i++)
		if (!strcmp(w->undef[i], name))
			return w->undef_base + i;
	w->undef = xrealloc(w->undef, (w->nr_undef + 1) * sizeof(*w->undef));
	w->undef[w->nr_undef++] = name;
	return w->undef_base + w->nr_undef - 1;
}

static void build_symbols(struct writer *w)
{
	const struct patch *p = w->patch;
	char name[64];

	add_sym(w, NULL, STB_LOCAL, STT_NOTYPE, SHN_UNDEF, 0, 0);
	for (size_t i = 0; i < p->nr_secs; i++)
		add_sym(w, NULL, STB_LOCAL, STT_SECTION, i + 1, 0, 0);
	for (size_t i = 0; i < p->nr_syms; i++)
		add_sym(w, p->syms[i].name, STB_LOCAL, p->syms[i].type,
			p->syms[i].section + 1, p->syms[i].value, p->syms[i].size);
	w->first_global = w->nr_syms;
	for (size_t i = 0; i < p->nr_secs; i++) {
		snprintf(name, sizeof(name), "__ksplice_sec_%zu", i);
		add_sym(w, name, STB_GLOBAL, STT_NOTYPE, i + 1, 0, 0);
	}
	w->undef_base = w->nr_syms;
	for (size_t i = 0; i < p->nr_secs; i++)
		for (size_t j = 0; j < p->secs[i].nr_relocs; j++)
			if (!p->secs[i].relocs[j].target_symbol &&
			    p->secs[i].relocs[j].target_section < 0)
				undef_index(w, p->secs[i].relocs[j].target_name);
	for (size_t i = 0; i < w->nr_undef; i++)
		add_sym(w, w->undef[i], STB_GLOBAL, STT_NOTYPE, SHN_UNDEF, 0, 0);
}


/*
 * A table ordered by the code it describes (SHF_LINK_ORDER: GCC's
 * __patchable_function_entries) names that code's section, as the
 * linker wants of every such input, or refuses to mix them: the output
 * section its first entry points into. Sections are written in order,
 * from index 1.
 */
static GElf_Word link_order_target(const struct out_section *s)
{
	if (!(s->sh.sh_flags & SHF_LINK_ORDER) || !s->nr_relocs ||
	    s->relocs[0].target_section < 0)
		return 0;
	return (GElf_Word)s->relocs[0].target_section + 1;
}

static int write_sections(struct writer *w, size_t *symtab_index)
{
	const struct patch *p = w->patch;
	size_t nr_rela = 0;

	for (size_t i = 0; i < p->nr_secs; i++) {
		const struct out_section *s = &p->secs[i];
		Elf_Scn *scn = new_section(w->elf, s->name);
		GElf_Shdr sh = s->sh;

		if (!scn)
			return -1;
		sh.sh_name = str_add(&w->shstr, s->name);
		sh.sh_size = s->sh.sh_type == SHT_NOBITS ? s->nobits_size : s->bytes.len;
		sh.sh_addr = 0;
		sh.sh_offset = 0;
		sh.sh_link = link_order_target(s);
		sh.sh_info = 0;
		if (set_header(scn, &sh))
			return -1;
		if (s->sh.sh_type == SHT_NOBITS) {
			if (set_data(scn, NULL, s->nobits_size, s->sh.sh_addralign, ELF_T_BYTE))
				return -1;
		} else if (set_data(scn, s->bytes.data, s->bytes.len, s->sh.sh_addralign,
				    ELF_T_BYTE)) {
			return -1;
		}
		nr_rela += s->nr_relocs > 0;
	}
	*symtab_index = p->nr_secs + nr_rela + 1;
	return 0;
}

static int write_relocs(struct writer *w, size_t symtab_index)
{
	const struct patch *p = w->patch;

	for (size_t i = 0; i < p->nr_secs; i++) {
		const struct out_section *s = &p->secs[i];
		Elf64_Rela *rela;
		Elf_Scn *scn;
		GElf_Shdr sh;
		char name[512];

		if (!s->nr_relocs)
			continue;
		scn = new_section(w->elf, ".rela");
		if (!scn)
			return -1;
		rela = xcalloc(s->nr_relocs, sizeof(*rela));
		for (size_t j = 0; j < s->nr_relocs; j++) {
			const struct out_reloc *r = &s->relocs[j];
			size_t sym;

			/* The null symbol, one per section, then patch->syms from 1. */
			if (r->target_symbol)
				sym = p->nr_secs + r->target_symbol;
			else if (r->target_section >= 0)
				sym = (size_t)r->target_section + 1;
			else
				sym = undef_index(w, r->target_name);

			rela[j] = (Elf64_Rela){
				.r_offset = r->offset,
				.r_info = ELF64_R_INFO(sym, r->type),
				.r_addend = r->addend,
			};
		}
		snprintf(name, sizeof(name), ".rela%s", s->name);
		sh = (GElf_Shdr){
			.sh_name = str_add(&w->shstr, name),
			.sh_type = SHT_RELA,
			.sh_flags = SHF_INFO_LINK,
			.sh_link = symtab_index,
			.sh_info = i + 1,
			.sh_addralign = 8,
			.sh_entsize = sizeof(Elf64_Rela),
		};
		if (fill_section(scn, &sh, rela, s->nr_relocs * sizeof(*rela), ELF_T_RELA))
			return -1;
	}
	return 0;
}

int write_object(const struct patch *patch, const char *path)
{
	struct writer w = { .patch = patch };
	size_t symtab_index, symtab_name, strtab_name, shstrtab_name;
	Elf_Scn *symtab, *strtab, *shstrtab;
	GElf_Ehdr ehdr;
	int fd, ret = -1;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return error("%s: %m", path);
	elf_version(EV_CURRENT);
	w.elf = elf_begin(fd, ELF_C_WRITE, NULL);
	if (!w.elf || !gelf_newehdr(w.elf, ELFCLASS64) || !gelf_getehdr(w.elf, &ehdr)) {
		error("%s: %s", path, elf_errmsg(-1));
		goto out;
	}
	ehdr.e_ident[EI_DATA] = ELFDATA2LSB;
	ehdr.e_ident[EI_OSABI] = ELFOSABI_NONE;
	ehdr.e_type = ET_REL;
	ehdr.e_machine = patch->nr_units ? patch->units[0].post.machine : EM_X86_64;
	ehdr.e_version = EV_CURRENT;

	build_symbols(&w);
	if (write_sections(&w, &symtab_index) || write_relocs(&w, symtab_index))
		goto out;

	symtab = new_section(w.elf, ".symtab");
	strtab = new_section(w.elf, ".strtab");
	shstrtab = new_section(w.elf, ".shstrtab");
	if (!symtab || !strtab || !shstrtab)
		goto out;
	str_add(&w.str, "");
	/* Every name first: the tables' buffers move while they grow. */
	symtab_name = str_add(&w.shstr, ".symtab");
	strtab_name = str_add(&w.shstr, ".strtab");
	shstrtab_name = str_add(&w.shstr, ".shstrtab");
	if (fill_table(symtab, symtab_name, SHT_SYMTAB, elf_ndxscn(strtab), w.first_global,
		       w.syms, w.nr_syms * sizeof(*w.syms)) ||
	    fill_table(strtab, strtab_name, SHT_STRTAB, 0, 0, w.str.buf.data, w.str.buf.len) ||
	    fill_table(shstrtab, shstrtab_name, SHT_STRTAB, 0, 0, w.shstr.buf.data,
		       w.shstr.buf.len))
		goto out;
	ehdr.e_shstrndx = elf_ndxscn(shstrtab);
	if (!gelf_update_ehdr(w.elf, &ehdr) || elf_update(w.elf, ELF_C_WRITE) < 0) {
		error("%s: %s", path, elf_errmsg(-1));
		goto out;
	}
	ret = 0;
out:
	if (w.elf)
		elf_end(w.elf);
	close(fd);
	return ret;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One small model of a 64-bit little-endian relocatable object, read
 * straight from its mapped file into gelf's types: sections, symbols
 * and relocations, linked to each other. Every other patchgen file
 * works on this model and never on raw ELF.
 */
#ifndef PATCHGEN_ELF_MODEL_H
#define PATCHGEN_ELF_MODEL_H

#include <gelf.h>
#include <stdbool.h>
#include <stddef.h>

#include "name_index.h"

struct symbol;

struct reloc {
	unsigned long offset;
	long addend;
	unsigned int type;
	struct symbol *sym;
};

struct section {
	size_t index;
	const char *name;
	GElf_Shdr sh;
	const unsigned char *bytes;	/* NULL for SHT_NOBITS */
	struct reloc *relocs;		/* sorted by offset */
	size_t nr_relocs;
	struct symbol *sym;		/* its STT_SECTION symbol, if any */
	/* Its functions and objects by address, and the furthest end so far. */
	struct symbol **by_addr;
	unsigned long *end_so_far;
	size_t nr_by_addr;
	int out;			/* output section index, or -1 */
	bool *carried;			/* special tables: entries taken */
};

struct symbol {
	size_t index;
	const char *name;
	GElf_Sym sym;
	struct section *sec;		/* NULL when undefined or absolute */
	unsigned char type;
	unsigned char bind;
};

struct object {
	const char *path;
	unsigned int machine;		/* EM_X86_64 or EM_AARCH64 */
	const unsigned char *map;	/* the whole file, mapped */
	size_t map_size;
	struct section *secs;
	size_t nr_secs;
	struct symbol *syms;
	size_t nr_syms;
	struct name_index sec_names;	/* sections */
	struct name_index sym_names;	/* symbols but sections and files */
	struct name_index func_names;	/* defined functions */
};

int object_open(struct object *obj, const char *path);
void object_close(struct object *obj);

struct section *object_section(const struct object *obj, const char *name);
struct symbol *object_symbol(const struct object *obj, const char *name);
struct symbol *object_func(const struct object *obj, const char *name);

/* The named function or object in sec that covers off, or NULL. */
struct symbol *section_symbol_at(const struct object *obj,
				 const struct section *sec, long off);

/* The first relocation of SEC at or after OFFSET (nr_relocs if none). */
size_t section_first_reloc(const struct section *sec, unsigned long offset);
/* The first relocation of SEC at OFFSET, or NULL. */
const struct reloc *section_reloc_at(const struct section *sec, unsigned long offset);

bool section_is_text(const struct section *sec);
bool section_is_alloc(const struct section *sec);
bool section_is_writable(const struct section *sec);

/* Width in bytes of the field an x86-64 relocation writes; 0 if unknown. */
unsigned int reloc_width(unsigned int type);
long reloc_pc_bias(unsigned int type);
bool reloc_is_arm64_insn(unsigned int type);

#endif

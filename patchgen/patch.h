/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The patch being built: the output object (sections copied from post
 * objects, their relocations, symbols) plus the metadata the core needs
 * (functions to replace, with their pre-build bytes, and the references
 * that only the core can resolve: "ksplice relocations").
 */
#ifndef PATCHGEN_PATCH_H
#define PATCHGEN_PATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "elf_model.h"
#include "fingerprints.h"
#include "util.h"

struct out_reloc {
	unsigned long offset;
	long addend;
	unsigned int type;
	int target_section;		/* output section, or -1 */
	const char *target_name;	/* undefined global, when no section */
	size_t target_symbol;		/* 1 + index in patch->syms; 0: the above */
};

struct out_section {
	char *name;
	GElf_Shdr sh;
	struct buf bytes;		/* empty for SHT_NOBITS */
	unsigned long nobits_size;
	struct out_reloc *relocs;
	size_t nr_relocs;
};

struct out_symbol {
	char *name;
	int section;
	unsigned long value, size;
	unsigned char type;
};

/* Where the core finds a static that several objects define. */
struct anchor {
	const char *symbol;	/* NULL: by name */
	long offset;
};

struct ksplice_reloc_out {
	int section;
	unsigned long offset;
	const char *symbol;
	const char *object;
	const char *module;	/* defined in this module; NULL: vmlinux */
	struct anchor anchor;
	long addend;
	unsigned int type;	/* enum ksplice_reloc_type */
};

struct func_out {
	char *name;
	const char *object;
	const char *module;	/* NULL: vmlinux */
	struct anchor anchor;
	int section;
	unsigned long offset, size;
	unsigned long pre_size;
	unsigned long jump_offset;	/* where the jump goes, from the entry */
	unsigned char *pre_bytes, *pre_mask;
	const char *cold;		/* its .cold part in the pre build, or NULL */
	unsigned long cold_size;
	const struct fingerprint *post_fp;	/* what the plugin said of it */
	const char *reads;	/* same code, but this read-only object changed */
	const char *calls_short;	/* replaced for this caller-redirected function */
	const char *why;
};

/* A pre/post object pair for one compilation unit. */
struct unit {
	const char *name;		/* e.g. fs/proc/version.o */
	const char *module;		/* its loadable module, or NULL: vmlinux */
	struct object ko;		/* that module's .ko, for its symbols */
	struct object pre, post;
	struct fingerprint_table pre_fp, post_fp;
};

/* A hook of the fix: its kind and where its function went. */
struct hook_out {
	unsigned int kind;	/* enum ksplice_hook_kind */
	int section;
	unsigned long offset;
	const char *name;
};

struct patch {
	struct out_section *secs;
	size_t nr_secs;
	struct out_symbol *syms;	/* local function names, for backtraces */
	size_t nr_syms;
	struct ksplice_reloc_out *krelocs;
	size_t nr_krelocs;
	struct func_out *funcs;
	size_t nr_funcs;
	struct hook_out *hooks;
	size_t nr_hooks;
	/* Set while linking an entry the module loader reads: what it is. */
	const char *loader_reads;
	/* Every object of the fix: a new global one defines, another uses. */
	struct unit *units;
	size_t nr_units;
	/*
	 * The post objects' code was compiled without section anchors
	 * (create's second build on arm64): a reference into a data section
	 * that several objects share (__ro_after_init, __read_mostly) is to
	 * the object at its offset, as on x86.
	 */
	bool unanchored;
};

int out_section_new(struct patch *patch, const char *name, const GElf_Shdr *sh);
void out_reloc_add(struct patch *patch, int sec, const struct out_reloc *r);

/* compare.c: what the plugin's records of a unit allow and explain. */
bool same_code(const struct fingerprint *a, const struct fingerprint *b);
int compare_unit_builds(const struct unit *unit);
int compare_unit_types(const struct unit *unit);
int compare_unit_data(const struct unit *unit);

/* Data that holds a whole ELF image (the vDSO): how it changed. */
enum image_change {
	IMAGE_NONE,		/* not an ELF image in both builds */
	IMAGE_BUILD_ID_ONLY,	/* the same image but for its build id */
	IMAGE_CHANGED,		/* the image's contents changed */
};
enum image_change embedded_image_change(const struct symbol *pre, const struct symbol *post);
const struct fingerprint *pre_function_of(const struct unit *unit,
					  const struct fingerprint *post, bool *ambiguous);
void explain_changes(struct patch *patch, const struct unit *units, size_t nr_units);
void print_new_symbols(const struct unit *units, size_t nr_units);
const char *pre_data_name_of(const struct unit *unit, const char *post_name);
bool same_data_records(const struct unit *unit, const char *pre_name, const char *post_name,
		       bool *known);

/* How many symbols of the unit's vmlinux or module have this name. */
int unit_symbol_count(const struct unit *unit, const char *name);

/* extract.c: pick changed functions of one unit and copy what they need. */
int extract_unit(struct patch *patch, struct unit *unit);

/* hooks.c */
int carry_hooks(struct patch *patch, struct unit *unit, bool *added);

/* special.c */
int special_carry(struct patch *patch, struct unit *unit, bool *added);
void special_mask_patch_sites(const struct object *obj, const struct section *sec,
			      unsigned long start, unsigned long size,
			      unsigned char *mask);
unsigned long special_ftrace_site_at(const struct object *obj, const struct section *sec,
				     unsigned long at);
const char *special_runtime_site(const struct object *obj, const struct section *sec,
				 unsigned long start, unsigned long len);

/* extract.c: give one reference from copied code its final form. */
struct symbol *reloc_target(const struct unit *unit, const struct reloc *r, long *delta);
int link_reference(struct patch *patch, struct unit *unit, int out_sec,
		   unsigned long out_offset, const struct reloc *r);
int copy_section(struct patch *patch, struct unit *unit, struct section *sec);
/* A ksplice relocation that writes the value of the running kernel's NAME. */
int link_kernel_value(struct patch *patch, struct unit *unit, int out_sec,
		      unsigned long out_offset, const char *name, int type);

int write_object(const struct patch *patch, const char *path);
/* Who the patch is and what it is for: meta.c's strings. */
struct patch_identity {
	const char *id;
	const char *release;
	const char *build_id;		/* may be NULL */
	const char *description;	/* may be NULL */
};

int write_meta(const struct patch *patch, const char *path,
	       const struct patch_identity *who);

#endif

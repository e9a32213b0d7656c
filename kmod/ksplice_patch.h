/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The contract between a ksplice patch module and the ksplice core.
 *
 * patchgen writes a C file (meta.c) that fills one struct ksplice_patch;
 * the patch-module template registers it with the core from module_init.
 * Everything the core needs to apply the patch safely is in here: which
 * running functions to replace, the bytes they must hold (run-pre check),
 * where their replacements are, and the references in the new code that
 * the module loader could not resolve (non-exported kernel symbols).
 */
#ifndef KSPLICE_PATCH_H
#define KSPLICE_PATCH_H

#include "ksplice_hook_kinds.h"

#define KSPLICE_ABI_VERSION 3

enum ksplice_reloc_type {
	KSPLICE_RELOC_PC32 = 1,	/* *(s32 *)where = S + A - where */
	KSPLICE_RELOC_32S = 2,	/* *(s32 *)where = S + A, must sign-extend */
	KSPLICE_RELOC_32 = 3,	/* *(u32 *)where = S + A, must zero-extend */
	KSPLICE_RELOC_64 = 4,	/* *(u64 *)where = S + A */
	/*
	 * The value at S + A, not its address: an immediate the kernel
	 * writes into its own code at boot (6.12's runtime constants,
	 * runtime_const_ptr() and runtime_const_shift_right_32()), which
	 * copied code holds as a placeholder.
	 */
	KSPLICE_RELOC_VALUE64 = 5,	/* *(u64 *)where = *(u64 *)(S + A) */
	KSPLICE_RELOC_VALUE8 = 6,	/* *(u8 *)where = *(u8 *)(S + A) */
	/*
	 * arm64: a field of the instruction at where, the rest of which is
	 * kept (AArch64 ELF relocations of the same names; P is where).
	 */
	KSPLICE_RELOC_ARM64_ADR_PREL_PG_HI21 = 7,	/* ADRP: Page(S + A) - Page(P) */
	KSPLICE_RELOC_ARM64_ADD_ABS_LO12 = 8,	/* ADD: (S + A) & 0xfff */
	KSPLICE_RELOC_ARM64_LDST8_ABS_LO12 = 9,	/* load/store: (S + A) & 0xfff */
	KSPLICE_RELOC_ARM64_LDST16_ABS_LO12 = 10,	/* ... scaled by the access size, */
	KSPLICE_RELOC_ARM64_LDST32_ABS_LO12 = 11,	/* which S + A must be aligned to */
	KSPLICE_RELOC_ARM64_LDST64_ABS_LO12 = 12,
	KSPLICE_RELOC_ARM64_LDST128_ABS_LO12 = 13,
	KSPLICE_RELOC_ARM64_CALL26 = 14,	/* BL or B: S + A - P, +-128 MB */
	/*
	 * arm64's runtime constants: the value at S + A into the immediate
	 * of the instruction at where, as the kernel writes its own at boot.
	 */
	KSPLICE_RELOC_ARM64_VALUE_MOVW = 15,	/* MOVZ/MOVK: its 16 bits of *(u64 *)(S + A) */
	KSPLICE_RELOC_ARM64_VALUE_LSR = 16,	/* LSR (UBFM): *(u8 *)(S + A) & 63 */
};

/*
 * A static whose name several objects define is found from a symbol of
 * its own object that no other has: it lies anchor_offset bytes from
 * anchor (the objects are linked whole).  NULL anchor: look up the name.
 */

/* A reference from the new code to a symbol of the running kernel. */
struct ksplice_reloc {
	void *where;		/* field to write, inside this patch module */
	const char *symbol;	/* kallsyms name of the target */
	const char *object;	/* object file that defines it, for messages */
	const char *module;	/* module that defines it; NULL: vmlinux */
	const char *anchor;	/* see above */
	long anchor_offset;
	long addend;
	unsigned int type;	/* enum ksplice_reloc_type */
};

/* One running function and its replacement. */
struct ksplice_func {
	const char *name;	/* kallsyms name of the function to replace */
	const char *object;	/* object file that defines it (e.g. fs/pipe.o) */
	const char *module;	/* its module, patched whenever loaded; NULL: vmlinux */
	const char *anchor;	/* as in struct ksplice_reloc */
	long anchor_offset;
	void *new_code;		/* replacement entry, inside this patch module */
	unsigned long new_size;
	unsigned long pre_size;	/* size in the pre build */
	/*
	 * Where the jump goes, from the entry: past an endbr64 and an ftrace
	 * call site, which the kernel needs and rewrites (patchgen decides).
	 */
	unsigned long jump_offset;
	const unsigned char *pre_bytes;	/* code in the pre build */
	const unsigned char *pre_mask;	/* nonzero: byte differs at run time */
	const char *cold;	/* its .cold part, which no task may be in either */
	unsigned long cold_size;

	/* Filled in by the core. */
	unsigned long old_addr;
	/*
	 * Unused: the core keeps the entry bytes it replaces itself (an arm64
	 * veneer takes 16).  Kept so that the layout stays version 3's.
	 */
	unsigned char saved[5];
};

/* Code of the fix run around apply and undo (include/ksplice_hooks.h). */
struct ksplice_hook {
	unsigned int kind;	/* enum ksplice_hook_kind */
	void *fn;		/* inside this patch module */
};

struct ksplice_patch {
	unsigned int abi_version;	/* KSPLICE_ABI_VERSION */
	const char *id;
	const char *target_release;	/* utsname()->release of the pre build */
	const char *target_build_id;	/* its vmlinux GNU build id, in hex; or NULL */
	struct module *owner;
	struct ksplice_func *funcs;
	unsigned int nr_funcs;
	const struct ksplice_reloc *relocs;
	unsigned int nr_relocs;
	const struct ksplice_hook *hooks;
	unsigned int nr_hooks;

	void *core_private;		/* owned by the core */
};

int ksplice_register_patch(struct ksplice_patch *patch);
void ksplice_unregister_patch(struct ksplice_patch *patch);

#endif /* KSPLICE_PATCH_H */

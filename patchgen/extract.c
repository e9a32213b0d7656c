// SPDX-License-Identifier: GPL-2.0
/*
 * Picks the functions of one compilation unit whose fingerprints changed
 * and copies them, with everything they need that the running kernel
 * does not already have, from the post object into the patch.
 *
 * Each reference from copied code ends up in one of three forms:
 * - internal: the target was copied too (cold parts, string literals,
 *   jump tables, new functions, fresh statics);
 * - linked: an exported vmlinux symbol, left to the module loader;
 * - a ksplice relocation: any other running-kernel symbol, which the core
 *   resolves through kallsyms when the patch is applied.
 */
#include <elf.h>
#include <stdio.h>
#include <string.h>

#include "kernel_symbols.h"
#include "ksplice_patch.h"
#include "patch.h"

int out_section_new(struct patch *patch, const char *name, const GElf_Shdr *sh)
{
	struct out_section *out;

	patch->secs = xrealloc(patch->secs, (patch->nr_secs + 1) * sizeof(*patch->secs));
	out = &patch->secs[patch->nr_secs];
	memset(out, 0, sizeof(*out));
	out->name = xstrdup(name);
	out->sh = *sh;
	out->sh.sh_flags &= ~(GElf_Xword)SHF_GROUP;
	out->sh.sh_size = 0;
	return (int)patch->nr_secs++;
}

void out_reloc_add(struct patch *patch, int sec, const struct out_reloc *r)
{
	struct out_section *out = &patch->secs[sec];

	out->relocs = xrealloc(out->relocs, (out->nr_relocs + 1) * sizeof(*out->relocs));
	out->relocs[out->nr_relocs++] = *r;
}

static int link_address_taken(struct patch *patch, struct unit *unit, const struct section *from,
			      int out_sec, const struct reloc *r);

/*
 * Copied functions are named NAME.ksplice: a backtrace through patched
 * code says so, and a kprobe by name still finds exactly one function
 * (6.1 refuses a name that vmlinux and a module share).
 */
static void add_out_symbol(struct patch *patch, const struct symbol *sym, int sec)
{
	char *name = xcalloc(strlen(sym->name) + sizeof(".ksplice"), 1);

	strcpy(name, sym->name);
	if (sym->type == STT_FUNC)
		strcat(name, ".ksplice");
	patch->syms = xrealloc(patch->syms, (patch->nr_syms + 1) * sizeof(*patch->syms));
	patch->syms[patch->nr_syms++] = (struct out_symbol){
		.name = name,
		.section = sec,
		.value = sym->sym.st_value,
		.size = sym->sym.st_size,
		.type = sym->type,
	};
}

static bool name_has_prefix(const char *name, const char *prefix)
{
	return !strncmp(name, prefix, strlen(prefix));
}

static bool section_is_init(const struct section *sec)
{
	return name_has_prefix(sec->name, ".init.") || name_has_prefix(sec->name, ".exit.");
}

int copy_section(struct patch *patch, struct unit *unit, struct section *sec)
{
	struct out_section *out;
	int idx;

	if (sec->out >= 0)
		return 0;
	if (section_is_init(sec))
		return refuse("%s: the fix needs %s, which is freed after boot", unit->name,
			      sec->name);
	idx = out_section_new(patch, sec->name, &sec->sh);
	sec->out = idx;
	out = &patch->secs[idx];
	if (sec->sh.sh_type == SHT_NOBITS)
		out->nobits_size = sec->sh.sh_size;
	else
		buf_append(&out->bytes, sec->bytes, sec->sh.sh_size);

	for (size_t i = 1; i < unit->post.nr_syms; i++) {
		const struct symbol *sym = &unit->post.syms[i];

		if (sym->sec == sec && (sym->type == STT_FUNC || sym->type == STT_OBJECT))
			add_out_symbol(patch, sym, idx);
	}
	for (size_t i = 0; i < sec->nr_relocs; i++) {
		int ret = link_address_taken(patch, unit, sec, idx, &sec->relocs[i]);

		if (ret < 0 || (ret > 0 && link_reference(patch, unit, idx, sec->relocs[i].offset,
							  &sec->relocs[i])))
			return -1;
	}
	return 0;
}

static int ksplice_type(unsigned int elf_type)
{
	switch (elf_type) {
	case R_X86_64_PC32:
	case R_X86_64_PLT32:
		return KSPLICE_RELOC_PC32;
	case R_X86_64_32S:
		return KSPLICE_RELOC_32S;
	case R_X86_64_32:
		return KSPLICE_RELOC_32;
	case R_X86_64_64:
	case R_AARCH64_ABS64:
		return KSPLICE_RELOC_64;
	case R_AARCH64_PREL32:
		return KSPLICE_RELOC_PC32;
	case R_AARCH64_ADR_PREL_PG_HI21:
		return KSPLICE_RELOC_ARM64_ADR_PREL_PG_HI21;
	case R_AARCH64_ADD_ABS_LO12_NC:
		return KSPLICE_RELOC_ARM64_ADD_ABS_LO12;
	case R_AARCH64_LDST8_ABS_LO12_NC:
		return KSPLICE_RELOC_ARM64_LDST8_ABS_LO12;
	case R_AARCH64_LDST16_ABS_LO12_NC:
		return KSPLICE_RELOC_ARM64_LDST16_ABS_LO12;
	case R_AARCH64_LDST32_ABS_LO12_NC:
		return KSPLICE_RELOC_ARM64_LDST32_ABS_LO12;
	case R_AARCH64_LDST64_ABS_LO12_NC:
		return KSPLICE_RELOC_ARM64_LDST64_ABS_LO12;
	case R_AARCH64_LDST128_ABS_LO12_NC:
		return KSPLICE_RELOC_ARM64_LDST128_ABS_LO12;
	case R_AARCH64_CALL26:
	case R_AARCH64_JUMP26:
		return KSPLICE_RELOC_ARM64_CALL26;
	default:
		return -1;
	}
}

/* What the unit is linked into, for messages. */
static const char *where(const struct unit *unit)
{
	return unit->module ? unit->module : "vmlinux";
}

int unit_symbol_count(const struct unit *unit, const char *name)
{
	int count = 0;

	if (!unit->module)
		return kernel_symbol_count(name);
	for (size_t i = name_index_first(&unit->ko.sym_names, name); i != NAME_NONE;
	     i = name_index_next(&unit->ko.sym_names, i))
		count += unit->ko.syms[i].sym.st_shndx != SHN_UNDEF;
	return count;
}

/*
 * The running kernel has several statics named like PRE, a symbol of the
 * pre object: find PRE from the nearest symbol of the same section that
 * no other vmlinux symbol shares.  The booted kernel is built without
 * per-function sections, so the linker moved the section whole.
 */
static bool find_anchor(const struct unit *unit, const struct symbol *pre, struct anchor *anchor)
{
	const struct symbol *best = NULL;
	long best_distance = 0;

	for (size_t i = 1; i < unit->pre.nr_syms; i++) {
		const struct symbol *cand = &unit->pre.syms[i];
		long distance = (long)cand->sym.st_value - (long)pre->sym.st_value;

		if (cand->sec != pre->sec || !*cand->name || cand->type == STT_SECTION ||
		    cand->type == STT_FILE || unit_symbol_count(unit, cand->name) != 1)
			continue;
		if (distance < 0)
			distance = -distance;
		if (!best || distance < best_distance) {
			best = cand;
			best_distance = distance;
		}
	}
	if (!best)
		return false;
	anchor->symbol = best->name;
	anchor->offset = (long)pre->sym.st_value - (long)best->sym.st_value;
	return true;
}

/*
 * Whether the reference at OFF of SEC is the target of a call or jump
 * (call, jmp or jcc rel32). No other instruction has e8, e9 or 0f 8x
 * right before a PC-relative field: before a RIP-relative displacement
 * comes a ModRM byte with mod 00 and r/m 101.
 */
static bool is_branch_site(const struct out_section *sec, unsigned long off, unsigned int type)
{
	const unsigned char *b = sec->bytes.data;

	if ((type != R_X86_64_PC32 && type != R_X86_64_PLT32) ||
	    !(sec->sh.sh_flags & SHF_EXECINSTR) || off < 1 || off > sec->bytes.len)
		return false;
	return b[off - 1] == 0xe8 || b[off - 1] == 0xe9 ||
	       (off >= 2 && b[off - 2] == 0x0f && (b[off - 1] & 0xf0) == 0x80);
}

#define UNRESOLVED_STUB "__ksplice_unresolved"
/* Nops before it, where 6.12's call-depth tracking may write its thunk. */
#define STUB_PADDING 16

/*
 * The placeholder that calls and jumps the core resolves point at until
 * it does: a function that returns (ret; int3), marked retpoline-safe so
 * that objtool accepts a plain ret in a return-thunk build. Returns it
 * as an out_reloc's target_symbol.
 */
static size_t unresolved_stub(struct patch *patch)
{
	static const unsigned char ret_int3[] = { 0xc3, 0xcc };
	static const unsigned char hint[8];
	const GElf_Shdr text = {
		.sh_type = SHT_PROGBITS,
		.sh_flags = SHF_ALLOC | SHF_EXECINSTR,
		.sh_addralign = 16,
	};
	const GElf_Shdr discard = { .sh_type = SHT_PROGBITS, .sh_addralign = 8 };
	int sec, hints;

	for (size_t i = 0; i < patch->nr_syms; i++)
		if (!strcmp(patch->syms[i].name, UNRESOLVED_STUB))
			return i + 1;
	sec = out_section_new(patch, ".text.ksplice_unresolved", &text);
	for (int i = 0; i < STUB_PADDING; i++)
		buf_append(&patch->secs[sec].bytes, "\x90", 1);
	buf_append(&patch->secs[sec].bytes, ret_int3, sizeof(ret_int3));
	hints = out_section_new(patch, ".discard.retpoline_safe", &discard);
	buf_append(&patch->secs[hints].bytes, hint, sizeof(hint));
	out_reloc_add(patch, hints, &(struct out_reloc){
		.offset = 0, .addend = STUB_PADDING, .type = R_X86_64_64, .target_section = sec,
	});
	patch->syms = xrealloc(patch->syms, (patch->nr_syms + 1) * sizeof(*patch->syms));
	patch->syms[patch->nr_syms++] = (struct out_symbol){
		.name = xstrdup(UNRESOLVED_STUB),
		.section = sec,
		.value = STUB_PADDING,
		.size = 1,
		.type = STT_FUNC,
	};
	return patch->nr_syms;
}

/*
 * A ksplice relocation of TYPE against NAME in the running kernel, which
 * the core finds by name, or from an anchor when several statics share
 * it; PRE: its pre-build symbol, if any; COUNT: the symbols of that name
 * where the unit is linked.
 */
static int add_kernel_reloc(struct patch *patch, struct unit *unit, int out_sec,
			    unsigned long out_offset, const char *name, int count,
			    const struct symbol *pre, bool global, long addend, int type)
{
	struct anchor anchor = { 0 };

	if (count == 0 && unit->module)
		return refuse("%s: the fix references %s, which module %s does not define "
			      "and vmlinux does not export", unit->name, name, unit->module);
	if (count == 0)
		return refuse("%s: the fix references %s, which vmlinux does not have "
			      "(a symbol of a module?)", unit->name, name);
	if (count > 1 && (global || !pre || !find_anchor(unit, pre, &anchor)))
		return refuse("%s: the fix references the static %s, and %s has %d "
			      "symbols of that name", unit->name, name, where(unit), count);
	if (anchor.symbol)
		found("link", name, unit->name, "%s has %d symbols of that name; found by its "
		      "object's %s%+ld", where(unit), count, anchor.symbol, anchor.offset);
	patch->krelocs = xrealloc(patch->krelocs,
				  (patch->nr_krelocs + 1) * sizeof(*patch->krelocs));
	patch->krelocs[patch->nr_krelocs++] = (struct ksplice_reloc_out){
		.section = out_sec, .offset = out_offset, .symbol = name,
		.object = global ? "" : unit->name, .module = unit->module, .anchor = anchor,
		.addend = addend, .type = (unsigned int)type,
	};
	return 0;
}

int link_kernel_value(struct patch *patch, struct unit *unit, int out_sec,
		      unsigned long out_offset, const char *name, int type)
{
	const struct symbol *pre = object_symbol(&unit->pre, name);

	if (pre && !pre->sec)
		pre = NULL;	/* declared, defined elsewhere */
	return add_kernel_reloc(patch, unit, out_sec, out_offset, name,
				unit_symbol_count(unit, name), pre,
				!pre || pre->bind != STB_LOCAL, 0, type);
}

#define CALL_STUB_SECTION ".text.ksplice_stubs"
#define CALL_STUB_SIZE 16
/* Where in a stub the target's address is: after its two instructions. */
#define CALL_STUB_ADDRESS 8

/* The out section of arm64 call stubs, made on first use. */
static int call_stub_section(struct patch *patch)
{
	const GElf_Shdr text = {
		.sh_type = SHT_PROGBITS,
		.sh_flags = SHF_ALLOC | SHF_EXECINSTR,
		.sh_addralign = 8,
	};

	for (size_t i = 0; i < patch->nr_secs; i++)
		if (!strcmp(patch->secs[i].name, CALL_STUB_SECTION))
			return (int)i;
	return out_section_new(patch, CALL_STUB_SECTION, &text);
}

/*
 * arm64: a call or jump from new code to a kernel function that the
 * core links goes through a stub of the patch module's own, "ldr x16,
 * .+8; br x16" and the function's address, which the core writes as a
 * 64-bit ksplice relocation: a BL reaches 128 MB, and KASLR may load a
 * module 2 GB away from vmlinux (the module loader's PLTs do the same
 * for the exported functions it links). x16 is IP0, which any call may
 * lose to a veneer; BR x16 lands on BTI c. One stub per target, shared
 * by the unit's calls to it. Returns the stub's offset in *offset.
 */
static int call_stub(struct patch *patch, struct unit *unit, const char *name,
		     const struct symbol *pre, bool global, long addend, int count,
		     int *stub_sec, unsigned long *offset)
{
	static const unsigned char code[CALL_STUB_SIZE] = {
		0x50, 0x00, 0x00, 0x58,	/* ldr x16, .+8 */
		0x00, 0x02, 0x1f, 0xd6,	/* br x16 */
	};
	const char *object = global ? "" : unit->name;
	int sec = call_stub_section(patch);

	*stub_sec = sec;
	for (size_t i = 0; i < patch->nr_krelocs; i++) {
		const struct ksplice_reloc_out *k = &patch->krelocs[i];

		if (k->section == sec && !strcmp(k->symbol, name) &&
		    !strcmp(k->object, object) && k->module == unit->module &&
		    k->addend == addend) {
			*offset = k->offset - CALL_STUB_ADDRESS;
			return 0;
		}
	}
	*offset = patch->secs[sec].bytes.len;
	buf_append(&patch->secs[sec].bytes, code, sizeof(code));
	return add_kernel_reloc(patch, unit, sec, *offset + CALL_STUB_ADDRESS, name, count,
				pre, global, addend, KSPLICE_RELOC_64);
}

/* A reference the running kernel must satisfy; PRE: its pre-build symbol, if any. */
static int link_kernel(struct patch *patch, struct unit *unit, int out_sec,
		       unsigned long out_offset, const struct reloc *r,
		       const char *name, const struct symbol *pre, bool global, long addend)
{
	int type, count = unit_symbol_count(unit, name);

	/*
	 * A module's own symbols are resolved when it is loaded, which may be
	 * after the patch: the module loader cannot link them, exported or not.
	 */
	if (global && kernel_symbol_exported(name) && !(unit->module && count > 0)) {
		out_reloc_add(patch, out_sec, &(struct out_reloc){
			.offset = out_offset, .addend = addend, .type = r->type,
			.target_section = -1, .target_name = name,
		});
		return 0;
	}
	if (patch->loader_reads)
		return refuse("%s: %s uses %s, which %s: the module loader, which sets it "
			      "up, can only link exported symbols", unit->name,
			      patch->loader_reads, name,
			      unit->module && count > 0 ? "the module defines" :
			      "vmlinux does not export");
	type = ksplice_type(r->type);
	if (type < 0)
		return refuse("%s: relocation type %u against %s is not supported",
			      unit->name, r->type, name);
	if (type == KSPLICE_RELOC_ARM64_CALL26) {
		int stub_sec;
		unsigned long stub;

		if (call_stub(patch, unit, name, pre, global, addend, count, &stub_sec, &stub))
			return -1;
		out_reloc_add(patch, out_sec, &(struct out_reloc){
			.offset = out_offset, .addend = (long)stub, .type = r->type,
			.target_section = stub_sec,
		});
		return 0;
	}
	if (add_kernel_reloc(patch, unit, out_sec, out_offset, name, count, pre, global,
			     addend, type))
		return -1;
	/*
	 * A call or jump the core resolves has no ELF relocation, and objtool,
	 * which kbuild runs on the linked patch module on IBT kernels, gives
	 * up on such a call ("unannotated intra-function call"): the module
	 * then has no ORC, return or retpoline sites at all. So it gets one,
	 * to the placeholder, which the module loader links and the core
	 * overwrites before the new code can run. (No objtool runs on
	 * arm64 modules: there the core's write is all.)
	 */
	if (unit->post.machine == EM_X86_64 &&
	    is_branch_site(&patch->secs[out_sec], out_offset, r->type))
		out_reloc_add(patch, out_sec, &(struct out_reloc){
			.offset = out_offset, .addend = r->addend, .type = r->type,
			.target_section = -1, .target_symbol = unresolved_stub(patch),
		});
	return 0;
}

static bool fresh_static(const struct symbol *sym)
{
	static const char *const stems[] = {
		"__key", "__warned", "__already_done", "__func__", "_rs",
		"CSWTCH", "descriptor", "_entry", NULL,
	};
	size_t len = name_stem_len(sym->name);

	if (name_has_prefix(sym->sec->name, ".data.once"))
		return true;
	for (size_t i = 0; stems[i]; i++)
		if (strlen(stems[i]) == len && !strncmp(sym->name, stems[i], len))
			return true;
	return false;
}

/*
 * The pre-build symbol a post-build static corresponds to: same name, or
 * (GCC numbers function-local statics per unit) the one with the same
 * key in the plugin's records, or the only one with the same stem.
 */
static const struct symbol *pre_data_symbol(const struct unit *unit, const struct symbol *sym)
{
	const struct symbol *found = object_symbol(&unit->pre, sym->name);
	const char *paired = pre_data_name_of(unit, sym->name);
	size_t stem = name_stem_len(sym->name);
	int matches = 0;

	if (found)
		return found;
	if (paired)	/* the plugin's key: owner and stem */
		return object_symbol(&unit->pre, paired);
	if (stem == strlen(sym->name))
		return NULL;
	for (size_t i = 1; i < unit->pre.nr_syms; i++) {
		const struct symbol *cand = &unit->pre.syms[i];

		if (cand->type == STT_OBJECT && name_stem_len(cand->name) == stem &&
		    !strncmp(cand->name, sym->name, stem)) {
			found = cand;
			matches++;
		}
	}
	return matches == 1 ? found : NULL;
}

/*
 * Whether the running object PRE holds what the post build's SYM does:
 * the plugin's records compare the value with what its pointers point
 * to (an array of strings whose one string changed has the same bytes);
 * without records, the bytes must do.
 */
static bool same_data(const struct unit *unit, const struct symbol *pre, const struct symbol *sym)
{
	bool known;
	bool same = same_data_records(unit, pre->name, sym->name, &known);

	if (known)
		return same;
	if (pre->sym.st_size != sym->sym.st_size)
		return false;
	if (!pre->sec->bytes || !sym->sec->bytes)
		return !pre->sec->bytes && !sym->sec->bytes;
	return !memcmp(pre->sec->bytes + pre->sym.st_value, sym->sec->bytes + sym->sym.st_value,
		       pre->sym.st_size);
}

/*
 * The running (pre-build) function that the post build's SYM is, and in
 * *changed whether its code changed; NULL if there is none, or none that
 * can be told apart (a static that several objects define, with nothing
 * to find it by).
 */
static const struct symbol *running_function(const struct unit *unit, const struct symbol *sym,
					     bool *changed)
{
	const struct fingerprint *post = fingerprint_find(&unit->post_fp, sym->name);
	const struct fingerprint *pre;
	const struct symbol *running;
	struct anchor anchor;
	bool ambiguous;

	if (!post)
		return NULL;
	/* Ambiguous clones were refused before anything is linked. */
	pre = pre_function_of(unit, post, &ambiguous);
	if (!pre)
		return NULL;
	*changed = !same_code(pre, post);
	running = object_func(&unit->pre, pre->name);
	if (running && running->bind == STB_LOCAL && unit_symbol_count(unit, running->name) > 1 &&
	    !find_anchor(unit, running, &anchor))
		return NULL;
	return running;
}

/*
 * The pre-build symbol of this function if it is unchanged and present,
 * so the running copy will do; NULL if the patch needs its own.
 */
static const struct symbol *reusable_function(const struct unit *unit, const struct symbol *sym)
{
	bool changed;
	const struct symbol *running = running_function(unit, sym, &changed);

	return running && !changed ? running : NULL;
}

/*
 * The named function or object a post-object relocation points into (for
 * a section symbol, the one at the offset), and the addend relative to
 * it; NULL for an anonymous place (string literals, constant pools).
 */
struct symbol *reloc_target(const struct unit *unit, const struct reloc *r, long *delta)
{
	struct symbol *target = NULL;
	long at = r->addend + reloc_pc_bias(r->type);

	*delta = r->addend;
	if (r->sym->type != STT_SECTION)
		return r->sym;
	/* A displacement before an immediate ends up to 4 bytes early. */
	for (long slack = 0; slack <= 4 && !target; slack++)
		target = section_symbol_at(&unit->post, r->sym->sec, at + slack);
	if (target)
		*delta = r->addend - (long)target->sym.st_value;
	return target;
}

/*
 * The definition of NAME, a global function or variable that the fix
 * adds (in a post object, not in that object's pre build), in another
 * object of the fix than USER; NULL if none.  A fix often adds a helper
 * to one file, declares it in a header and calls it from another: the
 * call links inside the patch, wherever either object is (vmlinux or a
 * module).
 */
static struct symbol *new_global(const struct patch *patch, const struct unit *user,
				 const char *name, struct unit **owner)
{
	for (size_t i = 0; i < patch->nr_units; i++) {
		struct unit *u = &patch->units[i];
		struct symbol *def;

		if (u == user)
			continue;
		def = object_symbol(&u->post, name);
		if (!def || !def->sec || def->bind == STB_LOCAL ||
		    (def->type != STT_FUNC && def->type != STT_OBJECT) ||
		    object_symbol(&u->pre, name))
			continue;
		*owner = u;
		return def;
	}
	return NULL;
}

/*
 * Whether post section SEC lies as its namesake in the pre object: the
 * same objects at the same offsets with the same sizes, and for
 * read-only data the same bytes and references.
 */
static bool section_as_in_pre(const struct unit *unit, const struct section *sec)
{
	const struct section *pre = object_section(&unit->pre, sec->name);

	if (!pre || pre->sh.sh_size != sec->sh.sh_size || pre->nr_by_addr != sec->nr_by_addr)
		return false;
	for (size_t i = 0; i < sec->nr_by_addr; i++) {
		const struct symbol *a = pre->by_addr[i], *b = sec->by_addr[i];

		if (strcmp(a->name, b->name) || a->sym.st_value != b->sym.st_value ||
		    a->sym.st_size != b->sym.st_size)
			return false;
	}
	if (section_is_writable(sec))
		return true;
	if (!pre->bytes != !sec->bytes || pre->nr_relocs != sec->nr_relocs ||
	    (sec->bytes && memcmp(pre->bytes, sec->bytes, sec->sh.sh_size)))
		return false;
	for (size_t i = 0; i < sec->nr_relocs; i++) {
		const struct reloc *a = &pre->relocs[i], *b = &sec->relocs[i];

		if (a->offset != b->offset || a->type != b->type || a->addend != b->addend ||
		    strcmp(a->sym->name, b->sym->name))
			return false;
	}
	return true;
}

static bool all_fresh_statics(const struct section *sec)
{
	for (size_t i = 0; i < sec->nr_by_addr; i++)
		if (!fresh_static(sec->by_addr[i]))
			return false;
	return true;
}

/* SEC holds one object and nothing else: a reference to it is to that. */
static bool section_is_one_object(const struct section *sec)
{
	return sec->nr_by_addr == 1 && sec->by_addr[0]->type == STT_OBJECT &&
	       sec->by_addr[0]->sym.st_value == 0 &&
	       sec->by_addr[0]->sym.st_size == sec->sh.sh_size;
}

/*
 * arm64: GCC's section anchors (in objects built without -fdata-sections;
 * create builds the code it hands patchgen with it and without anchors,
 * docs/patchgen.md). One ADRP to a data section then serves every object the
 * function reaches from it, at offsets that later instructions hold
 * with no relocation of their own: the reference is to the section as
 * it lies, not to one object. It is linked to the running section when
 * the section lies as in the pre build; otherwise read-only data is
 * copied whole for the new code, and writable data is refused, as a
 * copy would part the new code from the running values. Returns 1 when
 * the reference is not such a one.
 */
static int link_anchored(struct patch *patch, struct unit *unit, int out_sec,
			 unsigned long out_offset, const struct reloc *r)
{
	struct section *sec = r->sym->sec;
	const struct symbol *base, *pre;

	if (unit->post.machine != EM_AARCH64 || patch->unanchored || r->sym->type != STT_SECTION ||
	    !section_is_alloc(sec) || section_is_text(sec) || (sec->sh.sh_flags & SHF_MERGE))
		return 1;
	/* Compiler statics only (WARN_ONCE's flags): fresh copies, as on x86. */
	if (sec->nr_by_addr && all_fresh_statics(sec))
		return 1;
	/*
	 * A section of one object (-fdata-sections, as create builds the
	 * code it copies on arm64): whatever reaches it reaches that object,
	 * which is found by name.
	 */
	if (section_is_one_object(sec))
		return 1;
	if (!section_as_in_pre(unit, sec)) {
		if (!section_is_writable(sec))
			return 1;	/* copied whole */
		return refuse("%s: the objects of %s lie otherwise than in the running kernel "
			      "(the fix adds, removes or resizes a static there), and arm64 code "
			      "reaches them from one section anchor: the new code could not "
			      "find the running ones", unit->name, sec->name);
	}
	/* Any object of the section places it; the first, for the messages. */
	base = sec->nr_by_addr ? sec->by_addr[0] : NULL;
	pre = base ? object_symbol(&unit->pre, base->name) : NULL;
	if (!pre) {
		if (!section_is_writable(sec))
			return 1;
		return refuse("%s: copied code reaches %s, which has no named object to find "
			      "it by in the running kernel", unit->name, sec->name);
	}
	return link_kernel(patch, unit, out_sec, out_offset, r, pre->name, pre,
			   pre->bind != STB_LOCAL, r->addend - (long)base->sym.st_value);
}

int link_reference(struct patch *patch, struct unit *unit, int out_sec,
		   unsigned long out_offset, const struct reloc *r)
{
	struct symbol *sym = r->sym, *target;
	struct section *sec = sym->sec;
	long delta;

	if (!sec) {
		struct unit *owner;
		struct symbol *def;

		if (sym->sym.st_shndx != SHN_UNDEF)
			return refuse("%s: unsupported reference to %s", unit->name, sym->name);
		def = new_global(patch, unit, sym->name, &owner);
		if (def) {
			if (copy_section(patch, owner, def->sec))
				return -1;
			out_reloc_add(patch, out_sec, &(struct out_reloc){
				.offset = out_offset,
				.addend = r->addend + (long)def->sym.st_value,
				.type = r->type,
				.target_section = def->sec->out,
			});
			return 0;
		}
		return link_kernel(patch, unit, out_sec, out_offset, r, sym->name, NULL, true,
				   r->addend);
	}
	if (sec->out < 0) {
		int anchored = link_anchored(patch, unit, out_sec, out_offset, r);

		if (anchored <= 0)
			return anchored;
	}
	target = reloc_target(unit, r, &delta);

	if (sec->out < 0 && target) {
		if (section_is_text(sec)) {
			const struct symbol *running = reusable_function(unit, target);

			if (running)
				return link_kernel(patch, unit, out_sec, out_offset, r,
						   running->name, running,
						   running->bind != STB_LOCAL, delta);
		} else if (section_is_alloc(sec) && target->type == STT_OBJECT &&
			   !fresh_static(target)) {
			/* Objects only: a label (.LC1, a string) is anonymous data. */
			const struct symbol *pre = pre_data_symbol(unit, target);

			if (pre && !section_is_writable(sec) && !same_data(unit, pre, target))
				pre = NULL;	/* new contents: the new code gets a copy */
			if (pre && section_is_writable(sec) && !same_data(unit, pre, target))
				return refuse("%s: the initial value of %s changed; existing data "
					      "cannot change live", unit->name, target->name);
			if (pre)
				return link_kernel(patch, unit, out_sec, out_offset, r,
						   pre->name, pre, pre->bind != STB_LOCAL, delta);
		}
	}
	if (!section_is_alloc(sec))
		return refuse("%s: copied code references non-allocated section %s",
			      unit->name, sec->name);
	if (copy_section(patch, unit, sec))
		return -1;
	out_reloc_add(patch, out_sec, &(struct out_reloc){
		.offset = out_offset,
		.addend = r->addend + (sym->type == STT_SECTION ? 0 : (long)sym->sym.st_value),
		.type = r->type,
		.target_section = sec->out,
	});
	return 0;
}

static const unsigned char endbr64[] = { 0xf3, 0x0f, 0x1e, 0xfa };
/* arm64's landing pad for calls (BTI c), little-endian. */
static const unsigned char bti_c[] = { 0x5f, 0x24, 0x03, 0xd5 };

/* Does the relocation at r in FROM take an address, not call or jump? */
static bool takes_address(const struct section *from, const struct reloc *r)
{
	const unsigned char *op;

	switch (r->type) {
	case R_X86_64_64:
	case R_X86_64_32:
	case R_X86_64_32S:
		return true;
	case R_X86_64_PC32:
	case R_X86_64_PLT32:
		if (!from->bytes || r->offset < 1)
			return true;
		op = from->bytes + r->offset - 1;	/* the opcode before the rel32 */
		if (op[0] == 0xe8 || op[0] == 0xe9)
			return false;
		return !(r->offset >= 2 && op[-1] == 0x0f && (op[0] & 0xf0) == 0x80);
	case R_AARCH64_ABS64:
	case R_AARCH64_PREL32:
	case R_AARCH64_ADR_PREL_PG_HI21:
	case R_AARCH64_ADD_ABS_LO12_NC:
		return true;
	default:
		return false;
	}
}

/*
 * Sections whose references to a function are not pointers anyone calls
 * through: the kernel's tables of sites (ftrace, ORC, alternatives,
 * exception and bug tables...).  objtool does not count them when it
 * decides which endbr64 to seal, so neither do we.
 */
static bool section_lists_sites(const char *name)
{
	static const char *const prefixes[] = {
		".discard", ".debug", ".note", ".comment", ".altinstructions",
		".ibt_endbr_seal", ".orc_unwind", ".parainstructions", ".retpoline_sites",
		".return_sites", ".call_sites", ".smp_locks", ".static_call_sites",
		".kcfi_traps", "_error_injection_whitelist", "_kprobe_blacklist",
		"__bug_table", "__ex_table", "__jump_table", "__mcount_loc",
		"__patchable_function_entries",
	};

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(name, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

/* Is the function at SYM of OBJ the target of a relocation that takes its address? */
static bool address_taken_in(const struct object *obj, const struct symbol *sym)
{
	for (size_t s = 0; s < obj->nr_secs; s++) {
		const struct section *sec = &obj->secs[s];

		if (section_lists_sites(sec->name))
			continue;
		for (size_t i = 0; i < sec->nr_relocs; i++) {
			const struct reloc *r = &sec->relocs[i];
			long at = r->addend + reloc_pc_bias(r->type);

			if (!takes_address(sec, r))
				continue;
			if (r->sym == sym && at == 0)
				return true;
			if (r->sym->type == STT_SECTION && r->sym->sec == sym->sec &&
			    at == (long)sym->sym.st_value)
				return true;
		}
	}
	return false;
}

/* Was the pre object built for IBT: does any function start with endbr64? */
static bool built_for_ibt(const struct object *obj)
{
	for (size_t i = 1; i < obj->nr_syms; i++) {
		const struct symbol *sym = &obj->syms[i];

		if (sym->type == STT_FUNC && sym->sec && sym->sec->bytes &&
		    sym->sym.st_size >= sizeof(endbr64) &&
		    !memcmp(sym->sec->bytes + sym->sym.st_value, endbr64, sizeof(endbr64)))
			return true;
	}
	return false;
}

/*
 * Can an indirect call land on the running function?  With IBT the
 * kernel seals the endbr64 of every function whose address vmlinux never
 * takes: only one whose address the pre object takes is sure to keep it.
 */
static bool call_can_land(const struct unit *unit, const struct symbol *running)
{
	return !built_for_ibt(&unit->pre) || address_taken_in(&unit->pre, running);
}

/*
 * New code that takes the address of a function the patch replaces (a
 * callback, an ops table, a comparison) gets the running function's, not
 * its own copy's.  While the patch is in, a call through that pointer
 * meets the jump and runs the copy, as every other call does; after undo
 * and unload the pointer still leads to code that stays, where the
 * copy's address would dangle.  Calls and jumps go to the copy directly.
 * Returns 1 when R is not such a reference (link_reference() links it).
 */
static int link_address_taken(struct patch *patch, struct unit *unit, const struct section *from,
			      int out_sec, const struct reloc *r)
{
	const struct symbol *target, *running;
	bool changed;
	long delta;

	if (!r->sym->sec || !section_is_text(r->sym->sec) || !takes_address(from, r))
		return 1;
	target = reloc_target(unit, r, &delta);
	if (!target || target->type != STT_FUNC ||
	    delta + reloc_pc_bias(r->type) != 0)
		return 1;
	running = running_function(unit, target, &changed);
	/* Unchanged: the running one anyway.  None to be found: a copy. */
	if (!running || !changed || !running->sec || !running->sec->bytes)
		return 1;
	if (!call_can_land(unit, running)) {
		found("note", target->name, unit->name, "the new code takes the address of its "
		      "new %s, which the running one cannot stand in for (IBT); it must not "
		      "be in use after undo", target->name);
		return 1;
	}
	found("link", running->name, unit->name,
	      "its address, as the new code takes it, is the running function's");
	return link_kernel(patch, unit, out_sec, r->offset, r, running->name, running,
			   running->bind != STB_LOCAL, delta);
}

static void mask_relocs(const struct section *sec, unsigned long start, unsigned long size,
			unsigned char *mask)
{
	for (size_t i = 0; i < sec->nr_relocs; i++) {
		const struct reloc *r = &sec->relocs[i];

		for (unsigned int b = 0; b < reloc_width(r->type); b++)
			if (r->offset + b >= start && r->offset + b < start + size)
				mask[r->offset + b - start] = 1;
	}
}

/*
 * GCC moves unlikely paths of F into F.cold, entered by a jump, not a
 * call: a task stopped there has no return address into F on its stack,
 * so the core must check the part as well as F.
 */
static void add_cold_part(struct func_out *f, const struct unit *unit, const char *pre_name)
{
	char name[512];
	const struct symbol *cold;

	snprintf(name, sizeof(name), "%s.cold", pre_name);
	cold = object_func(&unit->pre, name);
	if (!cold || !cold->sym.st_size)
		return;
	f->cold = cold->name;
	f->cold_size = cold->sym.st_size;
}

/*
 * A read-only object that the post build's function NAME reads and whose
 * value changed, or NULL.  The function's code hashes the same (it names
 * the object, not its contents), yet it must be replaced to see the new
 * value: an array of strings whose one string changed, say.
 */
static const char *changed_readonly_data(const struct unit *unit, const char *name)
{
	const struct symbol *fn = object_func(&unit->post, name);

	if (!fn)
		return NULL;
	for (size_t i = 0; i < fn->sec->nr_relocs; i++) {
		const struct reloc *r = &fn->sec->relocs[i];
		const struct symbol *target, *pre;
		long delta;

		if (r->offset < fn->sym.st_value || r->offset >= fn->sym.st_value + fn->sym.st_size ||
		    !r->sym->sec)
			continue;
		target = reloc_target(unit, r, &delta);
		if (!target || target->type != STT_OBJECT || !section_is_alloc(target->sec) ||
		    section_is_writable(target->sec) || section_is_text(target->sec) ||
		    fresh_static(target))
			continue;
		pre = pre_data_symbol(unit, target);
		if (pre && !same_data(unit, pre, target))
			return target->name;
	}
	return NULL;
}

/*
 * Data in UNIT's post object, other than a table of sites, that holds
 * the address of SYM and that the running kernel keeps: writable data,
 * or read-only data with the same value as before.  Read-only data that
 * changed too is checked in its own right.  NULL if there is none.
 */
static const char *running_holder_of(const struct unit *unit, const struct symbol *sym)
{
	for (size_t s = 0; s < unit->post.nr_secs; s++) {
		const struct section *sec = &unit->post.secs[s];

		if (!section_is_alloc(sec) || section_is_text(sec) || section_lists_sites(sec->name))
			continue;
		for (size_t i = 0; i < sec->nr_relocs; i++) {
			const struct symbol *holder, *pre;
			long delta;

			if (reloc_target(unit, &sec->relocs[i], &delta) != sym)
				continue;
			holder = section_symbol_at(&unit->post, sec, (long)sec->relocs[i].offset);
			if (!holder)
				return sec->name;
			if (section_is_writable(sec))
				return holder->name;
			pre = pre_data_symbol(unit, holder);
			if (pre && same_data(unit, pre, holder))
				return holder->name;
		}
	}
	return NULL;
}

/*
 * Read-only data whose contents changed is copied for the new code, and
 * the functions of this object that read it are replaced.  Readers the
 * patch cannot see would go on reading the old contents: refuse, naming
 * the data, when other objects can name it (it is global; kernel headers
 * read such tables through macros and inlines everywhere), when data
 * that stays holds its address, or when running code handed its address
 * out (an ops table given to a register call at boot, a pointer stored
 * in a structure): the plugin's escape records say which function did.
 */
static int check_changed_readonly(const struct unit *unit)
{
	for (size_t i = 1; i < unit->post.nr_syms; i++) {
		const struct symbol *sym = &unit->post.syms[i], *pre;
		const char *holder;

		if (sym->type != STT_OBJECT || !sym->sec || !section_is_alloc(sym->sec) ||
		    section_is_writable(sym->sec) || section_is_text(sym->sec) ||
		    fresh_static(sym))
			continue;
		pre = pre_data_symbol(unit, sym);
		if (!pre || same_data(unit, pre, sym))
			continue;
		if (sym->bind != STB_LOCAL)
			return refuse("%s: the contents of %s changed, and it is global read-only "
				      "data: its readers in other objects would keep reading the old "
				      "contents", unit->name, sym->name);
		/*
		 * Its readers are the functions whose relocations reach it.
		 * In arm64 code with section anchors (not as create builds
		 * it, but another tool might) they reach the section, which
		 * holds other objects too: they cannot be told.
		 */
		if (unit->post.machine == EM_AARCH64 && !(sym->sec->sh.sh_flags & SHF_MERGE) &&
		    !section_is_one_object(sym->sec))
			return refuse("%s: the contents of %s changed, and on arm64 its readers "
				      "reach it from a section anchor, which does not name it: "
				      "they cannot be told", unit->name, sym->name);
		holder = fingerprint_escape_of(&unit->pre_fp, pre->name);
		if (holder)
			return refuse("%s: the contents of %s changed, and %s hands out its "
				      "address: whatever it gave the address to would keep reading "
				      "the old contents", unit->name, sym->name, holder);
		holder = running_holder_of(unit, sym);
		if (holder)
			return refuse("%s: the contents of %s changed, and %s, which stays, holds "
				      "its address: whoever reads through it would keep reading the "
				      "old contents", unit->name, sym->name, holder);
	}
	return 0;
}

/*
 * Where the jump goes in PRE: past an entry endbr64 (indirect calls must
 * still land on one), and past the ftrace call site that follows it on
 * kernels with ftrace, which ftrace and kprobes keep rewriting; they
 * then keep working on the function, and the jump never meets their
 * bytes.
 */
static unsigned long jump_offset(const struct unit *unit, const struct symbol *pre)
{
	unsigned long entry = pre->sym.st_value, off = 0;
	const unsigned char *pad = unit->pre.machine == EM_AARCH64 ? bti_c : endbr64;

	/* The landing pads are 4 bytes on both. */
	if (pre->sym.st_size >= sizeof(endbr64) &&
	    !memcmp(pre->sec->bytes + entry, pad, sizeof(endbr64)))
		off = sizeof(endbr64);
	return off + special_ftrace_site_at(&unit->pre, pre->sec, entry + off);
}

/* The jump the core writes: jmp rel32 on x86, B on arm64. */
static unsigned long jump_size(const struct unit *unit)
{
	return unit->pre.machine == EM_AARCH64 ? 4 : 5;
}

/* The length of the x86 NOP (or int3) at P, 0 if there is none. */
static size_t filler_insn(const unsigned char *p, size_t left)
{
	static const unsigned char nops[][10] = {
		{ 0x90 }, { 0xcc }, { 0x66, 0x90 }, { 0x0f, 0x1f, 0x00 },
		{ 0x0f, 0x1f, 0x40, 0x00 }, { 0x0f, 0x1f, 0x44, 0x00, 0x00 },
		{ 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00 },
		{ 0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00 },
		{ 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
		{ 0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
		{ 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
	};
	static const size_t lens[] = { 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	size_t prefixes = 0;

	/* gas pads long runs with extra 0x66 prefixes before the 10-byte form. */
	while (prefixes < left && p[prefixes] == 0x66 && prefixes < 5)
		prefixes++;
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		size_t skip = lens[i] == 10 && prefixes > 1 ? prefixes - 1 : 0;

		if (skip + lens[i] <= left && !memcmp(p + skip, nops[i], lens[i]))
			return skip + lens[i];
	}
	return 0;
}

/*
 * The bytes after function SYM, up to the next symbol of its section or
 * the section's end, when they are all alignment filler (NOPs, int3)
 * that nothing refers to: room the jump may take.  0 otherwise.
 */
static unsigned long alignment_filler(const struct object *obj, const struct symbol *sym)
{
	const struct section *sec = sym->sec;
	unsigned long end = sym->sym.st_value + sym->sym.st_size, next = sec->sh.sh_size;

	const struct section *padding = object_section(obj, "__patchable_function_entries");

	for (size_t i = 1; i < obj->nr_syms; i++) {
		const struct symbol *other = &obj->syms[i];

		if (other->sec == sec && other->type != STT_SECTION &&
		    other->sym.st_value >= end && other->sym.st_value < next)
			next = other->sym.st_value;
	}
	/*
	 * The padding before the next function (-fpatchable-function-entry)
	 * is no filler: the kernel writes call thunks or CFI preambles there.
	 */
	for (size_t i = 0; padding && i < padding->nr_relocs; i++) {
		const struct reloc *r = &padding->relocs[i];
		unsigned long area = r->sym->sym.st_value + (unsigned long)r->addend;

		if (r->sym->sec == sec && area >= end && area < next)
			next = area;
	}
	for (size_t i = 0; i < sec->nr_relocs; i++)
		if (sec->relocs[i].offset >= end && sec->relocs[i].offset < next)
			return 0;
	for (unsigned long at = end, len; at < next; at += len) {
		len = filler_insn(sec->bytes + at, next - at);
		if (!len)
			return 0;
	}
	return next - end;
}

static bool already_replaced(const struct patch *patch, const struct unit *unit,
			     const char *pre_name)
{
	for (size_t i = 0; i < patch->nr_funcs; i++)
		if (patch->funcs[i].object == unit->name && !strcmp(patch->funcs[i].name, pre_name))
			return true;
	return false;
}

static int add_function(struct patch *patch, struct unit *unit, const char *pre_name,
			const struct fingerprint *post_fp, const char *reads);

/* The fingerprinted function CALLER is, or is the .cold part of; NULL if none. */
static const struct fingerprint *caller_function(const struct unit *unit,
						 const struct symbol *caller)
{
	const char *cold = strstr(caller->name, ".cold");
	char parent[256];

	if (!cold)
		return fingerprint_find(&unit->post_fp, caller->name);
	if ((size_t)(cold - caller->name) >= sizeof(parent))
		return NULL;
	memcpy(parent, caller->name, cold - caller->name);
	parent[cold - caller->name] = 0;
	return fingerprint_find(&unit->post_fp, parent);
}

/*
 * PRE, a changed function too short for the jump even with the filler
 * after it: replace every function that calls it instead, so that the
 * new calls reach its new copy, and leave it as it is; a task already in
 * it finishes there.  Only when it is static (no other object can call
 * it) and no code or data of the post build takes its address: a pointer
 * to it would keep the old code.  Why not, in *WHY_NOT.
 */
static int redirect_callers(struct patch *patch, struct unit *unit, const struct symbol *pre,
			    const struct symbol *post, const char **why_not)
{
	static char why[256];
	size_t nr_callers = 0;

	if (pre->bind != STB_LOCAL) {
		*why_not = "; it is global, and other objects may call it";
		return 1;
	}
	for (size_t s = 0; s < unit->post.nr_secs; s++) {
		const struct section *sec = &unit->post.secs[s];

		if (!section_is_alloc(sec) || section_lists_sites(sec->name))
			continue;
		for (size_t i = 0; i < sec->nr_relocs; i++) {
			const struct symbol *caller;
			long delta;

			if (reloc_target(unit, &sec->relocs[i], &delta) != post)
				continue;
			caller = section_symbol_at(&unit->post, sec, (long)sec->relocs[i].offset);
			if (!section_is_text(sec) || takes_address(sec, &sec->relocs[i]) || !caller) {
				snprintf(why, sizeof(why), ", and %s takes its address",
					 caller ? caller->name : sec->name);
				*why_not = why;
				return 1;
			}
			if (caller != post)
				nr_callers++;
		}
	}
	if (!nr_callers) {
		*why_not = ", and nothing of the fix calls it";
		return 1;
	}
	found("redirect", pre->name, unit->name, "%lu bytes long, too short to hold a jump; "
	      "the functions that call it are replaced instead",
	      (unsigned long)pre->sym.st_size);
	for (size_t s = 0; s < unit->post.nr_secs; s++) {
		const struct section *sec = &unit->post.secs[s];

		if (!section_is_text(sec))
			continue;
		for (size_t i = 0; i < sec->nr_relocs; i++) {
			const struct symbol *caller;
			const struct fingerprint *caller_fp, *caller_pre;
			bool ambiguous;
			long delta;

			if (reloc_target(unit, &sec->relocs[i], &delta) != post)
				continue;
			caller = section_symbol_at(&unit->post, sec, (long)sec->relocs[i].offset);
			if (caller == post)
				continue;
			caller_fp = caller_function(unit, caller);
			if (!caller_fp)
				return refuse("%s: %s is too short to hold a jump, and %s, which "
					      "calls it, is no function patchgen can replace",
					      unit->name, pre->name, caller->name);
			caller_pre = pre_function_of(unit, caller_fp, &ambiguous);
			if (!caller_pre || already_replaced(patch, unit, caller_pre->name))
				continue;	/* new code: it calls the copy anyway */
			if (add_function(patch, unit, caller_pre->name, caller_fp, NULL))
				return -1;
			snprintf(why, sizeof(why), "it calls %s, which is too short to hold a jump",
				 pre->name);
			patch->funcs[patch->nr_funcs - 1].calls_short = pre->name;
			patch->funcs[patch->nr_funcs - 1].why = xstrdup(why);
		}
	}
	return 0;
}

/* Replace PRE_NAME, the running copy, with the post build's POST_FP. */
static int add_function(struct patch *patch, struct unit *unit, const char *pre_name,
			const struct fingerprint *post_fp, const char *reads)
{
	const char *name = post_fp->name;
	struct symbol *post = object_func(&unit->post, name);
	struct symbol *pre = object_func(&unit->pre, pre_name);
	struct anchor anchor = { 0 };
	struct func_out *f;
	unsigned long size, skip, filler, jsize;
	const char *site;

	if (!post || !pre)
		return error("%s: fingerprinted function %s has no symbol", unit->name, name);
	if (section_is_init(pre->sec) || section_is_init(post->sec))
		return refuse("%s: %s is __init/__exit code, which cannot be patched live",
			      unit->name, name);
	if (!pre->sec->bytes)
		return error("%s: %s has no code in the pre object", unit->name, name);
	if (already_replaced(patch, unit, pre_name))
		return 0;	/* a caller of a short function, replaced already */
	size = pre->sym.st_size;
	skip = jump_offset(unit, pre);
	jsize = jump_size(unit);
	filler = size < skip + jsize ? alignment_filler(&unit->pre, pre) : 0;
	if (size < skip + jsize && size + filler >= skip + jsize) {
		found("note", name, unit->name, "%lu bytes long; the jump also takes the %lu "
		      "bytes of alignment filler after it", size, filler);
		size += filler;
	}
	if (size < skip + jsize) {
		const char *why_not = "";
		int redirected = redirect_callers(patch, unit, pre, post, &why_not);

		if (redirected <= 0)
			return redirected;
		if (size <= skip)
			return refuse("%s: %s is %lu bytes long, too short to hold a jump%s%s",
				      unit->name, name, size, skip ? " after its entry" : "",
				      why_not);
		found("trap", name, unit->name, "%lu bytes long, too short to hold a jump%s%s: "
		      "its entry takes a one-byte trap that sends every call to the new copy",
		      size, skip ? " after its entry" : "", why_not);
	}
	site = special_runtime_site(&unit->pre, pre->sec, pre->sym.st_value + skip,
				    size < skip + jsize ? 1 : jsize);
	if (site)
		return refuse("%s: %s starts with %s, which the kernel rewrites at run time: "
			      "no room for the jump", unit->name, name, site);
	if (unit_symbol_count(unit, pre_name) > 1 && !find_anchor(unit, pre, &anchor))
		return refuse("%s: %s has %d functions named %s, and no symbol of the "
			      "object tells which is its", unit->name, where(unit),
			      unit_symbol_count(unit, pre_name), pre_name);
	if (copy_section(patch, unit, post->sec))
		return -1;

	patch->funcs = xrealloc(patch->funcs, (patch->nr_funcs + 1) * sizeof(*patch->funcs));
	f = &patch->funcs[patch->nr_funcs++];
	*f = (struct func_out){
		.name = xstrdup(pre_name),
		.object = unit->name,
		.module = unit->module,
		.anchor = anchor,
		.section = post->sec->out,
		.offset = post->sym.st_value,
		.size = post->sym.st_size,
		.pre_size = size,
		.jump_offset = skip,
		.pre_bytes = xcalloc(size, 1),
		.pre_mask = xcalloc(size, 1),
		.post_fp = post_fp,
		.reads = reads,
		.why = "its code changed",
	};
	add_cold_part(f, unit, pre_name);
	memcpy(f->pre_bytes, pre->sec->bytes + pre->sym.st_value, size);
	mask_relocs(pre->sec, pre->sym.st_value, size, f->pre_mask);
	special_mask_patch_sites(&unit->pre, pre->sec, pre->sym.st_value, size, f->pre_mask);
	/*
	 * With IBT the kernel seals (turns into a nop) the endbr64 of a
	 * function whose address is never taken.
	 */
	if (skip >= sizeof(endbr64) && !memcmp(f->pre_bytes, endbr64, sizeof(endbr64)))
		memset(f->pre_mask, 1, sizeof(endbr64));
	return 0;
}

int extract_unit(struct patch *patch, struct unit *unit)
{
	size_t before = patch->nr_funcs;
	bool added = true, hooks;

	if (compare_unit_builds(unit) || compare_unit_types(unit) || compare_unit_data(unit) ||
	    check_changed_readonly(unit))
		return -1;
	for (size_t i = 0; i < unit->post_fp.nr_fns; i++) {
		const struct fingerprint *post = &unit->post_fp.fns[i];
		const char *reads;
		bool ambiguous;
		const struct fingerprint *pre = pre_function_of(unit, post, &ambiguous);

		if (ambiguous)
			return refuse("%s: GCC renumbered the %s clones of %s and they cannot be "
				      "told apart between the builds", unit->name,
				      post->clone_kind, post->origin);
		if (!pre)
			continue;
		reads = same_code(pre, post) ? changed_readonly_data(unit, post->name) : NULL;
		if (same_code(pre, post) && !reads)
			continue;
		if (add_function(patch, unit, pre->name, post, reads))
			return -1;
	}
	if (carry_hooks(patch, unit, &hooks))
		return -1;
	if (patch->nr_funcs == before && !hooks)
		return 0;
	/* Carried entries can pull in more code, which can carry entries. */
	while (added)
		if (special_carry(patch, unit, &added))
			return -1;
	return 0;
}

/*
 * The fix's new functions and data, as far as the patch carries them: a
 * named post symbol whose section was copied and that the pre object
 * does not have. (A new function nothing calls is not carried.)
 */
void print_new_symbols(const struct unit *units, size_t nr_units)
{
	for (size_t u = 0; u < nr_units; u++) {
		const struct unit *unit = &units[u];

		for (size_t i = 0; i < unit->post.nr_syms; i++) {
			const struct symbol *sym = &unit->post.syms[i];

			if (!sym->sec || sym->sec->out < 0 || !*sym->name ||
			    (sym->type != STT_FUNC && sym->type != STT_OBJECT) ||
			    object_symbol(&unit->pre, sym->name))
				continue;
			found("new", sym->name, unit->name, "%s",
			      sym->type == STT_FUNC ? "function" : "data");
		}
	}
}

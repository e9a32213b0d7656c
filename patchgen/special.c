// SPDX-License-Identifier: GPL-2.0
/*
 * Special sections: tables whose entries describe instructions of some
 * function (x86-64 and arm64; Linux 6.1 and 6.12 layouts). For the patch, entries that
 * belong to copied code are carried along when the module loader needs
 * them to run the code correctly (refused when an entry needs a symbol
 * the loader cannot link), dropped when the unpatched instruction is
 * already correct. For the run-pre check, the instructions the kernel
 * rewrites at boot are masked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel_symbols.h"
#include "ksplice_patch.h"
#include "patch.h"

enum special_action { CARRY, DROP };

struct special_table {
	const char *name;
	size_t entsize;		/* 0: derived, from code_refs */
	unsigned int code_refs;	/* code references in each entry, when derived */
	/* The byte holding the site length: from the entry's end if negative; 0: none. */
	int len_at;
	unsigned int len;	/* site length when fixed */
	enum special_action action;
	/* The kernel rewrites the site after boot: what it is, or NULL. */
	const char *runtime_site;
	/*
	 * What an entry is, when the module loader reads its references as
	 * the patch module loads: those must be exported symbols or the
	 * patch's own, not ksplice relocations, which come later.
	 */
	const char *loader_reads;
	/*
	 * A table of the same number of entries, without references, whose
	 * entry i describes this table's entry i: carried in step with it.
	 */
	const char *companion;
	/* name is the prefix of one table per symbol: name, then the symbol's. */
	bool per_symbol;
	/*
	 * Each site gets the symbol's value, by this ksplice relocation type
	 * (in arm64 objects value_reloc_arm64, into each instruction).
	 */
	int value_reloc;
	int value_reloc_arm64;
	/* Only in objects of this machine (EM_*); 0: any. */
	unsigned int machine;
	/* The length of its sites in arm64 objects, where not len. */
	unsigned long len_arm64;
	/* Its sites are ftrace's, which the jump goes past. */
	bool ftrace;
	/*
	 * An entry's reference may be to a function elsewhere rather than
	 * code: arm64's ALTERNATIVE_CB names the callback that writes the
	 * site (alt_cb_patch_nops, exported for modules) where others name
	 * the replacement.
	 */
	bool callbacks;
};

static const struct special_table tables[] = {
	{ .name = "__ex_table", .entsize = 12, .action = CARRY },
	/* One code reference; 8 or 12 bytes by config. */
	{ .name = "__bug_table", .code_refs = 1, .action = CARRY },
	/*
	 * The site and its replacement; 12 bytes on 6.1, 14 on 6.12 (flags
	 * joined cpuid), and instrlen always the last byte but one.
	 */
	{ .name = ".altinstructions", .code_refs = 2, .len_at = -2, .action = CARRY,
	  .loader_reads = "an alternative", .callbacks = true },
	{ .name = ".smp_locks", .entsize = 4, .len = 1, .action = CARRY },
	{ .name = "__jump_table", .entsize = 16, .len = 5, .action = CARRY,
	  .runtime_site = "a jump label", .loader_reads = "a jump label",
	  .len_arm64 = 4 },	/* a NOP or B */
	{ .name = ".static_call_sites", .entsize = 8, .len = 5, .action = DROP,
	  .runtime_site = "a static call" },
	/*
	 * Carried so that the loader rewrites the new code's thunk calls and
	 * returns as the kernel's were at boot: a return left jumping to
	 * __x86_return_thunk is a bare ret, without the return mitigation
	 * (retbleed, SRSO) the CPU may need. Objects have these tables when
	 * objtool runs per object; with IBT it runs on vmlinux.o and on the
	 * linked patch module instead, and writes them there. Likewise the
	 * calls of 6.12's call-depth tracking (.call_sites): the loader sends
	 * each to its callee's accounting thunk, or the depth count drifts.
	 */
	{ .name = ".retpoline_sites", .entsize = 4, .len = 6, .action = CARRY },
	{ .name = ".return_sites", .entsize = 4, .len = 5, .action = CARRY },
	{ .name = ".call_sites", .entsize = 4, .len = 5, .action = CARRY },
	{ .name = ".ibt_endbr_seal", .entsize = 4, .len = 4, .action = DROP },
	{ .name = ".parainstructions", .entsize = 16, .len_at = 9, .action = DROP },
	{ .name = "__mcount_loc", .entsize = 8, .len = 5, .action = CARRY,
	  .runtime_site = "an ftrace call site", .ftrace = true },
	/*
	 * arm64's ftrace: two NOPs at each function's entry, which ftrace
	 * makes "mov x9, x30" and a call to its trampoline; the loader
	 * hands the module's to ftrace. (x86 objects have the table for
	 * the padding before each function instead, which is no site.)
	 */
	{ .name = "__patchable_function_entries", .entsize = 8, .len = 8, .action = CARRY,
	  .runtime_site = "an ftrace call site", .machine = EM_AARCH64, .ftrace = true },
	/*
	 * ORC: where each unwind state starts, and the state (6 bytes on 6.1
	 * and 6.12). Per object only when objtool runs per object (no IBT):
	 * then nothing writes ORC for the new code but this, and an unwind
	 * through it (a backtrace, livepatch's reliable stack check) stops
	 * there. With -ffunction-sections each function's entries start at
	 * its offset 0 and end with a terminator at its end.
	 */
	{ .name = ".orc_unwind_ip", .entsize = 4, .action = CARRY, .companion = ".orc_unwind" },
	/*
	 * 6.12's runtime constants: runtime_const_ptr(sym) and
	 * runtime_const_shift_right_32(val, sym) are an instruction whose
	 * immediate (8 bytes; a 1-byte shift count) is a placeholder, listed
	 * in runtime_ptr_SYM or runtime_shift_SYM, which the kernel walks once
	 * at boot to write sym's value in. Nothing walks a module's: each
	 * copied site gets a ksplice relocation that writes the running sym's
	 * value there, and the pre build's sites are masked. On arm64 the
	 * site is instructions: a MOVZ and three MOVKs of 16 bits each, or an
	 * LSR's 6-bit shift, each instruction its own relocation.
	 */
	{ .name = "runtime_ptr_", .per_symbol = true, .entsize = 4, .len = 8,
	  .action = DROP, .value_reloc = KSPLICE_RELOC_VALUE64,
	  .len_arm64 = 16, .value_reloc_arm64 = KSPLICE_RELOC_ARM64_VALUE_MOVW },
	{ .name = "runtime_shift_", .per_symbol = true, .entsize = 4, .len = 1,
	  .action = DROP, .value_reloc = KSPLICE_RELOC_VALUE8,
	  .len_arm64 = 4, .value_reloc_arm64 = KSPLICE_RELOC_ARM64_VALUE_LSR },
};

/* Calls fn for each section of OBJ that is table TAB. */
static int each_table(const struct object *obj, const struct special_table *tab,
		      int (*fn)(const struct special_table *tab, struct section *table, void *arg),
		      void *arg)
{
	size_t prefix = strlen(tab->name);

	if (tab->machine && tab->machine != obj->machine)
		return 0;
	if (!tab->per_symbol) {
		struct section *table = object_section(obj, tab->name);

		return table && table->bytes ? fn(tab, table, arg) : 0;
	}
	for (size_t i = 1; i < obj->nr_secs; i++) {
		struct section *table = &obj->secs[i];

		if (table->name && table->bytes && !strncmp(table->name, tab->name, prefix) &&
		    table->name[prefix] && fn(tab, table, arg))
			return -1;
	}
	return 0;
}

/* Where an entry's first field points: a code address as section + offset. */
static bool entry_target(const struct section *table, size_t entry_off,
			 struct section **sec, unsigned long *off)
{
	const struct reloc *r = section_reloc_at(table, entry_off);

	if (!r || !r->sym->sec)
		return false;
	*sec = r->sym->sec;
	*off = r->addend + (r->sym->type == STT_SECTION ? 0 : r->sym->sym.st_value);
	return true;
}

static bool is_code_ref(const struct reloc *r)
{
	return r->sym->sec && section_is_text(r->sym->sec);
}

static bool is_entry_ref(const struct special_table *t, const struct reloc *r)
{
	return is_code_ref(r) || (t->callbacks && r->sym->sym.st_shndx == SHN_UNDEF &&
				  r->sym->name && *r->sym->name);
}

/*
 * A derived entry size is checked: every entry must hold exactly
 * code_refs code references, or the layout is not the one assumed.
 */
static size_t table_entsize(const struct special_table *t, const struct section *sec)
{
	size_t code_refs = 0, entries, entsize, *refs_in;
	bool fits = true;

	if (t->entsize)
		return t->entsize;
	for (size_t i = 0; i < sec->nr_relocs; i++)
		code_refs += is_entry_ref(t, &sec->relocs[i]);
	if (!code_refs || code_refs % t->code_refs)
		return 0;
	entries = code_refs / t->code_refs;
	if (sec->sh.sh_size % entries)
		return 0;
	entsize = sec->sh.sh_size / entries;
	refs_in = xcalloc(entries, sizeof(*refs_in));
	for (size_t i = 0; i < sec->nr_relocs; i++)
		if (is_entry_ref(t, &sec->relocs[i]) && sec->relocs[i].offset < sec->sh.sh_size)
			refs_in[sec->relocs[i].offset / entsize]++;
	for (size_t e = 0; e < entries; e++)
		fits = fits && refs_in[e] == t->code_refs;
	free(refs_in);
	return fits ? entsize : 0;
}

static unsigned long site_len(const struct special_table *t, const struct section *table,
			      size_t entry_off, size_t entsize, unsigned int machine)
{
	if (machine == EM_AARCH64 && t->len_arm64)
		return t->len_arm64;
	if (!t->len_at)
		return t->len;
	return table->bytes[entry_off + (t->len_at > 0 ? (size_t)t->len_at : entsize + t->len_at)];
}

struct site_walk {
	unsigned int machine;
	const struct section *sec;
	unsigned long start, size;
	void (*fn)(const struct special_table *tab, unsigned long off, unsigned long len,
		   void *arg);
	void *arg;
};

static int table_sites(const struct special_table *tab, struct section *table, void *arg)
{
	const struct site_walk *w = arg;
	size_t entsize = table_entsize(tab, table);

	for (size_t e = 0; entsize && e + entsize <= table->sh.sh_size; e += entsize) {
		struct section *target;
		unsigned long off, len;

		if (!entry_target(table, e, &target, &off) || target != w->sec)
			continue;
		len = site_len(tab, table, e, entsize, w->machine);
		if (off < w->start + w->size && off + len > w->start)
			w->fn(tab, off, len, w->arg);
	}
	return 0;
}

/*
 * Calls fn for each patch site in SEC that overlaps [start, start + size):
 * its table, and the site's bytes as an offset and length.
 */
static void each_site(const struct object *obj, const struct section *sec,
		      unsigned long start, unsigned long size,
		      void (*fn)(const struct special_table *tab, unsigned long off,
				 unsigned long len, void *arg),
		      void *arg)
{
	struct site_walk w = { obj->machine, sec, start, size, fn, arg };

	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		if (tables[t].len || tables[t].len_at)
			each_table(obj, &tables[t], table_sites, &w);
}

struct mask_arg {
	unsigned long start, size;
	unsigned char *mask;
};

static void mask_site(const struct special_table *tab, unsigned long off, unsigned long len,
		      void *arg)
{
	struct mask_arg *m = arg;

	(void)tab;
	for (unsigned long b = off; b < off + len; b++)
		if (b >= m->start && b < m->start + m->size)
			m->mask[b - m->start] = 1;
}

/*
 * Calls and jumps the kernel rewrites at boot by their target: return
 * thunks, retpolines and static-call trampolines. Their tables come from
 * objtool, which on some configurations (X86_KERNEL_IBT, LTO) runs on
 * vmlinux.o only, so the object has the call but not the table.
 */
static bool boot_rewritten_target(const char *name)
{
	return !strcmp(name, "__x86_return_thunk") || !strncmp(name, "__x86_indirect_", 15) ||
	       !strncmp(name, "__SCT__", 7);
}

/* How far before its rel32 such an instruction may start: a cs prefix, or jcc's two bytes. */
#define THUNK_INSN_PREFIX 2

#define CALL_PADDING 16

/* Whether a function of SEC starts at OFF, after CALL_PADDING bytes of NOPs or int3. */
static bool padded_function_at(const struct object *obj, const struct section *sec,
			       unsigned long off)
{
	bool found = false;

	if (off < CALL_PADDING || off >= sec->sh.sh_size)
		return false;
	for (unsigned long b = off - CALL_PADDING; b < off; b++)
		if (sec->bytes[b] != 0x90 && sec->bytes[b] != 0xcc)
			return false;
	for (size_t i = 1; i < obj->nr_syms && !found; i++)
		found = obj->syms[i].sec == sec && obj->syms[i].type == STT_FUNC &&
			obj->syms[i].sym.st_value == off;
	return found;
}

/*
 * With call-depth tracking (6.2 and later) the kernel sends each direct
 * call to an accounting thunk in the padding before its callee, at boot.
 * A call within one section of the pre object has no relocation (the
 * assembler resolved it), and where objtool ran on vmlinux.o (IBT) no
 * .call_sites entry in the object either: a call whose target is a
 * padded function of the same section is masked.
 */
static void mask_thunked_calls(const struct section *sec, const struct object *obj,
			       struct mask_arg *m)
{
	for (unsigned long at = m->start; sec->bytes && at + 5 <= m->start + m->size; at++) {
		int32_t rel;
		long dest;

		if (sec->bytes[at] != 0xe8)
			continue;
		memcpy(&rel, sec->bytes + at + 1, sizeof(rel));
		dest = (long)at + 5 + rel;
		if (dest >= 0 && padded_function_at(obj, sec, (unsigned long)dest))
			mask_site(NULL, at + 1, 4, m);
	}
}

void special_mask_patch_sites(const struct object *obj, const struct section *sec,
			      unsigned long start, unsigned long size, unsigned char *mask)
{
	struct mask_arg m = { start, size, mask };

	each_site(obj, sec, start, size, mask_site, &m);
	mask_thunked_calls(sec, obj, &m);
	for (size_t i = 0; i < sec->nr_relocs; i++) {
		const struct reloc *r = &sec->relocs[i];
		unsigned long from = r->offset >= THUNK_INSN_PREFIX ? r->offset - THUNK_INSN_PREFIX : 0;

		if (r->sym->name && boot_rewritten_target(r->sym->name))
			mask_site(NULL, from, r->offset + 4 - from, &m);
	}
}

static void find_runtime_site(const struct special_table *tab, unsigned long off,
			      unsigned long len, void *arg)
{
	const char **what = arg;

	(void)off;
	(void)len;
	if (tab->runtime_site && !*what)
		*what = tab->runtime_site;
}

struct ftrace_arg {
	unsigned long at, len;
};

static void find_ftrace_site(const struct special_table *tab, unsigned long off,
			     unsigned long len, void *arg)
{
	struct ftrace_arg *f = arg;

	if (tab->ftrace && off == f->at)
		f->len = len;
}

/* The length of the ftrace call site that starts at AT in SEC, or 0. */
unsigned long special_ftrace_site_at(const struct object *obj, const struct section *sec,
				     unsigned long at)
{
	struct ftrace_arg f = { at, 0 };

	each_site(obj, sec, at, 1, find_ftrace_site, &f);
	return f.len;
}

/*
 * What the kernel may rewrite after boot within the first LEN bytes at
 * START (a jump label toggled, a static call retargeted, ftrace), or NULL.
 * The core's jump cannot go there: the next rewrite would expect its own
 * bytes, find ours, and stop the kernel.
 */
const char *special_runtime_site(const struct object *obj, const struct section *sec,
				 unsigned long start, unsigned long len)
{
	const char *what = NULL;

	each_site(obj, sec, start, len, find_runtime_site, &what);
	return what;
}

static int find_out_section(struct patch *patch, const struct section *like)
{
	for (size_t i = 0; i < patch->nr_secs; i++)
		if (!strcmp(patch->secs[i].name, like->name))
			return (int)i;
	return out_section_new(patch, like->name, &like->sh);
}

/* The function of the post object that holds a code address, for messages. */
static const char *function_at(const struct unit *unit, struct section *sec, unsigned long off)
{
	const struct symbol *sym = section_symbol_at(&unit->post, sec, (long)off);

	return sym ? sym->name : sec->name;
}

/* The key reference of the __jump_table entry at ENTRY_OFF (its third field). */
#define JUMP_ENTRY_KEY 8
#define JUMP_ENTRY_BRANCH 1	/* set in the key reference: the branch is taken by default */

static const struct reloc *jump_entry_key(const struct section *table, size_t entry_off)
{
	return section_reloc_at(table, entry_off + JUMP_ENTRY_KEY);
}

/*
 * A tracepoint's key that the module loader cannot link (vmlinux does not
 * export most): the entry is left out, so the copied site keeps the nop
 * it was compiled with, and that tracepoint stays off in the new code
 * while the patch is applied. A tracepoint only observes; refusing every
 * fix to a function that has one would refuse most fixes on a distro
 * kernel.
 */
static bool drop_tracepoint_site(struct unit *unit, const struct section *table, size_t e,
				 struct section *target, unsigned long off)
{
	static const char prefix[] = "__tracepoint_";
	const struct reloc *key = jump_entry_key(table, e);

	if (!key || !key->sym->name || strncmp(key->sym->name, prefix, sizeof(prefix) - 1) ||
	    kernel_symbol_exported(key->sym->name) || (key->addend & JUMP_ENTRY_BRANCH))
		return false;
	found("tracepoint", key->sym->name + sizeof(prefix) - 1, unit->name,
	      "stays off in %s while the patch is applied (vmlinux does not export its key)",
	      function_at(unit, target, off));
	return true;
}

/* The companion table of TABLE in the post object, and its entry size; 0 when it does not fit. */
static size_t companion_entsize(const struct unit *unit, const struct special_table *tab,
				const struct section *table, size_t entsize,
				const struct section **companion)
{
	size_t entries = table->sh.sh_size / entsize;

	*companion = object_section(&unit->post, tab->companion);
	if (!entries || !*companion || !(*companion)->bytes || (*companion)->nr_relocs ||
	    (*companion)->sh.sh_size % entries)
		return 0;
	return (*companion)->sh.sh_size / entries;
}

static int carry_table(struct patch *patch, struct unit *unit, const struct special_table *tab,
		       struct section *table, bool *added)
{
	size_t entsize = table_entsize(tab, table), companion_size = 0;
	const struct section *companion = NULL;
	char what[256];
	int out = -1, companion_out = -1;

	if (tab->entsize && table->sh.sh_size % entsize)
		return error("%s: cannot tell the entry size of %s (%zu bytes, not %zu-byte entries)",
			     unit->name, tab->name, (size_t)table->sh.sh_size, entsize);
	if (!entsize)
		return error("%s: cannot tell the entry size of %s (not every entry holds %u "
			     "code references: a layout patchgen does not know)",
			     unit->name, tab->name, tab->code_refs);
	if (tab->companion) {
		companion_size = companion_entsize(unit, tab, table, entsize, &companion);
		if (!companion_size)
			return error("%s: %s does not match %s (%zu bytes for %zu entries)",
				     unit->name, tab->companion, tab->name,
				     companion ? (size_t)companion->sh.sh_size : 0,
				     (size_t)table->sh.sh_size / entsize);
	}
	for (size_t e = 0; e + entsize <= table->sh.sh_size; e += entsize) {
		struct section *target;
		unsigned long off, at;

		if (!entry_target(table, e, &target, &off) || target->out < 0)
			continue;
		if (tab->action == DROP)
			continue;
		if (!table->carried)
			table->carried = xcalloc(table->sh.sh_size / entsize, 1);
		if (table->carried[e / entsize])
			continue;
		table->carried[e / entsize] = true;
		if (!strcmp(tab->name, "__jump_table") && drop_tracepoint_site(unit, table, e, target, off))
			continue;
		if (out < 0)
			out = find_out_section(patch, table);
		at = buf_pad(&patch->secs[out].bytes, table->sh.sh_addralign ?
			     table->sh.sh_addralign : 1);
		at = buf_append(&patch->secs[out].bytes, table->bytes + e, entsize);
		if (companion) {
			if (companion_out < 0)
				companion_out = find_out_section(patch, companion);
			buf_append(&patch->secs[companion_out].bytes,
				   companion->bytes + e / entsize * companion_size, companion_size);
		}
		if (tab->loader_reads) {
			snprintf(what, sizeof(what), "%s in %s", tab->loader_reads,
				 function_at(unit, target, off));
			patch->loader_reads = what;
		}
		for (size_t i = section_first_reloc(table, e);
		     i < table->nr_relocs && table->relocs[i].offset < e + entsize; i++) {
			const struct reloc *r = &table->relocs[i];

			if (link_reference(patch, unit, out, at + r->offset - e, r)) {
				patch->loader_reads = NULL;
				return -1;
			}
		}
		patch->loader_reads = NULL;
		*added = true;
	}
	return 0;
}

/* Each site of TABLE in copied code gets the running value of the table's symbol. */
static int link_values(struct patch *patch, struct unit *unit, const struct special_table *tab,
		       struct section *table)
{
	const char *name = table->name + strlen(tab->name);
	size_t entries = table->sh.sh_size / tab->entsize, linked = 0;
	const char *in = NULL;

	if (table->sh.sh_size % tab->entsize)
		return error("%s: cannot tell the entry size of %s (%zu bytes, not %zu-byte entries)",
			     unit->name, table->name, (size_t)table->sh.sh_size, tab->entsize);
	if (!table->carried)
		table->carried = xcalloc(entries ? entries : 1, 1);
	for (size_t e = 0; e < entries; e++) {
		struct section *target;
		unsigned long off;

		if (table->carried[e] || !entry_target(table, e * tab->entsize, &target, &off) ||
		    target->out < 0)
			continue;
		table->carried[e] = true;
		in = function_at(unit, target, off);
		if (unit->module)
			return refuse("%s: %s has a runtime constant (%s), which only vmlinux "
				      "code can have", unit->name, in, table->name);
		if (unit->post.machine == EM_AARCH64) {
			for (unsigned long at = 0; at < tab->len_arm64; at += 4)
				if (link_kernel_value(patch, unit, target->out, off + at, name,
						      tab->value_reloc_arm64))
					return -1;
		} else if (link_kernel_value(patch, unit, target->out, off, name,
					     tab->value_reloc)) {
			return -1;
		}
		linked++;
	}
	if (linked)
		found("link", name, unit->name, "%zu runtime constant site(s) of the new code "
		      "(in %s%s) get the running value", linked, in, linked > 1 ? ", ..." : "");
	return 0;
}

struct carry_arg {
	struct patch *patch;
	struct unit *unit;
	bool *added;
};

static int carry_one(const struct special_table *tab, struct section *table, void *arg)
{
	struct carry_arg *c = arg;

	if (tab->value_reloc)
		return link_values(c->patch, c->unit, tab, table);
	return carry_table(c->patch, c->unit, tab, table, c->added);
}

int special_carry(struct patch *patch, struct unit *unit, bool *added)
{
	struct carry_arg c = { patch, unit, added };

	*added = false;
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		if (each_table(&unit->post, &tables[t], carry_one, &c))
			return -1;
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Finding things in the running kernel through kallsyms.
 *
 * Since 5.7 kallsyms_lookup_name() is not exported.  User space (root)
 * reads its address from /proc/kallsyms and passes it as a module
 * parameter; we check it with the exported sprint_symbol() before calling
 * it, then resolve the rest of what the core needs by name.  Functions to
 * replace and symbols of ksplice relocations are looked up with
 * kallsyms_on_each_symbol(), which sees every same-named static symbol,
 * not just the first one.
 */
#include "ksplice_internal.h"

#include <linux/buildid.h>
#include <linux/elf.h>
#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/uaccess.h>

struct ksplice_kernel ksplice_kernel;

DEFINE_STATIC_CALL_NULL(ksplice_lookup_name, kallsyms_lookup_name);
DEFINE_STATIC_CALL_NULL(ksplice_stop_machine_cpuslocked,
			stop_machine_cpuslocked);
DEFINE_STATIC_CALL_NULL(ksplice_idle_task, idle_task);
DEFINE_STATIC_CALL_NULL(ksplice_task_call_func, task_call_func);

static unsigned long lookup_name(const char *name)
{
	return static_call(ksplice_lookup_name)(name);
}

/* Only an address that kallsyms itself calls kallsyms_lookup_name+0x0. */
static bool is_kallsyms_lookup_name(unsigned long addr)
{
	static const char want[] = "kallsyms_lookup_name+0x0/";
	char buf[KSYM_SYMBOL_LEN];

	sprint_symbol(buf, addr);
	return !strncmp(buf, want, sizeof(want) - 1);
}

/* Address of name in a loaded module ("module:name" to kallsyms), or 0. */
unsigned long ksplice_module_symbol(const char *module, const char *name)
{
	char full[MODULE_NAME_LEN + KSYM_NAME_LEN + 1];

	if (snprintf(full, sizeof(full), "%s:%s", module, name) >= sizeof(full))
		return 0;
	return lookup_name(full);
}

/*
 * Address of a kernel function the core calls (through a static call);
 * 0, with a message when required, if it is missing.
 */
unsigned long ksplice_kernel_func(const char *name, bool required)
{
	unsigned long addr = lookup_name(name);

	if (!addr && required)
		pr_err("kernel symbol %s not found\n", name);
	return addr;
}

/* Address of a kernel data symbol (CONFIG_KALLSYMS_ALL), or 0. */
unsigned long ksplice_kernel_data(const char *name)
{
	return lookup_name(name);
}

static unsigned long kernel_data(const char *name)
{
	unsigned long addr = ksplice_kernel_data(name);

	if (!addr)
		pr_err("kernel symbol %s not found (needs CONFIG_KALLSYMS_ALL)\n",
		       name);
	return addr;
}

int ksplice_symbols_init(unsigned long kallsyms_lookup_name_addr)
{
	unsigned long addr;

	if (!kallsyms_lookup_name_addr) {
		pr_err("kallsyms_lookup_name_addr= is required (its address in /proc/kallsyms)\n");
		return -EINVAL;
	}
	if (!is_kallsyms_lookup_name(kallsyms_lookup_name_addr)) {
		pr_err("kallsyms_lookup_name_addr=0x%lx is not kallsyms_lookup_name (%pS)\n",
		       kallsyms_lookup_name_addr,
		       (void *)kallsyms_lookup_name_addr);
		return -EINVAL;
	}
	static_call_update(ksplice_lookup_name,
			   (typeof(&kallsyms_lookup_name))kallsyms_lookup_name_addr);

	addr = ksplice_kernel_func("stop_machine_cpuslocked", true);
	if (!addr)
		return -ENOENT;
	static_call_update(ksplice_stop_machine_cpuslocked,
			   (typeof(&stop_machine_cpuslocked))addr);

	addr = ksplice_kernel_func("idle_task", true);
	if (!addr)
		return -ENOENT;
	static_call_update(ksplice_idle_task, (typeof(&idle_task))addr);

	/* Optional: without it every task is read in the stopped window. */
	addr = ksplice_kernel_func("task_call_func", false);
	if (addr)
		static_call_update(ksplice_task_call_func,
				   (typeof(&task_call_func))addr);

	addr = kernel_data("text_mutex");
	if (!addr)
		return -ENOENT;
	ksplice_kernel.text_mutex = (struct mutex *)addr;

	if (ksplice_kernel_init())
		return -ENOENT;
	ksplice_reserved_init();
	return ksplice_arch_init();
}

/* Where the running code first differs from the pre build's. */
struct ksplice_mismatch {
	unsigned long off;
	u8 running, pre;
	bool unreadable;
};

/*
 * Run-pre check: does the running code at addr equal the pre build's,
 * ignoring the bytes that legitimately differ at run time? If not, says
 * where, so that the refusal can name the byte.
 */
static bool running_code_matches(const struct ksplice_func *func,
				 unsigned long addr,
				 struct ksplice_mismatch *where)
{
	unsigned long site, off, len, i, at;
	unsigned int site_size = 0;
	const u8 *original;
	u8 buf[64];

	/* Under another patch's jump: the bytes it replaced. */
	original = ksplice_original_entry(func, addr, &site, &site_size);
	for (off = 0; off < func->pre_size; off += len) {
		len = min_t(unsigned long, sizeof(buf), func->pre_size - off);
		if (copy_from_kernel_nofault(buf, (void *)(addr + off), len)) {
			*where = (struct ksplice_mismatch){ .off = off, .unreadable = true };
			return false;
		}
		for (i = 0; i < len; i++) {
			at = addr + off + i;
			if (original && at - site < site_size)
				buf[i] = original[at - site];
			if (func->pre_mask && func->pre_mask[off + i])
				continue;
			if (buf[i] == func->pre_bytes[off + i])
				continue;
			*where = (struct ksplice_mismatch){ .off = off + i, .running = buf[i],
							    .pre = func->pre_bytes[off + i] };
			return false;
		}
	}
	return true;
}

static void set_mismatch_cause(struct ksplice_priv *priv,
			       const struct ksplice_func *func,
			       const struct ksplice_mismatch *where)
{
	if (where->unreadable)
		ksplice_set_cause(priv, KSPLICE_ABORT_CODE_MISMATCH,
				  "%s (%s): +%#lx is unreadable", func->name,
				  ksplice_func_object(func), where->off);
	else
		ksplice_set_cause(priv, KSPLICE_ABORT_CODE_MISMATCH,
				  "%s (%s): +%#lx is %02x, the pre build has %02x",
				  func->name, ksplice_func_object(func), where->off,
				  where->running, where->pre);
}

struct find_func_ctx {
	const struct ksplice_func *func;
	unsigned int named;		/* symbols with the function's name */
	unsigned int matched;		/* ... whose running code matches */
	unsigned long addr;		/* the last match */
	struct ksplice_mismatch first;	/* where the first named one differs */
};

static int find_func_cb(void *data, const char *name, unsigned long addr)
{
	struct find_func_ctx *ctx = data;
	struct ksplice_mismatch where;

	if (strcmp(name, ctx->func->name))
		return 0;
	if (running_code_matches(ctx->func, addr, &where)) {
		ctx->matched++;
		ctx->addr = addr;
	} else if (ctx->named == ctx->matched) {
		ctx->first = where;
	}
	ctx->named++;
	return 0;
}

/* The one running copy of func; sets the abort cause otherwise. */
int ksplice_find_func(struct ksplice_priv *priv,
		      const struct ksplice_func *func, unsigned long *addr)
{
	struct find_func_ctx ctx = { .func = func };
	int ret;

	if (func->anchor || func->module) {
		if (func->anchor)
			ret = ksplice_resolve_anchored(priv, func->module,
						       func->name, func->anchor,
						       func->anchor_offset, addr);
		else
			ret = ksplice_resolve_symbol(priv, func->module,
						     func->name, addr);
		if (ret)
			return ret;
		if (!running_code_matches(func, *addr, &ctx.first)) {
			set_mismatch_cause(priv, func, &ctx.first);
			return -EINVAL;
		}
		return 0;
	}

	ksplice_kernel_each_symbol(find_func_cb, &ctx);
	if (!ctx.named) {
		ksplice_set_cause(priv, KSPLICE_ABORT_NOT_FOUND, "%s", func->name);
		return -ENOENT;
	}
	if (!ctx.matched) {
		set_mismatch_cause(priv, func, &ctx.first);
		return -EINVAL;
	}
	if (ctx.matched > 1) {
		ksplice_set_cause(priv, KSPLICE_ABORT_AMBIGUOUS, "%s (%u candidates)",
				  func->name, ctx.matched);
		return -EINVAL;
	}
	*addr = ctx.addr;
	return 0;
}

struct resolve_ctx {
	const char *name;
	unsigned int hits;
	bool differ;			/* hits at more than one address */
	unsigned long addr;		/* the first hit */
};

static int resolve_cb(void *data, const char *name, unsigned long addr)
{
	struct resolve_ctx *ctx = data;

	if (strcmp(name, ctx->name))
		return 0;
	if (!ctx->hits++)
		ctx->addr = addr;
	else if (addr != ctx->addr)
		ctx->differ = true;
	return 0;
}

/*
 * Address of a symbol named by a ksplice relocation.  Aliases at one
 * address are fine; same-named symbols at different addresses are not,
 * since nothing here could tell which one the new code means.  In a
 * module (patchgen checked the name is unique there) kallsyms finds it.
 */
int ksplice_resolve_symbol(struct ksplice_priv *priv, const char *module,
			   const char *name, unsigned long *addr)
{
	struct resolve_ctx ctx = { .name = name };

	if (module) {
		*addr = ksplice_module_symbol(module, name);
		if (!*addr) {
			ksplice_set_cause(priv, KSPLICE_ABORT_NOT_FOUND, "%s:%s", module,
					  name);
			return -ENOENT;
		}
		return 0;
	}

	ksplice_kernel_each_symbol(resolve_cb, &ctx);
	if (!ctx.hits) {
		ksplice_set_cause(priv, KSPLICE_ABORT_NOT_FOUND, "%s", name);
		return -ENOENT;
	}
	if (ctx.differ) {
		ksplice_set_cause(priv, KSPLICE_ABORT_AMBIGUOUS, "%s (%u candidates)", name,
				  ctx.hits);
		return -EINVAL;
	}
	*addr = ctx.addr;
	return 0;
}

/*
 * Address of name, a static that several objects define, from a symbol of
 * its own object that only that object has.  kallsyms must agree that
 * name starts there, or the layout is not the one patchgen read.
 */
int ksplice_resolve_anchored(struct ksplice_priv *priv, const char *module,
			     const char *name, const char *anchor, long offset,
			     unsigned long *addr)
{
	char buf[KSYM_SYMBOL_LEN];
	size_t len = strlen(name);
	unsigned long base;
	int ret;

	ret = ksplice_resolve_symbol(priv, module, anchor, &base);
	if (ret)
		return ret;
	sprint_symbol(buf, base + offset);
	if (strncmp(buf, name, len) || strncmp(buf + len, "+0x0/", 5)) {
		ksplice_set_cause(priv, KSPLICE_ABORT_NOT_FOUND, "%s (at %s%+ld: %s)", name,
				  anchor, offset, buf);
		return -ENOENT;
	}
	*addr = base + offset;
	return 0;
}

/* The ELF note type of a GNU build id (no kernel header names it in 6.1). */
#define KSPLICE_NT_GNU_BUILD_ID	3

/*
 * The running vmlinux's GNU build id, in hex, from its notes section
 * (__start_notes.. __stop_notes); false if there is none.
 */
static bool running_build_id(char *hex, size_t size)
{
	const struct elf64_note *note;
	unsigned long start = lookup_name("__start_notes");
	unsigned long end = lookup_name("__stop_notes");
	unsigned long at;

	for (at = start; start && at + sizeof(*note) <= end;) {
		const u8 *desc;

		note = (const struct elf64_note *)at;
		desc = (const u8 *)(note + 1) + ALIGN(note->n_namesz, 4);
		if (note->n_type == KSPLICE_NT_GNU_BUILD_ID && note->n_namesz == 4 &&
		    !memcmp(note + 1, "GNU", 4) && 2 * note->n_descsz < size &&
		    (unsigned long)desc + note->n_descsz <= end) {
			bin2hex(hex, desc, note->n_descsz);
			hex[2 * note->n_descsz] = '\0';
			return true;
		}
		at = (unsigned long)desc + ALIGN(note->n_descsz, 4);
	}
	return false;
}

/*
 * The same release can be another build (another config, compiler or
 * source): a patch carries its vmlinux's build id, and another one is
 * refused.
 */
int ksplice_check_build_id(const struct ksplice_patch *patch)
{
	char running[2 * BUILD_ID_SIZE_MAX + 1];

	if (!patch->target_build_id)
		return 0;
	if (!running_build_id(running, sizeof(running))) {
		pr_err("%s: built for kernel build %s, and this kernel has no build id\n",
		       patch->id, patch->target_build_id);
		return -EINVAL;
	}
	if (strcmp(patch->target_build_id, running)) {
		pr_err("%s: built for kernel build %s, running %s\n", patch->id,
		       patch->target_build_id, running);
		return -EINVAL;
	}
	return 0;
}

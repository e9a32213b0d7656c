// SPDX-License-Identifier: GPL-2.0
/*
 * Everything in the ksplice core that differs between the kernel versions
 * it targets, 6.1 and 6.12: the kallsyms iterator's signature (6.2 dropped
 * its module argument) and the module memory layout (6.4 replaced
 * core_layout with one region per kind of memory).  The rest of the core
 * is the same source on both; keep version tests here, not there.
 */
#include "ksplice_internal.h"

#include <linux/module.h>

/*
 * kmod/Kbuild defines these from the target's headers:
 * KSPLICE_KALLSYMS_EACH_MODULE  the iterator passes a module (before 6.2)
 * KSPLICE_MODULE_MEMORY         struct module has mem[] (6.4 and later)
 */

#ifdef KSPLICE_KALLSYMS_EACH_MODULE
typedef int (*kallsyms_each_fn)(void *data, const char *name,
				struct module *mod, unsigned long addr);
#else
typedef int (*kallsyms_each_fn)(void *data, const char *name,
				unsigned long addr);
#endif

static int (*kallsyms_each)(kallsyms_each_fn fn, void *data);

int ksplice_kernel_init(void)
{
	unsigned long addr = ksplice_kernel_func("kallsyms_on_each_symbol", true);

	if (!addr)
		return -ENOENT;
	kallsyms_each = (void *)addr;
	return 0;
}

struct each_symbol_ctx {
	ksplice_symbol_fn fn;
	void *data;
};

#ifdef KSPLICE_KALLSYMS_EACH_MODULE
static int each_symbol_adapter(void *data, const char *name,
			       struct module *mod, unsigned long addr)
#else
static int each_symbol_adapter(void *data, const char *name,
			       unsigned long addr)
#endif
{
	struct each_symbol_ctx *ctx = data;

	return ctx->fn(ctx->data, name, addr);
}

/* Calls fn for every vmlinux symbol (not modules); stops on nonzero. */
int ksplice_kernel_each_symbol(ksplice_symbol_fn fn, void *data)
{
	struct each_symbol_ctx ctx = { .fn = fn, .data = data };

	return kallsyms_each(each_symbol_adapter, &ctx);
}

/* Where a module's core (not init) text lies. */
void ksplice_kernel_module_text(const struct module *mod,
				unsigned long *start, unsigned long *end)
{
#ifdef KSPLICE_MODULE_MEMORY
	*start = (unsigned long)mod->mem[MOD_TEXT].base;
	*end = *start + mod->mem[MOD_TEXT].size;
#else
	*start = (unsigned long)mod->core_layout.base;
	*end = *start + mod->core_layout.text_size;
#endif
}

/* Does [addr, addr + size) lie inside the module's core memory? */
bool ksplice_kernel_in_module_core(const struct module *mod,
				   unsigned long addr, unsigned long size)
{
#ifdef KSPLICE_MODULE_MEMORY
	enum mod_mem_type type;

	for_each_mod_mem_type(type) {
		unsigned long start = (unsigned long)mod->mem[type].base;

		if (mod_mem_type_is_init(type))
			continue;
		if (addr >= start && addr + size <= start + mod->mem[type].size)
			return true;
	}
	return false;
#else
	unsigned long start = (unsigned long)mod->core_layout.base;

	return addr >= start && addr + size <= start + mod->core_layout.size;
#endif
}

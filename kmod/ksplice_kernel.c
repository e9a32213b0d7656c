// SPDX-License-Identifier: GPL-2.0
/*
 * Everything in the ksplice core that differs between the kernel versions
 * it targets, 6.1 and 6.12: the kallsyms iterator's signature (6.2 dropped
 * its module argument), the module memory layout (6.4 replaced
 * core_layout with one region per kind of memory) and the function-graph
 * tracer's return stack (6.9 made it an array of words).  The rest of the
 * core is the same source on both; keep version tests here, not there.
 */
#include "ksplice_internal.h"

#include <linux/ftrace.h>
#include <linux/kprobes.h>
#include <linux/llist.h>
#include <linux/module.h>
#include <linux/rethook.h>
#include <linux/sched.h>

/*
 * kmod/Kbuild defines these from the target's headers:
 * KSPLICE_KALLSYMS_EACH_MODULE  the iterator passes a module (before 6.2)
 * KSPLICE_MODULE_MEMORY         struct module has mem[] (6.4 and later)
 * KSPLICE_FGRAPH_RET_STRUCTS    task->ret_stack is an array of struct
 *                               ftrace_ret_stack (before 6.9)
 */

#ifdef KSPLICE_KALLSYMS_EACH_MODULE
typedef int (*kallsyms_each_fn)(void *data, const char *name,
				struct module *mod, unsigned long addr);
#else
typedef int (*kallsyms_each_fn)(void *data, const char *name,
				unsigned long addr);
#endif

/* kallsyms_on_each_symbol(), whose type differs: called as a static call. */
int ksplice_kallsyms_each_type(kallsyms_each_fn fn, void *data);
DEFINE_STATIC_CALL_NULL(ksplice_kallsyms_each, ksplice_kallsyms_each_type);

int ksplice_kernel_init(void)
{
	unsigned long addr = ksplice_kernel_func("kallsyms_on_each_symbol", true);

	if (!addr)
		return -ENOENT;
	static_call_update(ksplice_kallsyms_each,
			   (typeof(&ksplice_kallsyms_each_type))addr);
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

	return static_call(ksplice_kallsyms_each)(each_symbol_adapter, &ctx);
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
	/* The macro declares its own loop variable. */
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

/*
 * Return addresses that tracing keeps off the stack.  kretprobes (through
 * rethook, or their own instances where an arch has no rethook) and the
 * function-graph tracer put a trampoline in a task's return slot and
 * keep the real address in a per-task list; a task asleep below such a
 * frame returns to that address.  Calls fn for every word that may be
 * one, until fn returns true; returns whether it did.  Called stopped,
 * with the task switched out, so the lists hold still.
 */
bool ksplice_kernel_ret_addrs(struct task_struct *task, ksplice_word_fn fn,
			      void *data)
{
#ifdef CONFIG_FUNCTION_GRAPH_TRACER
	int top = READ_ONCE(task->curr_ret_stack);
	const unsigned long *words = (const unsigned long *)task->ret_stack;
	unsigned long i, nr_words = 0;
#endif
#ifdef CONFIG_RETHOOK
	struct rethook_node *rh;
#endif
#if defined(CONFIG_KRETPROBES) && !defined(CONFIG_KRETPROBE_ON_RETHOOK)
	struct kretprobe_instance *ri;
#endif

#ifdef CONFIG_RETHOOK
	llist_for_each_entry(rh, READ_ONCE(task->rethooks.first), llist)
		if (fn(data, rh->ret_addr))
			return true;
#endif
#if defined(CONFIG_KRETPROBES) && !defined(CONFIG_KRETPROBE_ON_RETHOOK)
	llist_for_each_entry(ri, READ_ONCE(task->kretprobe_instances.first),
			     llist)
		if (fn(data, (unsigned long)ri->ret_addr))
			return true;
#endif
#ifdef CONFIG_FUNCTION_GRAPH_TRACER
	/*
	 * Every word of the live part, not only the return fields: the
	 * layout is the tracer's own, and a stray hit costs a retry.
	 */
#ifdef KSPLICE_FGRAPH_RET_STRUCTS
	if (top >= 0)	/* the index of the top entry, -1 when empty */
		nr_words = (top + 1UL) * sizeof(struct ftrace_ret_stack) /
			   sizeof(long);
#else
	if (top > 0)	/* the offset in words past the top */
		nr_words = top;
#endif
	for (i = 0; words && i < nr_words; i++)
		if (fn(data, READ_ONCE_NOCHECK(words[i])))
			return true;
#endif
	return false;
}

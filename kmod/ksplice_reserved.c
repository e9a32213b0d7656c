// SPDX-License-Identifier: GPL-2.0
/*
 * Text the kernel rewrites by itself after boot: jump label sites (when a
 * static key flips) and ftrace's call sites (when tracing starts or
 * stops).  A jump written over one would be overwritten in turn, or the
 * kernel's writer would find bytes it did not expect and BUG: such a
 * site is refused before anything is written.  Both lookups are the
 * kernel's own (kprobes asks them the same question), found by name as
 * neither is exported.
 */
#include "ksplice_internal.h"

#include <linux/ftrace.h>
#include <linux/jump_label.h>

/* The headers declare both, or an inline stub without the feature. */
DEFINE_STATIC_CALL_NULL(ksplice_jump_label_reserved, jump_label_text_reserved);
DEFINE_STATIC_CALL_NULL(ksplice_ftrace_reserved, ftrace_text_reserved);

/* Either may be absent (no CONFIG_JUMP_LABEL, no CONFIG_DYNAMIC_FTRACE). */
void ksplice_reserved_init(void)
{
	unsigned long addr;

	addr = ksplice_kernel_func("jump_label_text_reserved", false);
	if (addr)
		static_call_update(ksplice_jump_label_reserved,
				   (typeof(&jump_label_text_reserved))addr);
	addr = ksplice_kernel_func("ftrace_text_reserved", false);
	if (addr)
		static_call_update(ksplice_ftrace_reserved,
				   (typeof(&ftrace_text_reserved))addr);
}

/* Whether the kernel may rewrite any byte of [addr, addr + len) itself. */
bool ksplice_text_reserved(unsigned long addr, unsigned int len)
{
	void *start = (void *)addr, *end = (void *)(addr + len - 1);

	if (static_call_query(ksplice_jump_label_reserved) &&
	    static_call(ksplice_jump_label_reserved)(start, end))
		return true;
	return static_call_query(ksplice_ftrace_reserved) &&
	       static_call(ksplice_ftrace_reserved)(start, end);
}

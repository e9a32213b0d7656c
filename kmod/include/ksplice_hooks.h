/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For fix authors: code that runs when a ksplice patch is applied or
 * undone, and shadow variables that add fields to existing objects
 * without changing their layout.  `ksplice create` puts this folder on
 * the include path of the objects it rebuilds, so a fix may say:
 *
 *	#include <ksplice_hooks.h>
 *
 *	static int check_ready(void)
 *	{
 *		return subsystem_busy() ? -EBUSY : 0;
 *	}
 *	KSPLICE_PRE_APPLY(check_ready);
 *
 * Hooks, in the order they run:
 *   KSPLICE_PRE_APPLY(int fn(void))	before the machine is stopped; an
 *					error refuses the apply, nothing changed
 *   KSPLICE_APPLY_STOPPED(void fn(void))	every CPU stopped, interrupts off,
 *					right after the jumps are written: must
 *					not sleep, lock or print
 *   KSPLICE_POST_APPLY(void fn(void))	after the machine runs again
 *   KSPLICE_PRE_UNDO(int fn(void))	before undo; an error refuses it
 *   KSPLICE_UNDO_STOPPED(void fn(void))	as APPLY_STOPPED, after the old
 *					entries are back
 *   KSPLICE_POST_UNDO(void fn(void))	after undo, and after an apply that
 *					failed once PRE_APPLY had succeeded
 * They run under the core's mutex: they must not apply or undo patches.
 * A module that is loaded while the patch is applied gets its jumps
 * without hooks.
 *
 * Shadow variables (ksplice.ko): data attached to any object by its
 * address and an id the fix chooses.  Free them when the object goes,
 * or all of one id in a POST_UNDO hook.
 */
#ifndef KSPLICE_HOOKS_H
#define KSPLICE_HOOKS_H

#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/gfp.h>
#include <linux/stddef.h>
#include <linux/types.h>

#include "ksplice_contract.h"
#include "ksplice_hook_kinds.h"


/*
 * One hook, in the fixed object's .ksplice.hooks section, where patchgen
 * finds it (kind, then the function's address).
 */
struct ksplice_hook_entry {
	unsigned long kind;	/* enum ksplice_hook_kind */
	union {
		int (*check)(void);	/* PRE_APPLY, PRE_UNDO */
		void (*run)(void);	/* the others */
	};
};

static_assert(sizeof(struct ksplice_hook_entry) == KSPLICE_HOOK_ENTRY_SIZE);
static_assert(offsetof(struct ksplice_hook_entry, kind) == KSPLICE_HOOK_ENTRY_KIND);
static_assert(offsetof(struct ksplice_hook_entry, run) == KSPLICE_HOOK_ENTRY_FN);

#define __KSPLICE_HOOK(name, kind, field, fn)				\
	static const struct ksplice_hook_entry __ksplice_##name##_##fn	\
	__used __section(KSPLICE_HOOKS_SECTION) = { kind, { .field = fn } }

#define KSPLICE_PRE_APPLY(fn)						\
	__KSPLICE_HOOK(pre_apply, KSPLICE_HOOK_PRE_APPLY, check, fn)
#define KSPLICE_APPLY_STOPPED(fn)					\
	__KSPLICE_HOOK(apply_stopped, KSPLICE_HOOK_APPLY_STOPPED, run, fn)
#define KSPLICE_POST_APPLY(fn)						\
	__KSPLICE_HOOK(post_apply, KSPLICE_HOOK_POST_APPLY, run, fn)
#define KSPLICE_PRE_UNDO(fn)						\
	__KSPLICE_HOOK(pre_undo, KSPLICE_HOOK_PRE_UNDO, check, fn)
#define KSPLICE_UNDO_STOPPED(fn)					\
	__KSPLICE_HOOK(undo_stopped, KSPLICE_HOOK_UNDO_STOPPED, run, fn)
#define KSPLICE_POST_UNDO(fn)						\
	__KSPLICE_HOOK(post_undo, KSPLICE_HOOK_POST_UNDO, run, fn)

/* The shadow of (obj, id), or NULL. */
void *ksplice_shadow_get(const void *obj, unsigned long id);
/* The shadow of (obj, id), made of size zeroed bytes if it has none. */
void *ksplice_shadow_get_or_alloc(const void *obj, unsigned long id,
				  size_t size, gfp_t gfp);
void ksplice_shadow_free(const void *obj, unsigned long id);
void ksplice_shadow_free_all(unsigned long id);

#endif /* KSPLICE_HOOKS_H */

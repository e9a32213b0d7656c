/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kinds of fix hooks (ksplice_hooks.h), as numbers the fix's objects,
 * patchgen and the core agree on.  No includes: patchgen reads it too.
 */
#ifndef KSPLICE_HOOK_KINDS_H
#define KSPLICE_HOOK_KINDS_H

enum ksplice_hook_kind {
	KSPLICE_HOOK_PRE_APPLY = 1,	/* int (*)(void): nonzero refuses */
	KSPLICE_HOOK_APPLY_STOPPED,	/* void (*)(void), machine stopped */
	KSPLICE_HOOK_POST_APPLY,	/* void (*)(void) */
	KSPLICE_HOOK_PRE_UNDO,		/* int (*)(void): nonzero refuses */
	KSPLICE_HOOK_UNDO_STOPPED,	/* void (*)(void), machine stopped */
	KSPLICE_HOOK_POST_UNDO,		/* void (*)(void) */
};

/* The kind's name in messages, NULL for no kind. */
static inline const char *ksplice_hook_kind_name(unsigned long kind)
{
	switch (kind) {
	case KSPLICE_HOOK_PRE_APPLY:
		return "pre_apply";
	case KSPLICE_HOOK_APPLY_STOPPED:
		return "apply_stopped";
	case KSPLICE_HOOK_POST_APPLY:
		return "post_apply";
	case KSPLICE_HOOK_PRE_UNDO:
		return "pre_undo";
	case KSPLICE_HOOK_UNDO_STOPPED:
		return "undo_stopped";
	case KSPLICE_HOOK_POST_UNDO:
		return "post_undo";
	}
	return NULL;
}

#endif /* KSPLICE_HOOK_KINDS_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * The fix's own code around apply and undo (include/ksplice_hooks.h):
 * checked at registration, run by the core at each step.
 */
#include "ksplice_internal.h"

int ksplice_check_hooks(const struct ksplice_patch *patch)
{
	unsigned long start, end, fn;
	unsigned int i;

	if (patch->nr_hooks && !patch->hooks) {
		pr_err("%s: %u hooks but no table\n", patch->id, patch->nr_hooks);
		return -EINVAL;
	}
	ksplice_kernel_module_text(patch->owner, &start, &end);
	for (i = 0; i < patch->nr_hooks; i++) {
		const struct ksplice_hook *hook = &patch->hooks[i];

		fn = (unsigned long)hook->fn;
		if (!ksplice_hook_kind_name(hook->kind) ||
		    fn < start || fn >= end) {
			pr_err("%s: hook %u: bad kind %u or code outside the module\n",
			       patch->id, i, hook->kind);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * Runs the hooks of a kind that may refuse, in order, until one does;
 * its error is the result and the abort cause names it.  *ran counts
 * the hooks that ran and did not refuse: the caller unwinds them.
 */
int ksplice_run_check_hooks(struct ksplice_priv *priv, unsigned int kind,
			    unsigned int *ran)
{
	const struct ksplice_patch *patch = priv->patch;
	unsigned int i;
	int ret;

	*ran = 0;
	for (i = 0; i < patch->nr_hooks; i++) {
		int (*check)(void) = patch->hooks[i].fn;

		if (patch->hooks[i].kind != kind)
			continue;
		ret = check();
		if (ret) {
			ksplice_set_cause(priv, KSPLICE_ABORT_HOOK, "%s %ps refused (%d)",
					  ksplice_hook_kind_name(kind), check, ret);
			return ret < 0 ? ret : -EINVAL;
		}
		(*ran)++;
	}
	return 0;
}

/* Runs every hook of a kind that cannot refuse (also while stopped). */
void ksplice_run_hooks(const struct ksplice_patch *patch, unsigned int kind)
{
	unsigned int i;

	for (i = 0; i < patch->nr_hooks; i++) {
		void (*hook)(void) = patch->hooks[i].fn;

		if (patch->hooks[i].kind == kind)
			hook();
	}
}

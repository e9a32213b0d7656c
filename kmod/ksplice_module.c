// SPDX-License-Identifier: GPL-2.0
/*
 * Functions inside loadable modules.
 *
 * A patch may replace functions of a module that is not loaded when the
 * patch is applied.  Those are patched when the module comes (before its
 * init runs, so no task can be inside it yet, and without stopping the
 * machine); when it goes, its jumps go with its memory.  A coming module
 * whose code is not what the patch was built against is refused: loading
 * it unpatched would silently undo the fix.
 */
#include "ksplice_internal.h"

#include <linux/module.h>
#include <linux/notifier.h>

/*
 * The module, held, if it is loaded and not on its way out; else NULL.
 * Held, a plain rmmod fails until module_put(); a module whose init
 * fails, or one forced out, still waits in its GOING notification for
 * ksplice_mutex, which the caller holds, so its memory stays until we
 * are done.
 */
struct module *ksplice_module_get(const char *module)
{
	struct module *mod;

	lockdep_assert_held(&ksplice_mutex);
	preempt_disable();
	mod = (struct module *)ksplice_module_symbol(module, "__this_module");
	if (mod && ((mod->state != MODULE_STATE_LIVE &&
		     mod->state != MODULE_STATE_COMING) || !try_module_get(mod)))
		mod = NULL;
	preempt_enable();
	return mod;
}

static int ksplice_module_notify(struct notifier_block *nb,
				 unsigned long action, void *data)
{
	struct module *mod = data;
	struct ksplice_priv *priv;
	int ret = 0;

	if (action != MODULE_STATE_COMING && action != MODULE_STATE_GOING)
		return NOTIFY_DONE;

	mutex_lock(&ksplice_mutex);
	list_for_each_entry(priv, &ksplice_patches, list) {
		if (priv->stage != KSPLICE_APPLIED)
			continue;
		if (action == MODULE_STATE_GOING) {
			ksplice_module_going(priv, mod->name);
			continue;
		}
		ret = ksplice_module_coming(priv, mod->name);
		if (ret) {
			pr_err("%s: refusing to load module %s: %s\n",
			       priv->patch->id, mod->name, priv->cause);
			break;
		}
	}
	/* A refused module is freed without a GOING call to us. */
	if (ret) {
		list_for_each_entry(priv, &ksplice_patches, list)
			ksplice_module_going(priv, mod->name);
	}
	mutex_unlock(&ksplice_mutex);
	return notifier_from_errno(ret);
}

static struct notifier_block ksplice_module_nb = {
	.notifier_call = ksplice_module_notify,
};

int ksplice_module_init(void)
{
	return register_module_notifier(&ksplice_module_nb);
}

void ksplice_module_exit(void)
{
	unregister_module_notifier(&ksplice_module_nb);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Another live patcher on the same function.  livepatch (and kpatch,
 * which now builds livepatch modules) redirects a function at its ftrace
 * call, ahead of the jump ksplice writes after it: whichever came last,
 * livepatch's code runs and ours does not.  So a function that an
 * enabled livepatch replaces is refused at apply, naming the livepatch
 * module, and one that a livepatch took over after our apply is listed
 * in /sys/kernel/ksplice/<id>/livepatched.
 *
 * livepatch keeps its patches on klp_patches under klp_mutex, neither
 * exported; both are found through kallsyms, and a kernel without
 * CONFIG_LIVEPATCH has no other live patcher to meet.
 */
#include "ksplice_internal.h"

#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/string.h>

#ifdef CONFIG_LIVEPATCH
#include <linux/livepatch.h>

static struct list_head *klp_patches;
static struct mutex *klp_mutex;

void ksplice_livepatch_init(void)
{
	klp_patches = (struct list_head *)ksplice_kernel_data("klp_patches");
	klp_mutex = (struct mutex *)ksplice_kernel_data("klp_mutex");
}

/*
 * The name of the livepatch module whose enabled patch replaces the
 * function at addr, in buf; false if none does.  Takes klp_mutex, so
 * never call it with the machine stopped.
 */
bool ksplice_livepatch_owner(unsigned long addr, char *buf, size_t size)
{
	struct klp_patch *patch;
	struct klp_object *obj;
	struct klp_func *func;
	bool found = false;

	if (!klp_patches || !klp_mutex || !addr)
		return false;
	mutex_lock(klp_mutex);
	list_for_each_entry(patch, klp_patches, list) {
		if (!patch->enabled)
			continue;
		klp_for_each_object(patch, obj) {
			klp_for_each_func(obj, func) {
				if ((unsigned long)func->old_func != addr ||
				    (!func->patched && !func->transition))
					continue;
				strscpy(buf, patch->mod ? patch->mod->name : "?",
					size);
				found = true;
				goto out;
			}
		}
	}
out:
	mutex_unlock(klp_mutex);
	return found;
}
#else
void ksplice_livepatch_init(void)
{
}

bool ksplice_livepatch_owner(unsigned long addr, char *buf, size_t size)
{
	return false;
}
#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/ksplice/<id>/: one directory per registered patch.
 *
 *   stage        rw  loaded | applied | reversed; write apply, replace
 *                    (apply, taking the place of every other applied patch)
 *                    or undo
 *   abort_kind   ro  none, or the kind of the last failure (busy, ...)
 *   abort_cause  ro  none, or why the last apply/undo failed (one line)
 *   functions    ro  <name> <object> <old_addr> <new_addr> per function
 *   livepatched  ro  <function> <module> per applied function that a
 *                    livepatch replaced since (its code runs, not ours)
 *   traps        ro  <function> <object> per applied function entered
 *                    through a trap (too short for the jump: each call traps)
 *   veneers      ro  <function> <object> per applied function entered
 *                    through a veneer (arm64: its new code beyond a B's reach)
 *   tries        ro  stop_machine attempts of the last apply/undo
 *   stop_ns      ro  length of the last successful stopped window
 *   stop_call_ns ro  its whole stop_machine() call, CPUs gathering included
 *   stop_scan_ns ro  the part of stop_ns that the stack scan took
 *   call_thunks  ro  calls of the new code the core linked through
 *                    call-depth accounting thunks (retbleed=stuff)
 *
 * /sys/kernel/ksplice/empty_stop_ns (0400): reading it stops the machine
 * once with an empty callback and gives the call's length, the floor for
 * stop_call_ns (bench/stop-time.sh).
 *
 * Every read takes ksplice_mutex, so it sees a finished apply or undo.
 */
#include "ksplice_internal.h"

#include <linux/capability.h>
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

static struct kobject *ksplice_root;

static struct ksplice_priv *to_priv(struct kobject *kobj)
{
	return container_of(kobj, struct ksplice_priv, kobj);
}

static ssize_t stage_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	struct ksplice_priv *priv = to_priv(kobj);
	ssize_t ret;

	mutex_lock(&ksplice_mutex);
	ret = sysfs_emit(buf, "%s\n", ksplice_stage_name(priv->stage));
	mutex_unlock(&ksplice_mutex);
	return ret;
}

static ssize_t stage_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	struct ksplice_priv *priv = to_priv(kobj);
	int ret;

	if (!capable(CAP_SYS_MODULE))
		return -EPERM;
	if (sysfs_streq(buf, "apply"))
		ret = ksplice_apply(priv);
	else if (sysfs_streq(buf, "replace"))
		ret = ksplice_replace(priv);
	else if (sysfs_streq(buf, "undo"))
		ret = ksplice_undo(priv);
	else
		ret = -EINVAL;
	return ret ? ret : count;
}

static ssize_t abort_kind_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	struct ksplice_priv *priv = to_priv(kobj);
	ssize_t ret;

	mutex_lock(&ksplice_mutex);
	ret = sysfs_emit(buf, "%s\n", ksplice_abort_name(priv->abort));
	mutex_unlock(&ksplice_mutex);
	return ret;
}

static ssize_t abort_cause_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	struct ksplice_priv *priv = to_priv(kobj);
	ssize_t ret;

	mutex_lock(&ksplice_mutex);
	ret = sysfs_emit(buf, "%s\n", priv->cause);
	mutex_unlock(&ksplice_mutex);
	return ret;
}

/*
 * Kernel addresses only for readers who may see them in /proc/kallsyms
 * too (CAP_SYSLOG); others get 0, as with kallsyms.
 */
static ssize_t functions_show(struct kobject *kobj,
			      struct kobj_attribute *attr, char *buf)
{
	struct ksplice_priv *priv = to_priv(kobj);
	const struct ksplice_patch *patch = priv->patch;
	bool show = has_capability_noaudit(current, CAP_SYSLOG);
	unsigned int i;
	int len = 0;

	mutex_lock(&ksplice_mutex);
	for (i = 0; i < patch->nr_funcs; i++) {
		const struct ksplice_func *func = &patch->funcs[i];

		len += sysfs_emit_at(buf, len, "%s %s %lx %lx\n", func->name,
				     ksplice_func_object(func),
				     show ? func->old_addr : 0,
				     show ? (unsigned long)func->new_code : 0);
	}
	mutex_unlock(&ksplice_mutex);
	return len;
}

/*
 * One "<function> <what>" line for each live function of the patch that
 * what() names something for (NULL: none); scratch (size bytes) is
 * what()'s to fill.
 */
static ssize_t show_live_funcs(struct kobject *kobj, char *buf,
			       const char *(*what)(const struct ksplice_priv *priv,
						   unsigned int i, char *scratch,
						   size_t size))
{
	struct ksplice_priv *priv = to_priv(kobj);
	const struct ksplice_patch *patch = priv->patch;
	char scratch[MODULE_NAME_LEN];
	const char *second;
	unsigned int i;
	int len = 0;

	mutex_lock(&ksplice_mutex);
	for (i = 0; i < patch->nr_funcs; i++) {
		if (!priv->sites[i].live)
			continue;
		second = what(priv, i, scratch, sizeof(scratch));
		if (second)
			len += sysfs_emit_at(buf, len, "%s %s\n",
					     patch->funcs[i].name, second);
	}
	mutex_unlock(&ksplice_mutex);
	return len;
}

/* A livepatch that replaced the function after us: its code runs, not ours. */
static const char *livepatch_owner(const struct ksplice_priv *priv,
				   unsigned int i, char *scratch, size_t size)
{
	if (!ksplice_livepatch_owner(priv->patch->funcs[i].old_addr, scratch,
				     size))
		return NULL;
	return scratch;
}

static ssize_t livepatched_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	return show_live_funcs(kobj, buf, livepatch_owner);
}

/* The object of a function entered through a trap. */
static const char *trap_object(const struct ksplice_priv *priv,
			       unsigned int i, char *scratch, size_t size)
{
	if (!ksplice_site_is_trap(&priv->sites[i]))
		return NULL;
	return ksplice_func_object(&priv->patch->funcs[i]);
}

static ssize_t traps_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return show_live_funcs(kobj, buf, trap_object);
}

/* The object of a function entered through a veneer. */
static const char *veneer_object(const struct ksplice_priv *priv,
				 unsigned int i, char *scratch, size_t size)
{
	if (!ksplice_site_is_veneer(&priv->sites[i]))
		return NULL;
	return ksplice_func_object(&priv->patch->funcs[i]);
}

static ssize_t veneers_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return show_live_funcs(kobj, buf, veneer_object);
}

/* One number of a patch, as the last finished apply or undo left it. */
static ssize_t show_number(char *buf, const u64 *value)
{
	ssize_t ret;

	mutex_lock(&ksplice_mutex);
	ret = sysfs_emit(buf, "%llu\n", *value);
	mutex_unlock(&ksplice_mutex);
	return ret;
}

static ssize_t tries_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return show_number(buf, &to_priv(kobj)->tries);
}

static ssize_t stop_ns_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return show_number(buf, &to_priv(kobj)->stop_ns);
}

static ssize_t stop_call_ns_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	return show_number(buf, &to_priv(kobj)->stop_call_ns);
}

static ssize_t stop_scan_ns_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	return show_number(buf, &to_priv(kobj)->stop_scan_ns);
}

static ssize_t call_thunks_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	return show_number(buf, &to_priv(kobj)->call_thunks);
}

static struct kobj_attribute stage_attr = __ATTR_RW(stage);
static struct kobj_attribute abort_kind_attr = __ATTR_RO(abort_kind);
static struct kobj_attribute abort_cause_attr = __ATTR_RO(abort_cause);
static struct kobj_attribute functions_attr = __ATTR_RO(functions);
static struct kobj_attribute livepatched_attr = __ATTR_RO(livepatched);
static struct kobj_attribute traps_attr = __ATTR_RO(traps);
static struct kobj_attribute veneers_attr = __ATTR_RO(veneers);
static struct kobj_attribute tries_attr = __ATTR_RO(tries);
static struct kobj_attribute stop_ns_attr = __ATTR_RO(stop_ns);
static struct kobj_attribute stop_call_ns_attr = __ATTR_RO(stop_call_ns);
static struct kobj_attribute stop_scan_ns_attr = __ATTR_RO(stop_scan_ns);
static struct kobj_attribute call_thunks_attr = __ATTR_RO(call_thunks);

static struct attribute *ksplice_patch_attrs[] = {
	&stage_attr.attr,
	&abort_kind_attr.attr,
	&abort_cause_attr.attr,
	&functions_attr.attr,
	&livepatched_attr.attr,
	&traps_attr.attr,
	&veneers_attr.attr,
	&tries_attr.attr,
	&stop_ns_attr.attr,
	&stop_call_ns_attr.attr,
	&stop_scan_ns_attr.attr,
	&call_thunks_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(ksplice_patch);

static void ksplice_patch_release(struct kobject *kobj)
{
	struct ksplice_priv *priv = to_priv(kobj);
	struct completion *released = priv->released;

	ksplice_priv_free(priv);
	if (released)
		complete(released);
}

static struct kobj_type ksplice_patch_ktype = {
	.release = ksplice_patch_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = ksplice_patch_groups,
};

/* On failure priv is freed here (through its kobject's release). */
int ksplice_sysfs_add(struct ksplice_priv *priv)
{
	int ret;

	ret = kobject_init_and_add(&priv->kobj, &ksplice_patch_ktype,
				   ksplice_root, "%s", priv->patch->id);
	if (ret) {
		pr_err("%s: cannot create its sysfs directory: %d\n",
		       priv->patch->id, ret);
		ksplice_sysfs_put(priv);
	}
	return ret;
}

/* Returns once no show or store of this patch is running any more. */
void ksplice_sysfs_del(struct ksplice_priv *priv)
{
	kobject_del(&priv->kobj);
}

/*
 * Drops the last reference and waits for the release: it runs code of
 * this module, which may be unloaded right after the patch module.
 * (Releases can be delayed, e.g. by CONFIG_DEBUG_KOBJECT_RELEASE.)
 */
void ksplice_sysfs_put(struct ksplice_priv *priv)
{
	DECLARE_COMPLETION_ONSTACK(released);

	priv->released = &released;
	kobject_put(&priv->kobj);
	wait_for_completion(&released);
}

/* Stopping the machine on a read: root with CAP_SYS_MODULE only. */
static ssize_t empty_stop_ns_show(struct kobject *kobj,
				  struct kobj_attribute *attr, char *buf)
{
	u64 call_ns;
	int ret;

	if (!capable(CAP_SYS_MODULE))
		return -EPERM;
	mutex_lock(&ksplice_mutex);
	ret = ksplice_empty_stop(&call_ns);
	mutex_unlock(&ksplice_mutex);
	return ret ? ret : sysfs_emit(buf, "%llu\n", call_ns);
}

static struct kobj_attribute empty_stop_ns_attr = __ATTR(empty_stop_ns, 0400,
							 empty_stop_ns_show,
							 NULL);

int ksplice_sysfs_init(void)
{
	int ret;

	ksplice_root = kobject_create_and_add("ksplice", kernel_kobj);
	if (!ksplice_root)
		return -ENOMEM;
	ret = sysfs_create_file(ksplice_root, &empty_stop_ns_attr.attr);
	if (ret)
		kobject_put(ksplice_root);
	return ret;
}

void ksplice_sysfs_exit(void)
{
	kobject_put(ksplice_root);
}

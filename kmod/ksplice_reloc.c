// SPDX-License-Identifier: GPL-2.0
/*
 * Ksplice relocations: references from a patch module's new code to
 * running-kernel symbols that the module loader cannot resolve because
 * they are not exported (or are static).  They are resolved by name and
 * written into the module once, on its first apply.  Module text is
 * read-only by then, so the writes go through text_poke().
 */
#include "ksplice_internal.h"

#include <linux/module.h>
#include <linux/slab.h>

/* Bytes a relocation of this type writes; 0 for an unknown type. */
static unsigned int reloc_size(unsigned int type)
{
	switch (type) {
	case KSPLICE_RELOC_PC32:
	case KSPLICE_RELOC_32S:
	case KSPLICE_RELOC_32:
		return sizeof(u32);
	case KSPLICE_RELOC_64:
	case KSPLICE_RELOC_VALUE64:
		return sizeof(u64);
	case KSPLICE_RELOC_VALUE8:
		return sizeof(u8);
	case KSPLICE_RELOC_ARM64_ADR_PREL_PG_HI21 ... KSPLICE_RELOC_ARM64_VALUE_LSR:
		/* An instruction field: only where instructions are arm64's. */
		return IS_ENABLED(CONFIG_ARM64) ? sizeof(u32) : 0;
	}
	return 0;
}

static bool reloc_is_value(const struct ksplice_reloc *r)
{
	switch (r->type) {
	case KSPLICE_RELOC_VALUE64:
	case KSPLICE_RELOC_VALUE8:
	case KSPLICE_RELOC_ARM64_VALUE_MOVW:
	case KSPLICE_RELOC_ARM64_VALUE_LSR:
		return true;
	}
	return false;
}

/* Registration-time check of what patchgen wrote; messages name the bad entry. */
int ksplice_check_relocs(const struct ksplice_patch *patch)
{
	unsigned long where;
	unsigned int i, size;

	if (patch->nr_relocs && !patch->relocs) {
		pr_err("%s: %u relocations but no table\n", patch->id,
		       patch->nr_relocs);
		return -EINVAL;
	}
	for (i = 0; i < patch->nr_relocs; i++) {
		const struct ksplice_reloc *r = &patch->relocs[i];

		size = reloc_size(r->type);
		where = (unsigned long)r->where;
		if (!r->symbol || !size) {
			pr_err("%s: relocation %u: bad symbol or type %u\n",
			       patch->id, i, r->type);
			return -EINVAL;
		}
		if (!ksplice_kernel_in_module_core(patch->owner, where, size)) {
			pr_err("%s: relocation %u (%s) lies outside the module\n",
			       patch->id, i, r->symbol);
			return -EINVAL;
		}
	}
	return 0;
}

/* The value to store for r against symbol address sym, range-checked. */
static int reloc_value(const struct ksplice_reloc *r, unsigned long sym,
		       u64 *value)
{
	unsigned long s_a = sym + r->addend;
	long pc_rel = (long)(s_a - (unsigned long)r->where);

	switch (r->type) {
	case KSPLICE_RELOC_PC32:
		if (pc_rel != (s32)pc_rel)
			return -ERANGE;
		*value = (u32)pc_rel;
		return 0;
	case KSPLICE_RELOC_32S:
		if ((long)s_a != (s32)s_a)
			return -ERANGE;
		*value = (u32)s_a;
		return 0;
	case KSPLICE_RELOC_32:
		if (s_a != (u32)s_a)
			return -ERANGE;
		*value = (u32)s_a;
		return 0;
	case KSPLICE_RELOC_64:
		*value = s_a;
		return 0;
	case KSPLICE_RELOC_VALUE64:
	case KSPLICE_RELOC_VALUE8:
		*value = 0;
		if (copy_from_kernel_nofault(value, (void *)s_a, reloc_size(r->type)))
			return -EFAULT;
		return 0;
	}
	return ksplice_arch_reloc_value(r, s_a, value);
}

/*
 * On apply (module NULL): every relocation whose target was loaded, and
 * pinned, when the apply began; when a module comes: those into it.
 * Code referring to an absent module is reachable only through that
 * module's functions, which are not patched.
 */
static bool reloc_wanted(const struct ksplice_priv *priv, unsigned int i,
			 const char *module)
{
	const struct ksplice_reloc *r = &priv->patch->relocs[i];

	if (module)
		return r->module && !strcmp(r->module, module);
	return !r->module || priv->pins[priv->patch->nr_funcs + i];
}

/* Resolves and range-checks the wanted relocations; writes nothing. */
static int compute_relocs(struct ksplice_priv *priv, const char *module,
			  u64 *values)
{
	const struct ksplice_patch *patch = priv->patch;
	unsigned long sym, thunk;
	unsigned int i;
	int ret;

	for (i = 0; i < patch->nr_relocs; i++) {
		const struct ksplice_reloc *r = &patch->relocs[i];

		if (!reloc_wanted(priv, i, module))
			continue;
		if (r->anchor)
			ret = ksplice_resolve_anchored(priv, r->module, r->symbol,
						       r->anchor,
						       r->anchor_offset, &sym);
		else
			ret = ksplice_resolve_symbol(priv, r->module, r->symbol,
						     &sym);
		if (ret)
			return ret;
		if (reloc_is_value(r)) {
			if (reloc_value(r, sym, &values[i])) {
				ksplice_set_cause(priv, KSPLICE_ABORT_NOT_FOUND,
						  "%s (its value is unreadable)", r->symbol);
				return -EFAULT;
			}
			continue;
		}
		mutex_lock(ksplice_kernel.text_mutex);
		thunk = ksplice_arch_call_dest(r, sym);
		mutex_unlock(ksplice_kernel.text_mutex);
		if (thunk != sym)
			priv->call_thunks++;
		ret = reloc_value(r, thunk, &values[i]);
		if (ret) {
			ksplice_set_cause(priv, KSPLICE_ABORT_RELOC_RANGE, "%s", r->symbol);
			return ret;
		}
		if (ksplice_arch_no_landing(r, sym)) {
			ksplice_set_cause(priv, KSPLICE_ABORT_IBT,
					  "%s (the new code takes its address, and it has no endbr64 for an indirect call to land on)",
					  r->symbol);
			return -EINVAL;
		}
	}
	return 0;
}

/* Stores one computed value in the width its type asks for. */
static void write_reloc(const struct ksplice_reloc *r, u64 value)
{
	u32 value32 = (u32)value;
	u8 value8 = (u8)value;

	if (reloc_size(r->type) == sizeof(u32))
		ksplice_arch_write_text(r->where, &value32, sizeof(value32));
	else if (reloc_size(r->type) == sizeof(u8))
		ksplice_arch_write_text(r->where, &value8, sizeof(value8));
	else
		ksplice_arch_write_text(r->where, &value, sizeof(value));
}

/*
 * All relocations are computed before the first is written, so a failure
 * leaves the module untouched.  Writing one again writes the same value,
 * unless its module was reloaded since.
 */
int ksplice_apply_relocs(struct ksplice_priv *priv, const char *module)
{
	const struct ksplice_patch *patch = priv->patch;
	unsigned int i;
	u64 *values;
	int ret;

	if (!patch->nr_relocs)
		return 0;
	values = kcalloc(patch->nr_relocs, sizeof(*values), GFP_KERNEL);
	if (!values)
		return -ENOMEM;

	ret = compute_relocs(priv, module, values);
	if (!ret) {
		mutex_lock(ksplice_kernel.text_mutex);
		for (i = 0; i < patch->nr_relocs; i++)
			if (reloc_wanted(priv, i, module))
				write_reloc(&patch->relocs[i], values[i]);
		mutex_unlock(ksplice_kernel.text_mutex);
	}
	kfree(values);
	return ret;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice core: patch registration, the stage machine, and the apply and
 * undo sequences.
 *
 * A patch module registers a struct ksplice_patch from its module_init.
 * Writing "apply" to /sys/kernel/ksplice/<id>/stage finds each function
 * to replace (by name, then by its pre-build bytes), writes the patch's
 * ksplice relocations once, and then, with every CPU stopped and no task
 * inside a replaced function, writes a jump at each entry.  "undo" puts
 * the saved entry bytes back once no task is inside the patch module.
 * Stages: loaded -> applied -> reversed -> applied -> ...
 */
#include "ksplice_internal.h"

#include <linux/delay.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/utsname.h>

/* Attempts at a quiet moment, and the first wait between them (doubles). */
#define KSPLICE_TRIES		5
#define KSPLICE_FIRST_WAIT_MS	50
/* Where nothing may fail (a module going away): the wait between tries. */
#define KSPLICE_RETRY_MS	1000
/* ... and how often the kernel log hears that it still waits. */
#define KSPLICE_RETRY_SAY	30

DEFINE_MUTEX(ksplice_mutex);
LIST_HEAD(ksplice_patches);	/* under ksplice_mutex; applied ones in apply order */
static u64 ksplice_apply_seq;	/* under ksplice_mutex */

static unsigned long kallsyms_lookup_name_addr;
module_param(kallsyms_lookup_name_addr, ulong, 0400);
MODULE_PARM_DESC(kallsyms_lookup_name_addr,
		 "address of kallsyms_lookup_name, from /proc/kallsyms");

const char *ksplice_stage_name(enum ksplice_stage stage)
{
	switch (stage) {
	case KSPLICE_LOADED:
		return "loaded";
	case KSPLICE_APPLIED:
		return "applied";
	case KSPLICE_REVERSED:
		return "reversed";
	}
	return "unknown";
}

const char *ksplice_func_object(const struct ksplice_func *func)
{
	return func->object ? func->object : "-";
}

const char *ksplice_abort_name(enum ksplice_abort abort)
{
	static const char *const names[] = {
		[KSPLICE_ABORT_NONE] = "none",
		[KSPLICE_ABORT_BUSY] = "busy",
		[KSPLICE_ABORT_CODE_MISMATCH] = "code_mismatch",
		[KSPLICE_ABORT_HOOK] = "hook",
		[KSPLICE_ABORT_STACKED] = "stacked",
		[KSPLICE_ABORT_NOT_FOUND] = "not_found",
		[KSPLICE_ABORT_AMBIGUOUS] = "ambiguous",
		[KSPLICE_ABORT_RELOC_RANGE] = "reloc_range",
		[KSPLICE_ABORT_TOO_SHORT] = "too_short",
		[KSPLICE_ABORT_ENTRY_SITE] = "entry_site",
		[KSPLICE_ABORT_LIVEPATCH] = "livepatch",
		[KSPLICE_ABORT_IBT] = "ibt",
		[KSPLICE_ABORT_VENEER] = "veneer",
	};

	return abort < ARRAY_SIZE(names) && names[abort] ? names[abort] :
							   "unknown";
}

/* The cause reads "<kind>: <details>". */
void ksplice_set_cause(struct ksplice_priv *priv, enum ksplice_abort abort,
		       const char *fmt, ...)
{
	va_list args;
	int len;

	priv->abort = abort;
	len = scnprintf(priv->cause, sizeof(priv->cause), "%s: ",
			ksplice_abort_name(abort));
	va_start(args, fmt);
	vscnprintf(priv->cause + len, sizeof(priv->cause) - len, fmt, args);
	va_end(args);
}

void ksplice_clear_cause(struct ksplice_priv *priv)
{
	priv->abort = KSPLICE_ABORT_NONE;
	strscpy(priv->cause, "none", sizeof(priv->cause));
}

/* ---- Apply ---- */

/* Checks done before anything else, so a refusal costs nothing. */
static int check_func_entries(struct ksplice_priv *priv)
{
	const struct ksplice_patch *patch = priv->patch;
	unsigned int i;

	for (i = 0; i < patch->nr_funcs; i++) {
		const struct ksplice_func *func = &patch->funcs[i];

		/* Not even a trap fits (ksplice_traps.c). */
		if (func->pre_size < func->jump_offset + KSPLICE_TRAP_SIZE) {
			ksplice_set_cause(priv, KSPLICE_ABORT_TOO_SHORT, "%s", func->name);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * Two functions of one patch at overlapping entries (aliases) would save
 * each other's jump as "original" bytes.  A function shorter than the
 * jump spans only its own bytes (it takes a trap).
 */
static int check_overlap(struct ksplice_priv *priv, const unsigned long *addrs)
{
	const struct ksplice_patch *patch = priv->patch;
	unsigned long span;
	unsigned int i, j, n;

	for (i = 0; i < patch->nr_funcs; i++) {
		if (!addrs[i])
			continue;
		span = KSPLICE_JUMP_SIZE;
		if (patch->funcs[i].pre_size <
		    patch->funcs[i].jump_offset + KSPLICE_JUMP_SIZE)
			span = patch->funcs[i].pre_size;
		n = 1;
		for (j = 0; j < patch->nr_funcs; j++) {
			if (j != i && addrs[j] && addrs[j] - addrs[i] < span)
				n++;
		}
		if (n > 1) {
			ksplice_set_cause(priv, KSPLICE_ABORT_AMBIGUOUS, "%s (%u candidates)",
					  patch->funcs[i].name, n);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * livepatch redirects a function at its ftrace call, ahead of our jump:
 * ours would never run, so a function it replaces is refused.
 */
static int check_livepatch(struct ksplice_priv *priv,
			   const unsigned long *addrs)
{
	const struct ksplice_patch *patch = priv->patch;
	char owner[MODULE_NAME_LEN];
	unsigned int i;

	for (i = 0; i < patch->nr_funcs; i++) {
		if (!ksplice_livepatch_owner(addrs[i], owner, sizeof(owner)))
			continue;
		ksplice_set_cause(priv, KSPLICE_ABORT_LIVEPATCH,
				  "%s (livepatch %s replaces it)",
				  patch->funcs[i].name, owner);
		return -EBUSY;
	}
	return 0;
}

/* ---- Stacking ---- */

/*
 * The live site of another applied patch at addr: the lowest one (first
 * applied) when bottom, else the topmost.  NULL if none.
 */
static struct ksplice_site *live_site_at(unsigned long addr, bool bottom,
					 struct ksplice_priv **owner,
					 unsigned int *index)
{
	struct ksplice_site *found = NULL;
	struct ksplice_priv *priv;
	unsigned int i;
	u64 seq = 0;

	list_for_each_entry(priv, &ksplice_patches, list) {
		if (priv->stage != KSPLICE_APPLIED)
			continue;
		for (i = 0; i < priv->patch->nr_funcs; i++) {
			struct ksplice_site *site = &priv->sites[i];

			if (!site->live || site->addr != addr)
				continue;
			if (found && (bottom ? priv->seq > seq : priv->seq < seq))
				continue;
			found = site;
			seq = priv->seq;
			*owner = priv;
			*index = i;
		}
	}
	return found;
}

/*
 * For the run-pre check of a function at addr: if an applied patch's
 * jump sits at its patch site, the bytes the first such patch replaced,
 * and where (*site) and how many (*size), each if asked for.  NULL if
 * the function's entry is its own.
 */
const u8 *ksplice_original_entry(const struct ksplice_func *func,
				 unsigned long addr, unsigned long *site,
				 unsigned int *size)
{
	unsigned long at = addr + func->jump_offset;
	struct ksplice_site *below;
	struct ksplice_priv *owner;
	unsigned int index;

	below = live_site_at(at, true, &owner, &index);
	if (!below)
		return NULL;
	if (site)
		*site = at;
	if (size)
		*size = below->size;
	return owner->sites[index].saved;
}

/* The patch on top of priv's function i, if another is applied over it. */
static struct ksplice_priv *patch_above(struct ksplice_priv *priv,
					unsigned int i)
{
	struct ksplice_priv *owner;
	unsigned int index;

	if (!live_site_at(priv->sites[i].addr, false, &owner, &index) ||
	    owner == priv)
		return NULL;
	return owner;
}

/*
 * Where each jump goes and what it is.  The entry bytes at the patch site
 * must be covered by the pre build (pre_size), and the jump must reach
 * (on arm64, a B where it reaches, else a veneer where the function has
 * room); where fewer than a jump's bytes are covered, the site takes a
 * trap.  A site that holds another applied patch's jump is stacked on
 * it, and must be entered the same way.
 */
static int prepare_site(struct ksplice_priv *priv, unsigned int i,
			unsigned long addr)
{
	const struct ksplice_func *func = &priv->patch->funcs[i];
	struct ksplice_site *site = &priv->sites[i];
	struct ksplice_site *below;
	struct ksplice_priv *owner;
	unsigned int index, room = 0;
	int ret;

	site->cold_addr = 0;
	if (func->cold && ksplice_resolve_symbol(priv, func->module, func->cold,
						 &site->cold_addr))
		return -ENOENT;
	site->addr = addr + func->jump_offset;
	if (func->pre_size > func->jump_offset)
		room = min_t(unsigned long, func->pre_size - func->jump_offset,
			     UINT_MAX);
	site->size = room < KSPLICE_JUMP_SIZE ? KSPLICE_TRAP_SIZE :
						KSPLICE_JUMP_SIZE;
	if (room < site->size) {
		ksplice_set_cause(priv, KSPLICE_ABORT_TOO_SHORT, "%s", func->name);
		return -EINVAL;
	}
	if (!ksplice_arch_can_jump_at(site->addr)) {
		ksplice_set_cause(priv, KSPLICE_ABORT_ENTRY_SITE, "%s", func->name);
		return -EINVAL;
	}
	site->expect = NULL;
	site->below_start = site->below_end = 0;
	below = live_site_at(site->addr, false, &owner, &index);
	if (!ksplice_site_is_trap(site)) {
		ret = ksplice_arch_make_jump(site->jump, site->addr,
					     (unsigned long)func->new_code,
					     room, below ? below->size : 0);
		if (ret == -ENOSPC) {
			ksplice_set_cause(priv, KSPLICE_ABORT_TOO_SHORT,
					  "%s (beyond a branch's reach, and %u bytes are too few for a veneer)",
					  func->name, room);
			return -EINVAL;
		}
		if (ret == -EOPNOTSUPP) {
			ksplice_set_cause(priv, KSPLICE_ABORT_VENEER,
					  "%s (beyond a branch's reach; pseudo-NMIs or SDEI events could run its veneer half-written, and this kernel has no break hook to send them on)",
					  func->name);
			return -EOPNOTSUPP;
		}
		if (ret < 0) {
			ksplice_set_cause(priv, KSPLICE_ABORT_RELOC_RANGE, "%s", func->name);
			return -ERANGE;
		}
		site->size = ret;
	} else {
		ksplice_arch_make_trap(site->jump);
	}
	if (ksplice_text_reserved(site->addr, site->size)) {
		ksplice_set_cause(priv, KSPLICE_ABORT_ENTRY_SITE,
				  "%s (its %u bytes at +%lu hold a jump label or ftrace site, which the kernel rewrites)",
				  func->name, site->size, func->jump_offset);
		return -EINVAL;
	}
	if (below) {
		const struct ksplice_func *under = &owner->patch->funcs[index];

		/* A jump over a trap or the reverse: built otherwise. */
		if (below->size != site->size) {
			ksplice_set_cause(priv, KSPLICE_ABORT_STACKED,
					  "%s (patch %s enters it by a %u-byte site, this one by %u)",
					  func->name, owner->patch->id,
					  below->size, site->size);
			return -EINVAL;
		}
		site->expect = below->jump;
		site->below_start = (unsigned long)under->new_code;
		site->below_end = site->below_start + under->new_size;
	}
	return 0;
}

/*
 * Whether to patch function i now: on apply (module NULL), every function
 * whose module was present, and pinned, when the apply began; when a
 * module comes, that module's functions.
 */
static bool func_wanted(const struct ksplice_priv *priv, unsigned int i,
			const char *module)
{
	const struct ksplice_func *func = &priv->patch->funcs[i];

	if (module)
		return func->module && !strcmp(func->module, module);
	return !func->module || priv->pins[i];
}

/*
 * Step a: the one running copy of every wanted function (the others get
 * site address 0).  All or nothing.
 */
static int find_funcs(struct ksplice_priv *priv, const char *module)
{
	struct ksplice_patch *patch = priv->patch;
	unsigned long *addrs;
	unsigned int i;
	int ret = 0;

	addrs = kcalloc(patch->nr_funcs, sizeof(*addrs), GFP_KERNEL);
	if (!addrs)
		return -ENOMEM;
	for (i = 0; i < patch->nr_funcs && !ret; i++) {
		if (func_wanted(priv, i, module))
			ret = ksplice_find_func(priv, &patch->funcs[i],
						&addrs[i]);
	}
	if (!ret)
		ret = check_overlap(priv, addrs);
	if (!ret)
		ret = check_livepatch(priv, addrs);
	for (i = 0; i < patch->nr_funcs && !ret; i++) {
		if (addrs[i])
			ret = prepare_site(priv, i, addrs[i]);
	}
	for (i = 0; i < patch->nr_funcs && !ret; i++) {
		if (!addrs[i])
			continue;
		patch->funcs[i].old_addr = addrs[i];
	}
	for (i = 0; i < patch->nr_funcs && !ret; i++) {
		if (!addrs[i] && !priv->sites[i].live)
			priv->sites[i].addr = 0;
	}
	kfree(addrs);
	return ret;
}

/* Are the entry bytes still the pre build's?  Runs stopped. */
static bool site_matches_pre(const struct ksplice_func *func,
			     const struct ksplice_site *site)
{
	unsigned long off = site->addr - func->old_addr;
	const u8 *code = (const u8 *)site->addr;
	unsigned int i;

	for (i = 0; i < site->size; i++) {
		if (func->pre_mask && func->pre_mask[off + i])
			continue;
		if (code[i] != func->pre_bytes[off + i])
			return false;
	}
	return true;
}

struct write_ctx {
	struct ksplice_priv *priv;
	struct ksplice_stop *stop;
	struct ksplice_poke *pokes;	/* one per function, then restores */
	struct ksplice_traps *traps;	/* to publish; then the one it replaced */
	unsigned int bad;		/* function whose entry changed */
	const struct ksplice_func *bad_other;	/* ... or another patch's */
};

/* The poke of function i: bytes at its site, new code for an NMI. */
static void set_poke(struct ksplice_poke *poke, const struct ksplice_func *func,
		     const struct ksplice_site *site, const u8 *bytes)
{
	poke->addr = site->addr;
	poke->size = site->size;
	memcpy(poke->bytes, bytes, site->size);
	poke->target = (unsigned long)func->new_code;
}

/* A replace: the replaced patches' sites stop being theirs.  Runs stopped. */
static void retire_replaced(const struct ksplice_replace_plan *plan)
{
	unsigned int i, j;

	for (i = 0; i < plan->nr_olds; i++)
		for (j = 0; j < plan->olds[i]->patch->nr_funcs; j++)
			plan->olds[i]->sites[j].live = false;
}

/*
 * Called stopped, once no task is in any old function.  The entries are
 * rechecked first: something may have patched them since the run-pre
 * check (which ran without text_mutex).  Then everything is written: on
 * a replace, also the original entries of the replaced patches' sites
 * this patch does not cover, and this patch saves the original bytes
 * where it goes over their jumps, which undo will put back.
 */
static int write_jumps(void *arg)
{
	struct write_ctx *ctx = arg;
	struct ksplice_patch *patch = ctx->priv->patch;
	struct ksplice_site *sites = ctx->priv->sites;
	const struct ksplice_replace_plan *plan = ctx->priv->plan;
	unsigned int i, n = 0;

	for (i = 0; i < patch->nr_funcs; i++) {
		if (!sites[i].addr)
			continue;
		if (sites[i].expect ?
		    memcmp((void *)sites[i].addr, sites[i].expect,
			   sites[i].size) :
		    !site_matches_pre(&patch->funcs[i], &sites[i])) {
			ctx->bad = i;
			return -EINVAL;
		}
	}
	for (i = 0; plan && i < plan->nr_restores; i++) {
		if (memcmp((void *)plan->restores[i].addr, plan->expect[i],
			   plan->restores[i].size)) {
			ctx->bad_other = plan->restore_funcs[i];
			return -EINVAL;
		}
	}
	for (i = 0; i < patch->nr_funcs; i++) {
		if (!sites[i].addr)
			continue;
		memcpy(sites[i].saved,
		       plan && plan->original[i] ? plan->original[i] :
		       (const u8 *)sites[i].addr, sites[i].size);
		set_poke(&ctx->pokes[n++], &patch->funcs[i], &sites[i],
			 sites[i].jump);
		sites[i].live = true;
	}
	if (plan) {
		memcpy(&ctx->pokes[n], plan->restores,
		       plan->nr_restores * sizeof(*plan->restores));
		n += plan->nr_restores;
		retire_replaced(plan);
	}
	ksplice_stop_poke(ctx->stop, ctx->pokes, n, &ctx->traps);
	ksplice_run_hooks(patch, KSPLICE_HOOK_APPLY_STOPPED);
	return 0;
}

/* Called stopped, once no task is in the patch module: restore. */
static int restore_entries(void *arg)
{
	struct write_ctx *ctx = arg;
	struct ksplice_patch *patch = ctx->priv->patch;
	struct ksplice_site *sites = ctx->priv->sites;
	unsigned int i, n = 0;

	for (i = 0; i < patch->nr_funcs; i++) {
		if (sites[i].live && memcmp((void *)sites[i].addr,
					    sites[i].jump, sites[i].size)) {
			ctx->bad = i;
			return -EINVAL;
		}
	}
	for (i = 0; i < patch->nr_funcs; i++) {
		if (!sites[i].live)
			continue;
		set_poke(&ctx->pokes[n++], &patch->funcs[i], &sites[i],
			 sites[i].saved);
		sites[i].live = false;
	}
	ksplice_stop_poke(ctx->stop, ctx->pokes, n, &ctx->traps);
	ksplice_run_hooks(patch, KSPLICE_HOOK_UNDO_STOPPED);
	return 0;
}

/*
 * Name of the function a busy stack word points into, in buf (which has
 * KSYM_SYMBOL_LEN bytes).  On apply the ranges are the old functions, one
 * per ksplice_func.  On undo the range is the whole module text: name the
 * replacement it hit, or else the module's own symbol there (without its
 * " [module]" suffix).
 */
static void busy_name(struct ksplice_priv *priv,
		      const struct ksplice_stop *stop, bool undo, char *buf)
{
	const struct ksplice_patch *patch = priv->patch;
	unsigned long addr = stop->busy_addr;
	unsigned int i;

	if (!undo) {	/* KSPLICE_RANGES_PER_FUNC ranges per function */
		strscpy(buf,
			patch->funcs[stop->busy_range / KSPLICE_RANGES_PER_FUNC].name,
			KSYM_SYMBOL_LEN);
		return;
	}
	for (i = 0; i < patch->nr_funcs; i++) {
		unsigned long start = (unsigned long)patch->funcs[i].new_code;

		if (addr - start < patch->funcs[i].new_size) {
			strscpy(buf, patch->funcs[i].name, KSYM_SYMBOL_LEN);
			return;
		}
	}
	sprint_symbol_no_offset(buf, addr);
	buf[strcspn(buf, " ")] = '\0';
}

static void set_busy_cause(struct ksplice_priv *priv,
			   const struct ksplice_stop *stop, bool undo)
{
	char name[KSYM_SYMBOL_LEN];

	busy_name(priv, stop, undo, name);
	ksplice_set_cause(priv, KSPLICE_ABORT_BUSY, "%s (pid %d comm %s)", name,
			  stop->busy_pid, stop->busy_comm);
}

/*
 * A writable view of every site, made before the machine stops: writing
 * through it costs a store, where text_poke_kgdb() switches address
 * spaces for each of the three steps of each site.  NULL (no memory):
 * the writes go through text_poke_kgdb().
 */
static struct ksplice_text_alias *alias_sites(struct ksplice_priv *priv)
{
	struct ksplice_text_alias *alias;
	unsigned int restores = priv->plan ? priv->plan->nr_restores : 0;
	unsigned long *addrs;
	unsigned int i, n = 0;

	addrs = kcalloc(priv->patch->nr_funcs + restores, sizeof(*addrs),
			GFP_KERNEL);
	if (!addrs)
		return NULL;
	for (i = 0; i < priv->patch->nr_funcs; i++)
		if (priv->sites[i].addr)
			addrs[n++] = priv->sites[i].addr;
	for (i = 0; i < restores; i++)
		addrs[n++] = priv->plan->restores[i].addr;
	alias = n ? ksplice_alias_text(addrs, n) : NULL;
	kfree(addrs);
	return alias;
}

/*
 * Step c: try up to KSPLICE_TRIES times to find a moment when no stack
 * holds an address in ranges, and write in that moment.  Between tries
 * the busy tasks get time (50, 100, 200, 400 ms) to leave.
 */
static int run_stopped(struct ksplice_priv *priv,
		       const struct ksplice_range *ranges,
		       unsigned int nr_ranges, int (*write)(void *arg),
		       bool undo)
{
	struct write_ctx ctx = { .priv = priv };
	struct ksplice_stop *stop;
	unsigned int try;
	int ret = 0;

	stop = kzalloc(sizeof(*stop), GFP_KERNEL);
	ctx.pokes = kcalloc(priv->patch->nr_funcs +
			    (priv->plan ? priv->plan->nr_restores : 0),
			    sizeof(*ctx.pokes), GFP_KERNEL);
	if (!stop || !ctx.pokes) {
		kfree(stop);
		kfree(ctx.pokes);
		return -ENOMEM;
	}
	/* The traps as the write leaves them, published by it. */
	ctx.traps = write ? ksplice_traps_build(undo ? NULL : priv,
						undo ? priv : NULL) : NULL;
	if (IS_ERR(ctx.traps)) {
		kfree(stop);
		kfree(ctx.pokes);
		return PTR_ERR(ctx.traps);
	}
	ctx.stop = stop;
	/* Nothing to write (the scan before unload): no view to map. */
	stop->alias = write ? alias_sites(priv) : NULL;
	stop->ranges = ranges;
	stop->nr_ranges = nr_ranges;
	stop->caller = current;
	stop->write = write;
	stop->arg = &ctx;

	for (try = 0; try < KSPLICE_TRIES; try++) {
		if (try)
			msleep(KSPLICE_FIRST_WAIT_MS << (try - 1));
		priv->tries = try + 1;
		ret = ksplice_stop_once(stop);
		if (ret || !stop->busy)
			break;
	}

	if (ret) {
		/* stop_machine itself failed: nothing was written. */
	} else if (stop->busy) {
		set_busy_cause(priv, stop, undo);
		ret = -EBUSY;
	} else if (stop->write_ret) {
		const struct ksplice_func *func = ctx.bad_other ?:
			&priv->patch->funcs[ctx.bad];

		ksplice_set_cause(priv, KSPLICE_ABORT_CODE_MISMATCH, "%s (%s)", func->name,
				  ksplice_func_object(func));
		ret = stop->write_ret;
	} else {
		priv->stop_ns = stop->stop_ns;
		priv->stop_call_ns = stop->call_ns;
		priv->stop_scan_ns = stop->scan_ns;
	}
	/* The replaced table if the write published it, else the unused one. */
	ksplice_traps_free(ctx.traps);
	kfree(ctx.pokes);
	ksplice_unalias_text(stop->alias);
	kfree(stop);
	return ret;
}

/*
 * No stack may point into the old functions, their .cold parts, or the
 * new code of a patch underneath (which becomes old code too); on a
 * replace, into any code of the patches replaced, as on their undo.
 */
static int apply_stopped(struct ksplice_priv *priv)
{
	const struct ksplice_patch *patch = priv->patch;
	const unsigned int per = KSPLICE_RANGES_PER_FUNC;
	unsigned int olds = priv->plan ? priv->plan->nr_olds : 0;
	struct ksplice_range *ranges, *r;
	unsigned int i;
	int ret;

	ranges = kcalloc(per * patch->nr_funcs + olds, sizeof(*ranges),
			 GFP_KERNEL);
	if (!ranges)
		return -ENOMEM;
	for (i = 0; i < olds; i++) {
		r = &ranges[per * patch->nr_funcs + i];
		ksplice_kernel_module_text(priv->plan->olds[i]->patch->owner,
					   &r->start, &r->end);
	}
	/* What a function does not have (absent module...): an empty range. */
	for (i = 0; i < patch->nr_funcs; i++) {
		const struct ksplice_site *site = &priv->sites[i];

		if (!site->addr)
			continue;
		r = &ranges[per * i];
		r[0].start = patch->funcs[i].old_addr;
		r[0].end = r[0].start + patch->funcs[i].pre_size;
		if (site->cold_addr) {
			r[1].start = site->cold_addr;
			r[1].end = site->cold_addr + patch->funcs[i].cold_size;
		}
		r[2].start = site->below_start;
		r[2].end = site->below_end;
	}
	ret = run_stopped(priv, ranges, per * patch->nr_funcs + olds,
			  write_jumps, false);
	kfree(ranges);
	return ret;
}

static void free_plan(struct ksplice_priv *priv)
{
	struct ksplice_replace_plan *plan = priv->plan;

	if (!plan)
		return;
	kfree(plan->olds);
	kfree(plan->restores);
	kfree(plan->expect);
	kfree(plan->restore_funcs);
	kfree(plan->original);
	kfree(plan);
	priv->plan = NULL;
}

static bool covered_by(const struct ksplice_priv *priv, unsigned long addr)
{
	unsigned int i;

	for (i = 0; i < priv->patch->nr_funcs; i++)
		if (priv->sites[i].addr == addr)
			return true;
	return false;
}

/*
 * One site of a replaced patch that the new one does not cover: the
 * first patch there saved the original bytes, the topmost one's jump is
 * what must be there, and its new code is where an NMI that meets the
 * site halfway goes (it stays loaded until the write is long done).
 */
static void plan_restore(struct ksplice_replace_plan *plan, unsigned long addr)
{
	struct ksplice_site *bottom, *top;
	struct ksplice_priv *owner;
	struct ksplice_poke *poke;
	unsigned int i, index;

	for (i = 0; i < plan->nr_restores; i++)
		if (plan->restores[i].addr == addr)
			return;
	poke = &plan->restores[plan->nr_restores];
	bottom = live_site_at(addr, true, &owner, &index);
	poke->addr = addr;
	poke->size = bottom->size;
	memcpy(poke->bytes, owner->sites[index].saved, bottom->size);
	top = live_site_at(addr, false, &owner, &index);
	poke->target = (unsigned long)owner->patch->funcs[index].new_code;
	plan->expect[plan->nr_restores] = top->jump;
	plan->restore_funcs[plan->nr_restores++] = &owner->patch->funcs[index];
}

/*
 * A replacing apply: every other applied patch goes in the same stopped
 * window.  Once this patch's sites are known (find_funcs()), plan what
 * else the window writes.
 */
static int plan_replace(struct ksplice_priv *priv)
{
	struct ksplice_replace_plan *plan;
	struct ksplice_priv *other;
	unsigned int i, sites = 0;

	plan = kzalloc(sizeof(*plan), GFP_KERNEL);
	if (!plan)
		return -ENOMEM;
	priv->plan = plan;
	list_for_each_entry(other, &ksplice_patches, list) {
		if (other != priv && other->stage == KSPLICE_APPLIED) {
			plan->nr_olds++;
			sites += other->patch->nr_funcs;
		}
	}
	plan->olds = kcalloc(plan->nr_olds + 1, sizeof(*plan->olds), GFP_KERNEL);
	plan->restores = kcalloc(sites + 1, sizeof(*plan->restores), GFP_KERNEL);
	plan->expect = kcalloc(sites + 1, sizeof(*plan->expect), GFP_KERNEL);
	plan->restore_funcs = kcalloc(sites + 1, sizeof(*plan->restore_funcs),
				      GFP_KERNEL);
	plan->original = kcalloc(priv->patch->nr_funcs + 1,
				 sizeof(*plan->original), GFP_KERNEL);
	if (!plan->olds || !plan->restores || !plan->expect ||
	    !plan->restore_funcs || !plan->original)
		return -ENOMEM;
	plan->nr_olds = 0;
	list_for_each_entry(other, &ksplice_patches, list) {
		if (other == priv || other->stage != KSPLICE_APPLIED)
			continue;
		plan->olds[plan->nr_olds++] = other;
		for (i = 0; i < other->patch->nr_funcs; i++)
			if (other->sites[i].live &&
			    !covered_by(priv, other->sites[i].addr))
				plan_restore(plan, other->sites[i].addr);
	}
	for (i = 0; i < priv->patch->nr_funcs; i++)
		if (priv->sites[i].addr && priv->sites[i].expect)
			plan->original[i] = ksplice_original_entry(
				&priv->patch->funcs[i],
				priv->patch->funcs[i].old_addr, NULL, NULL);
	return 0;
}

static int do_apply(struct ksplice_priv *priv, bool replace)
{
	unsigned int ran;
	int ret;

	ret = check_func_entries(priv);
	if (ret)
		return ret;
	ret = find_funcs(priv, NULL);
	if (!ret && replace)
		ret = plan_replace(priv);
	if (ret)
		return ret;
	ret = ksplice_apply_relocs(priv, NULL);
	if (ret)
		return ret;
	/* The hooks are new code: they run once its relocations are in. */
	ret = ksplice_run_check_hooks(priv, KSPLICE_HOOK_PRE_APPLY, &ran);
	if (!ret)
		ret = apply_stopped(priv);
	/* Let the fix undo what its pre_apply hooks that ran did. */
	if (ret && ran)
		ksplice_run_hooks(priv->patch, KSPLICE_HOOK_POST_UNDO);
	return ret;
}

/*
 * A module with functions of this applied patch is coming: nothing runs
 * its code before its init, so the jumps go in without stopping the
 * machine.  Called under ksplice_mutex.
 */
int ksplice_module_coming(struct ksplice_priv *priv, const char *module)
{
	struct ksplice_patch *patch = priv->patch;
	struct ksplice_site *sites = priv->sites;
	unsigned int i;
	bool any = false;
	int ret;

	for (i = 0; i < patch->nr_funcs; i++) {
		if (!func_wanted(priv, i, module))
			continue;
		/* Applied while the module was already coming: done then. */
		if (sites[i].live)
			return 0;
		any = true;
	}
	if (!any)
		return 0;
	ret = ksplice_apply_relocs(priv, module);
	if (!ret)
		ret = find_funcs(priv, module);
	if (ret)
		return ret;
	mutex_lock(ksplice_kernel.text_mutex);
	for (i = 0; i < patch->nr_funcs; i++) {
		if (!func_wanted(priv, i, module))
			continue;
		memcpy(sites[i].saved, (void *)sites[i].addr, sites[i].size);
		ksplice_arch_write_text((void *)sites[i].addr, sites[i].jump,
					sites[i].size);
		sites[i].live = true;
	}
	mutex_unlock(ksplice_kernel.text_mutex);
	/* Nothing runs the module's code before its init: traps after. */
	return ksplice_traps_refresh();
}

/* Its module is going, and the jumps with its text. */
void ksplice_module_going(struct ksplice_priv *priv, const char *module)
{
	struct ksplice_patch *patch = priv->patch;
	unsigned int i;

	for (i = 0; i < patch->nr_funcs; i++) {
		if (!func_wanted(priv, i, module))
			continue;
		if (priv->sites[i].live)
			ksplice_traps_forget(priv->sites[i].addr);
		priv->sites[i].live = false;
		priv->sites[i].addr = 0;
		patch->funcs[i].old_addr = 0;
	}
}

/*
 * Which target modules are loaded is decided once, here, and each one
 * found is held until the apply ends: an rmmod in between would leave
 * jumps into it without their relocations.  pins[] has a slot per
 * function, then per relocation; NULL where vmlinux is the target or
 * the module is absent.
 */
static int pin_modules(struct ksplice_priv *priv)
{
	const struct ksplice_patch *patch = priv->patch;
	unsigned int i, n = patch->nr_funcs + patch->nr_relocs;

	priv->pins = kcalloc(n, sizeof(*priv->pins), GFP_KERNEL);
	if (!priv->pins)
		return -ENOMEM;
	for (i = 0; i < patch->nr_funcs; i++)
		if (patch->funcs[i].module)
			priv->pins[i] = ksplice_module_get(patch->funcs[i].module);
	for (i = 0; i < patch->nr_relocs; i++)
		if (patch->relocs[i].module)
			priv->pins[patch->nr_funcs + i] =
				ksplice_module_get(patch->relocs[i].module);
	return 0;
}

static void unpin_modules(struct ksplice_priv *priv)
{
	const struct ksplice_patch *patch = priv->patch;
	unsigned int i, n = patch->nr_funcs + patch->nr_relocs;

	for (i = 0; i < n; i++)
		if (priv->pins[i])
			module_put(priv->pins[i]);
	kfree(priv->pins);
	priv->pins = NULL;
}

/*
 * The replaced patches are undone: their modules may go (their hooks do
 * not run; the replacing patch is cumulative, state included).
 */
static void finish_replace(struct ksplice_priv *priv)
{
	unsigned int i;

	for (i = 0; i < priv->plan->nr_olds; i++) {
		struct ksplice_priv *old = priv->plan->olds[i];

		old->stage = KSPLICE_REVERSED;
		module_put(old->patch->owner);
	}
}

/*
 * The module reference is taken first: it fails once the patch module is
 * being unloaded, and while applied it keeps the new code in memory.
 */
static int apply_patch(struct ksplice_priv *priv, bool replace)
{
	int ret;

	mutex_lock(&ksplice_mutex);
	if (priv->stage == KSPLICE_APPLIED) {
		ret = -EINVAL;
		goto out;
	}
	if (!try_module_get(priv->patch->owner)) {
		ret = -ENODEV;
		goto out;
	}
	ksplice_clear_cause(priv);
	priv->tries = 0;
	ret = pin_modules(priv);
	if (!ret) {
		ret = do_apply(priv, replace);
		unpin_modules(priv);
	}
	if (!ret && priv->plan)
		finish_replace(priv);
	free_plan(priv);
	if (ret) {
		module_put(priv->patch->owner);
		goto out;
	}
	priv->stage = KSPLICE_APPLIED;
	priv->seq = ++ksplice_apply_seq;
	/* Modules that come later are patched in this order too. */
	list_move_tail(&priv->list, &ksplice_patches);
	ksplice_run_hooks(priv->patch, KSPLICE_HOOK_POST_APPLY);
out:
	mutex_unlock(&ksplice_mutex);
	return ret;
}

int ksplice_apply(struct ksplice_priv *priv)
{
	return apply_patch(priv, false);
}

/* Apply, taking the place of every other applied patch in one window. */
int ksplice_replace(struct ksplice_priv *priv)
{
	return apply_patch(priv, true);
}

/* ---- Undo ---- */

/* Last in, first out: a patch on top of one of ours must go first. */
static int check_nothing_above(struct ksplice_priv *priv)
{
	struct ksplice_priv *above;
	unsigned int i;

	for (i = 0; i < priv->patch->nr_funcs; i++) {
		if (!priv->sites[i].live)
			continue;
		above = patch_above(priv, i);
		if (above) {
			ksplice_set_cause(priv, KSPLICE_ABORT_STACKED, "%s (patch %s replaces it again; undo that first)",
					  priv->patch->funcs[i].name,
					  above->patch->id);
			return -EBUSY;
		}
	}
	return 0;
}

/*
 * Called with ksplice_mutex held.  forced: the patch module is going
 * away whatever we say (rmmod -f), so a refusing pre_undo hook is
 * overruled; the jumps must not outlive the code they lead to.
 */
static int do_undo(struct ksplice_priv *priv, bool forced)
{
	struct ksplice_range range;
	unsigned int ran;
	int ret;

	ksplice_clear_cause(priv);
	priv->tries = 0;
	ret = check_nothing_above(priv);
	if (ret)
		return ret;
	ret = ksplice_run_check_hooks(priv, KSPLICE_HOOK_PRE_UNDO, &ran);
	if (ret && !forced) {
		/* Back to applied: what the pre_undo hooks that ran did. */
		if (ran)
			ksplice_run_hooks(priv->patch, KSPLICE_HOOK_POST_APPLY);
		return ret;
	}
	/* No stack may point anywhere into the replacement code. */
	ksplice_kernel_module_text(priv->patch->owner, &range.start,
				   &range.end);
	ret = run_stopped(priv, &range, 1, restore_entries, true);
	if (ret)
		return ret;
	priv->stage = KSPLICE_REVERSED;
	ksplice_run_hooks(priv->patch, KSPLICE_HOOK_POST_UNDO);
	module_put(priv->patch->owner);
	return 0;
}

int ksplice_undo(struct ksplice_priv *priv)
{
	int ret = -EINVAL;

	mutex_lock(&ksplice_mutex);
	if (priv->stage == KSPLICE_APPLIED)
		ret = do_undo(priv, false);
	mutex_unlock(&ksplice_mutex);
	return ret;
}

/*
 * What unload waits for, each retried every KSPLICE_RETRY_MS for as long
 * as it takes: a hung rmmod beats jumps into freed memory.
 */
enum unload_wait {
	/*
	 * rmmod -f of an applied patch: its exit runs although the patch
	 * holds its module.  Undo (a patch on top must be undone first, a
	 * task must leave the new code).
	 */
	UNLOAD_UNDONE,
	/* No stack holds an address in the module's text (wait_unused()). */
	UNLOAD_UNUSED,
};

static const char *const unload_waiting[] = {
	[UNLOAD_UNDONE] = "unloaded while applied; waiting to undo it",
	[UNLOAD_UNUSED] = "waiting for its code to be unused before it is freed",
};

/* One try, under ksplice_mutex: true once there is nothing to wait for. */
static bool unload_wait_over(struct ksplice_priv *priv, enum unload_wait wait)
{
	struct ksplice_range range;

	if (wait == UNLOAD_UNDONE)
		return priv->stage != KSPLICE_APPLIED || !do_undo(priv, true);
	ksplice_kernel_module_text(priv->patch->owner, &range.start,
				   &range.end);
	return !run_stopped(priv, &range, 1, NULL, true);
}

static void unload_wait(struct ksplice_priv *priv, enum unload_wait wait)
{
	unsigned int waits = 0;
	bool over;

	for (;;) {
		mutex_lock(&ksplice_mutex);
		over = unload_wait_over(priv, wait);
		if (!over && waits++ % KSPLICE_RETRY_SAY == 0)
			pr_warn("%s: %s: %s\n", priv->patch->id,
				unload_waiting[wait], priv->cause);
		mutex_unlock(&ksplice_mutex);
		if (over)
			return;
		msleep(KSPLICE_RETRY_MS);
	}
}

/*
 * Before a patch module's memory is freed, no task may still run its
 * code.  Undo checked every stack it could see, but three kinds of task
 * it could not: the one that asked for the undo, which returns through
 * the frames of its write (new code, when the fix replaced a function on
 * the write path); a thread that has reaped itself in do_exit() and is
 * off the task list; and callbacks the new code queued with call_rcu().
 * The first two are waited out by tasks-RCU (which tracks exiting tasks
 * to the end) and a scan of every stack now, the third by rcu_barrier().
 */
static void wait_unused(struct ksplice_priv *priv)
{
	synchronize_rcu_tasks();
	rcu_barrier();
	unload_wait(priv, UNLOAD_UNUSED);
}

/* ---- Registration ---- */

static int check_func(const struct ksplice_patch *patch, unsigned int i)
{
	const struct ksplice_func *func = &patch->funcs[i];
	unsigned long start, end, code = (unsigned long)func->new_code;

	if (!func->name || !*func->name || !func->pre_bytes) {
		pr_err("%s: function %u: no name or no pre bytes\n",
		       patch->id, i);
		return -EINVAL;
	}
	ksplice_kernel_module_text(patch->owner, &start, &end);
	if (code < start || code >= end || func->new_size > end - code) {
		pr_err("%s: new code of %s lies outside the module text\n",
		       patch->id, func->name);
		return -EINVAL;
	}
	return 0;
}

static int check_patch(const struct ksplice_patch *patch)
{
	const char *release = utsname()->release;
	unsigned int i;
	int ret;

	if (patch->abi_version != KSPLICE_ABI_VERSION) {
		pr_err("patch ABI version %u, this core speaks %u\n",
		       patch->abi_version, KSPLICE_ABI_VERSION);
		return -EINVAL;
	}
	if (!patch->id || !*patch->id || strchr(patch->id, '/') ||
	    !patch->owner) {
		pr_err("patch without a valid id or owner\n");
		return -EINVAL;
	}
	if (!patch->target_release || strcmp(patch->target_release, release)) {
		pr_err("%s: built for kernel %s, running %s\n", patch->id,
		       patch->target_release ?: "(none)", release);
		return -EINVAL;
	}
	ret = ksplice_check_build_id(patch);
	if (ret)
		return ret;
	/* A fix may be hooks alone: state set at apply, put back at undo. */
	if ((patch->nr_funcs && !patch->funcs) ||
	    (!patch->nr_funcs && !patch->nr_hooks)) {
		pr_err("%s: no functions to replace and no hooks\n", patch->id);
		return -EINVAL;
	}
	for (i = 0; i < patch->nr_funcs; i++) {
		ret = check_func(patch, i);
		if (ret)
			return ret;
	}
	ret = ksplice_check_hooks(patch);
	if (ret)
		return ret;
	return ksplice_check_relocs(patch);
}

static struct ksplice_priv *find_patch(const char *id)
{
	struct ksplice_priv *priv;

	list_for_each_entry(priv, &ksplice_patches, list) {
		if (!strcmp(priv->patch->id, id))
			return priv;
	}
	return NULL;
}

void ksplice_priv_free(struct ksplice_priv *priv)
{
	kfree(priv->sites);
	kfree(priv);
}

static struct ksplice_priv *alloc_priv(struct ksplice_patch *patch)
{
	struct ksplice_priv *priv;

	priv = kzalloc(sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return NULL;
	priv->sites = kcalloc(patch->nr_funcs, sizeof(*priv->sites),
			      GFP_KERNEL);
	if (!priv->sites) {
		kfree(priv);
		return NULL;
	}
	priv->patch = patch;
	priv->stage = KSPLICE_LOADED;
	ksplice_clear_cause(priv);
	return priv;
}

int ksplice_register_patch(struct ksplice_patch *patch)
{
	struct ksplice_priv *priv;
	int ret;

	ret = check_patch(patch);
	if (ret)
		return ret;
	priv = alloc_priv(patch);
	if (!priv)
		return -ENOMEM;

	mutex_lock(&ksplice_mutex);
	if (find_patch(patch->id)) {
		pr_err("%s: a patch with this id is already loaded\n",
		       patch->id);
		ksplice_priv_free(priv);
		ret = -EEXIST;
		goto out;
	}
	/* On failure this has already freed priv. */
	ret = ksplice_sysfs_add(priv);
	if (ret)
		goto out;
	list_add_tail(&priv->list, &ksplice_patches);
	patch->core_private = priv;
out:
	mutex_unlock(&ksplice_mutex);
	return ret;
}
EXPORT_SYMBOL_GPL(ksplice_register_patch);

/*
 * Called from the patch module's exit.  It is not applied here unless the
 * module was forced out (an applied patch holds a reference on its
 * module).  The sysfs directory goes first, outside ksplice_mutex:
 * removing it waits for a running "stage" write, which takes that mutex.
 */
void ksplice_unregister_patch(struct ksplice_patch *patch)
{
	struct ksplice_priv *priv = patch->core_private;

	if (!priv)
		return;
	ksplice_sysfs_del(priv);
	unload_wait(priv, UNLOAD_UNDONE);
	if (priv->stage == KSPLICE_REVERSED)
		wait_unused(priv);

	mutex_lock(&ksplice_mutex);
	list_del(&priv->list);
	patch->core_private = NULL;
	mutex_unlock(&ksplice_mutex);

	ksplice_sysfs_put(priv);
}
EXPORT_SYMBOL_GPL(ksplice_unregister_patch);

/* ---- The core module ---- */

static int __init ksplice_init(void)
{
	int ret;

	ret = ksplice_symbols_init(kallsyms_lookup_name_addr);
	if (ret)
		return ret;
	ksplice_livepatch_init();
	ret = ksplice_arch_start();
	if (ret)
		return ret;
	ret = ksplice_sysfs_init();
	if (ret)
		goto out_arch;
	ret = ksplice_module_init();
	if (ret)
		goto out_sysfs;
	return 0;
out_sysfs:
	ksplice_sysfs_exit();
out_arch:
	ksplice_arch_stop();
	return ret;
}

/* Patch modules use our symbols, so none can be loaded at this point. */
static void __exit ksplice_exit(void)
{
	WARN_ON(!list_empty(&ksplice_patches));
	ksplice_module_exit();
	ksplice_sysfs_exit();
	ksplice_shadow_exit();
	ksplice_arch_stop();
}

module_init(ksplice_init);
module_exit(ksplice_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ksplice: rebootless kernel updates (core)");

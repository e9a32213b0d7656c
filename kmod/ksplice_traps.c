// SPDX-License-Identifier: GPL-2.0
/*
 * Entries too short for the jump.  A changed function with fewer bytes
 * than a jump before the next one starts (on -Os kernels, a bare ret, or
 * a 4-byte work function) gets a one-byte trap at its patch site instead
 * (int3 on x86).  Every entry then traps, and the architecture's trap
 * handler sends the CPU to the new code: direct calls and pointers held
 * anywhere (an ops table in read-only data, a saved callback) alike, for
 * the cost of a trap per call.  patchgen chooses a trap only where it
 * cannot replace the callers instead.
 *
 * The table of live traps is read in the trap's context, which may be an
 * NMI: without locks, under RCU.  It is built under ksplice_mutex from
 * the sites as they will be, published in the stopped window that
 * writes the traps (ksplice_arch_poke_stopped(), while its own redirect
 * covers the sites being written), and the old table is freed after a
 * grace period, which also waits for NMI handlers.
 */
#include "ksplice_internal.h"

#include <linux/err.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/sort.h>

struct ksplice_trap {
	unsigned long addr;
	unsigned long target;	/* the new code; 0 once its module went */
	unsigned long order;	/* while building: later patches win */
};

struct ksplice_traps {
	struct rcu_head rcu;
	unsigned int nr;
	struct ksplice_trap trap[];	/* sorted by addr, one per addr */
};

static struct ksplice_traps __rcu *live_traps;

static bool replaced_by(const struct ksplice_priv *top,
			const struct ksplice_priv *priv)
{
	unsigned int i;

	for (i = 0; top && top->plan && i < top->plan->nr_olds; i++)
		if (top->plan->olds[i] == priv)
			return true;
	return false;
}

/* The live traps of priv (top: the ones it is about to write). */
static unsigned int add_traps(struct ksplice_traps *traps,
			      const struct ksplice_priv *priv, bool top)
{
	unsigned int i, n = 0;

	for (i = 0; i < priv->patch->nr_funcs; i++) {
		const struct ksplice_site *site = &priv->sites[i];

		if (!ksplice_site_is_trap(site) || !(top || site->live))
			continue;
		if (traps) {
			struct ksplice_trap *t = &traps->trap[traps->nr];

			t->addr = site->addr;
			t->target = (unsigned long)priv->patch->funcs[i].new_code;
			t->order = traps->nr++;
		}
		n++;
	}
	return n;
}

static unsigned int add_all(struct ksplice_traps *traps,
			    const struct ksplice_priv *top,
			    const struct ksplice_priv *gone)
{
	const struct ksplice_priv *priv;
	unsigned int n = 0;

	/* Applied patches are listed in apply order: the topmost last. */
	list_for_each_entry(priv, &ksplice_patches, list) {
		if (priv->stage != KSPLICE_APPLIED || priv == gone ||
		    replaced_by(top, priv))
			continue;
		n += add_traps(traps, priv, false);
	}
	if (top)
		n += add_traps(traps, top, true);
	return n;
}

static int compare_traps(const void *a, const void *b)
{
	const struct ksplice_trap *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/*
 * The traps as they will be once top is applied (its traps over any
 * below them, those of the patches it replaces gone), or once gone is
 * undone.  NULL when there are none; an ERR_PTR without memory.
 */
struct ksplice_traps *ksplice_traps_build(const struct ksplice_priv *top,
					  const struct ksplice_priv *gone)
{
	struct ksplice_traps *traps;
	unsigned int n, i, kept = 0;

	lockdep_assert_held(&ksplice_mutex);
	n = add_all(NULL, top, gone);
	if (!n)
		return NULL;
	traps = kzalloc(struct_size(traps, trap, n), GFP_KERNEL);
	if (!traps)
		return ERR_PTR(-ENOMEM);
	add_all(traps, top, gone);
	sort(traps->trap, traps->nr, sizeof(traps->trap[0]), compare_traps,
	     NULL);
	/* One per site: the topmost patch's, which sorts last. */
	for (i = 0; i < traps->nr; i++) {
		if (i + 1 < traps->nr &&
		    traps->trap[i + 1].addr == traps->trap[i].addr)
			continue;
		traps->trap[kept++] = traps->trap[i];
	}
	traps->nr = kept;
	return traps;
}

/* Publishes traps; returns the table it replaces, for ksplice_traps_free(). */
struct ksplice_traps *ksplice_traps_swap(struct ksplice_traps *traps)
{
	/* Under ksplice_mutex, or stopped by a task that holds it. */
	return rcu_replace_pointer(live_traps, traps, true);
}

void ksplice_traps_free(struct ksplice_traps *traps)
{
	if (!IS_ERR_OR_NULL(traps))
		kfree_rcu(traps, rcu);
}

/* Outside a stopped window (a module came): publish the sites as they are. */
int ksplice_traps_refresh(void)
{
	struct ksplice_traps *traps = ksplice_traps_build(NULL, NULL);

	if (IS_ERR(traps))
		return PTR_ERR(traps);
	ksplice_traps_free(ksplice_traps_swap(traps));
	return 0;
}

static struct ksplice_trap *find_trap(struct ksplice_traps *traps,
				      unsigned long addr)
{
	unsigned int lo = 0, hi = traps ? traps->nr : 0, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (traps->trap[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!traps || lo == traps->nr || traps->trap[lo].addr != addr)
		return NULL;
	return &traps->trap[lo];
}

/*
 * A module went with its text, and the trap at addr with it: no memory
 * is needed to stop answering for addr, so this cannot fail.  The next
 * build leaves the entry out.
 */
void ksplice_traps_forget(unsigned long addr)
{
	struct ksplice_trap *trap;

	trap = find_trap(rcu_dereference_protected(live_traps,
			 lockdep_is_held(&ksplice_mutex)), addr);
	if (trap)
		WRITE_ONCE(trap->target, 0);
}

/* Where a trap at addr sends the CPU; 0 if it is none of ours. */
static unsigned long ksplice_trap_target(unsigned long addr)
{
	struct ksplice_trap *trap;
	unsigned long target = 0;

	rcu_read_lock();
	trap = find_trap(rcu_dereference(live_traps), addr);
	if (trap)
		target = READ_ONCE(trap->target);
	rcu_read_unlock();
	return target;
}

/*
 * The sites being written in steps (x86's int3, arm64's BRK), for an NMI
 * that meets one halfway: set only while ksplice_arch_poke_stopped()
 * writes them, by the CPU that does.
 */
static const struct ksplice_redirect *redirect;

/* The sites are known before any trap at one can be met. */
void ksplice_redirect_start(struct ksplice_redirect *r,
			    const struct ksplice_poke *pokes, unsigned int nr)
{
	r->pokes = pokes;
	r->nr = nr;
	/* Pairs with the acquire in ksplice_redirect_target(). */
	smp_store_release(&redirect, r);
}

/* After the last sync: no CPU is in a trap handler that reads r. */
void ksplice_redirect_end(void)
{
	/* After the writes, as ksplice_redirect_target() may read them. */
	smp_store_release(&redirect, NULL);
}

/*
 * Where a trap of ours at addr sends the CPU: a site being written goes
 * where it leads, the new code, as the kernel's own text_poke_bp() does;
 * else a live trap's target; 0 if it is none of ours.  Called in the
 * trap's context, which may be an NMI: no locks.
 */
unsigned long ksplice_redirect_target(unsigned long addr)
{
	const struct ksplice_redirect *r;
	unsigned int i;

	/* Pairs with the release in ksplice_redirect_start(). */
	r = smp_load_acquire(&redirect);
	for (i = 0; r && i < r->nr; i++)
		if (r->pokes[i].addr == addr)
			return r->pokes[i].target;
	return ksplice_trap_target(addr);
}

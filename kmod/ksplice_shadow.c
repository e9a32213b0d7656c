// SPDX-License-Identifier: GPL-2.0
/*
 * Shadow variables: data a fix attaches to an existing object (by its
 * address and an id of the fix's choosing), where a new struct field
 * would change a layout that cannot change live.
 */
#include "ksplice_internal.h"

#include <linux/hashtable.h>
#include <linux/module.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "ksplice_hooks.h"

struct ksplice_shadow {
	struct hlist_node node;
	struct rcu_head rcu;
	const void *obj;
	unsigned long id;
	char data[] __aligned(sizeof(long));
};

static DEFINE_HASHTABLE(shadows, 10);	/* writers under shadow_lock, readers RCU */
static DEFINE_SPINLOCK(shadow_lock);

static unsigned long shadow_key(const void *obj, unsigned long id)
{
	return (unsigned long)obj ^ id;
}

static struct ksplice_shadow *find(const void *obj, unsigned long id)
{
	struct ksplice_shadow *s;

	hash_for_each_possible_rcu(shadows, s, node, shadow_key(obj, id)) {
		if (s->obj == obj && s->id == id)
			return s;
	}
	return NULL;
}

void *ksplice_shadow_get(const void *obj, unsigned long id)
{
	struct ksplice_shadow *s;

	rcu_read_lock();
	s = find(obj, id);
	rcu_read_unlock();
	return s ? s->data : NULL;
}
EXPORT_SYMBOL_GPL(ksplice_shadow_get);

void *ksplice_shadow_get_or_alloc(const void *obj, unsigned long id,
				  size_t size, gfp_t gfp)
{
	struct ksplice_shadow *s, *new;
	unsigned long flags;

	rcu_read_lock();
	s = find(obj, id);
	rcu_read_unlock();
	if (s)
		return s->data;
	/* Allocated outside the lock, so gfp may sleep. */
	new = kzalloc(sizeof(*new) + size, gfp);
	if (!new)
		return NULL;
	new->obj = obj;
	new->id = id;
	spin_lock_irqsave(&shadow_lock, flags);
	s = find(obj, id);
	if (!s) {
		hash_add_rcu(shadows, &new->node, shadow_key(obj, id));
		s = new;
		new = NULL;
	}
	spin_unlock_irqrestore(&shadow_lock, flags);
	kfree(new);
	return s->data;
}
EXPORT_SYMBOL_GPL(ksplice_shadow_get_or_alloc);

void ksplice_shadow_free(const void *obj, unsigned long id)
{
	struct ksplice_shadow *s;
	unsigned long flags;

	spin_lock_irqsave(&shadow_lock, flags);
	s = find(obj, id);
	if (s)
		hash_del_rcu(&s->node);
	spin_unlock_irqrestore(&shadow_lock, flags);
	if (s)
		kfree_rcu(s, rcu);
}
EXPORT_SYMBOL_GPL(ksplice_shadow_free);

void ksplice_shadow_free_all(unsigned long id)
{
	struct ksplice_shadow *s;
	struct hlist_node *tmp;
	unsigned long flags;
	int bkt;

	spin_lock_irqsave(&shadow_lock, flags);
	hash_for_each_safe(shadows, bkt, tmp, s, node) {
		if (s->id != id)
			continue;
		hash_del_rcu(&s->node);
		kfree_rcu(s, rcu);
	}
	spin_unlock_irqrestore(&shadow_lock, flags);
}
EXPORT_SYMBOL_GPL(ksplice_shadow_free_all);

/* Patches are gone when the core unloads; their shadows go with it. */
void ksplice_shadow_exit(void)
{
	struct ksplice_shadow *s;
	struct hlist_node *tmp;
	int bkt;

	hash_for_each_safe(shadows, bkt, tmp, s, node) {
		hash_del(&s->node);
		kfree(s);
	}
}

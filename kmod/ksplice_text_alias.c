// SPDX-License-Identifier: GPL-2.0
/*
 * A writable view of the pages that hold the sites, mapped before the
 * machine stops (vmap() may sleep): inside the window a write is then a
 * store, not text_poke_kgdb()'s switch to another address space (x86),
 * and each of arm64's steps one aligned 32-bit store.  The same physical
 * pages, mapped writeback both ways, so the text mapping sees each store
 * at once; the architecture syncs the CPUs before they run it.
 */
#include "ksplice_internal.h"

#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/vmalloc.h>

struct ksplice_text_alias {
	void *base;			/* pages[i] at base + i * PAGE_SIZE */
	unsigned int nr;
	unsigned long page_addr[];	/* sorted text addresses of the pages */
};

static int compare_ulong(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/* The view of the nr sites at addrs, each up to KSPLICE_SITE_MAX bytes. */
struct ksplice_text_alias *ksplice_alias_text(const unsigned long *addrs,
					      unsigned int nr)
{
	struct ksplice_text_alias *alias;
	struct page **pages;
	unsigned int i, n = 0;

	alias = kmalloc(struct_size(alias, page_addr, 2 * nr), GFP_KERNEL);
	pages = kcalloc(2 * nr, sizeof(*pages), GFP_KERNEL);
	if (!alias || !pages)
		goto fail;
	/* A site may cross into the next page: x86's 5 bytes, a veneer. */
	for (i = 0; i < nr; i++) {
		alias->page_addr[n++] = addrs[i] & PAGE_MASK;
		alias->page_addr[n++] = (addrs[i] + KSPLICE_SITE_MAX - 1) &
					PAGE_MASK;
	}
	sort(alias->page_addr, n, sizeof(unsigned long), compare_ulong, NULL);
	for (i = 0, alias->nr = 0; i < n; i++) {
		if (alias->nr && alias->page_addr[alias->nr - 1] ==
				 alias->page_addr[i])
			continue;
		alias->page_addr[alias->nr] = alias->page_addr[i];
		pages[alias->nr] = ksplice_arch_text_page(alias->page_addr[i]);
		if (!pages[alias->nr])
			goto fail;
		alias->nr++;
	}
	alias->base = vmap(pages, alias->nr, VM_MAP, PAGE_KERNEL);
	if (!alias->base)
		goto fail;
	kfree(pages);
	return alias;
fail:
	kfree(pages);
	kfree(alias);
	return NULL;
}

void ksplice_unalias_text(struct ksplice_text_alias *alias)
{
	if (!alias)
		return;
	vunmap(alias->base);
	kfree(alias);
}

/* Where the byte at addr can be written, or NULL if not in the view. */
void *ksplice_alias_of(const struct ksplice_text_alias *alias, unsigned long addr)
{
	unsigned long page = addr & PAGE_MASK;
	unsigned int lo = 0, hi = alias->nr, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (alias->page_addr[mid] < page)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == alias->nr || alias->page_addr[lo] != page)
		return NULL;
	return (u8 *)alias->base + lo * PAGE_SIZE + offset_in_page(addr);
}

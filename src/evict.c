// SPDX-License-Identifier: GPL-2.0
/*
 * Eviction: move device pages back to RAM without a fault, by pfn range
 * (migrate_device_range), whichever processes map them.  Used at teardown
 * (unbind, rmmod, hot-unplug request) so that no data is lost while the
 * device is still reachable.
 */
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/migrate.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/slab.h>

#include <pseudoscopic/device.h>
#include <pseudoscopic/migrate.h>
#include <pseudoscopic/stats.h>

static unsigned long ps_evict_window(struct ps_device *ps, unsigned long first,
				     unsigned long n, unsigned long *src,
				     unsigned long *dst)
{
	unsigned long i, moved = 0;

	memset(src, 0, n * sizeof(*src));
	memset(dst, 0, n * sizeof(*dst));
	migrate_device_range(src, ps->devmem.pfn_first + first, n);
	for (i = 0; i < n; i++) {
		struct page *spage = migrate_pfn_to_page(src[i]);
		struct page *dpage;

		if (!spage || !(src[i] & MIGRATE_PFN_MIGRATE))
			continue;
		/*
		 * Teardown must not lose data and has no way to fail: wait
		 * for memory rather than give up (as the in-tree drivers do).
		 */
		dpage = alloc_page(GFP_HIGHUSER_MOVABLE | __GFP_NOFAIL);
		lock_page(dpage);
		ps_copy_from_vram(ps, dpage, spage);
		dst[i] = migrate_pfn(page_to_pfn(dpage));
		moved++;
	}
	migrate_device_pages(src, dst, n);
	migrate_device_finalize(src, dst, n);
	return moved;
}

/**
 * ps_evict_all() - move every resident page of the pool back to RAM
 * @ps: the device; no new migrations into it may start
 *
 * Context: process context; may sleep for a long time on a full pool.
 */
void ps_evict_all(struct ps_device *ps)
{
	unsigned long base, n, moved = 0;
	unsigned long *src, *dst;

	src = kcalloc(PS_WINDOW_PAGES, sizeof(*src), GFP_KERNEL | __GFP_NOFAIL);
	dst = kcalloc(PS_WINDOW_PAGES, sizeof(*dst), GFP_KERNEL | __GFP_NOFAIL);
	for (base = 0; base < ps->devmem.nr_pages; base += n) {
		n = min_t(unsigned long, PS_WINDOW_PAGES,
			  ps->devmem.nr_pages - base);
		moved += ps_evict_window(ps, base, n, src, dst);
		cond_resched();
	}
	kfree(dst);
	kfree(src);
	ps_stat_add(ps, evicted_pages, moved);
	ps_stat_add(ps, pages_to_ram, moved);
	if (moved)
		pci_info(ps->pdev, "evicted %lu pages to RAM\n", moved);
}

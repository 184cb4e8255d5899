// SPDX-License-Identifier: GPL-2.0
/*
 * Eviction: move device pages back to RAM without a fault, by pfn range
 * (migrate_device_range), whichever processes map them.  Used at teardown
 * (unbind, rmmod, hot-unplug request) so that no data is lost while the
 * device is still reachable, and to make room: least recently migrated
 * pages first, when a migration finds the pool full or when free pages
 * fall under the low watermark (a work item then evicts up to the high
 * watermark).
 */
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/migrate.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/slab.h>

#include <pseudoscopic/device.h>
#include <pseudoscopic/lost.h>
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

/**
 * ps_evict_lru() - evict the least recently migrated pages
 * @ps: the device
 * @want: pages to evict at most
 *
 * Pages taken off the LRU that cannot move right now (locked, being
 * migrated) stay in VRAM, off the LRU, until they are freed or teardown
 * evicts them.
 *
 * Context: process context; may sleep.
 * Return: the number of pages moved to RAM.
 */
unsigned long ps_evict_lru(struct ps_device *ps, unsigned long want)
{
	unsigned long moved = 0, src, dst;
	u32 idx[PS_EVICT_BATCH];
	u32 n, i;

	if (ps_device_is_lost(ps))
		return 0;
	while (moved < want) {
		n = ps_pool_lru_pop(&ps->pool, idx,
				    min_t(unsigned long, want - moved,
					  PS_EVICT_BATCH));
		if (!n)
			break;
		for (i = 0; i < n; i++)
			moved += ps_evict_window(ps, idx[i], 1, &src, &dst);
	}
	ps_stat_add(ps, evicted_pages, moved);
	ps_stat_add(ps, pages_to_ram, moved);
	return moved;
}

/**
 * ps_evict_work() - bring free pages back up to the high watermark
 * @work: &ps_device.evict_work
 *
 * Context: workqueue.
 */
void ps_evict_work(struct work_struct *work)
{
	struct ps_device *ps = container_of(work, struct ps_device, evict_work);

	while (ps_pool_nr_free(&ps->pool) < ps->pool.high_wmark)
		if (!ps_evict_lru(ps, PS_EVICT_BATCH))
			break;
}

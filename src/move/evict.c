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
#include <linux/delay.h>
#include <linux/highmem.h>
#include <linux/jiffies.h>
#include <linux/migrate.h>
#include <linux/mm.h>
#include <linux/mmdebug.h>
#include <linux/pagemap.h>
#include <linux/slab.h>

#include <pseudoscopic/copy/copy.h>
#include <pseudoscopic/core/device.h>
#include <pseudoscopic/move/evict.h>
#include <pseudoscopic/move/migrate.h>
#include <pseudoscopic/core/stats.h>
#include <pseudoscopic/move/thp.h>

/*
 * The scratch state of an eviction: pfn arrays of a window (a page each,
 * so teardown can ask for them with __GFP_NOFAIL) and a copy window, which
 * may be missing: then the CPU copies page by page.
 */
struct ps_evict_ctx {
	unsigned long *src;
	unsigned long *dst;
	struct ps_copy_window *cw;
};

static void ps_evict_ctx_free(struct ps_evict_ctx *ctx)
{
	ps_copy_window_free(ctx->cw);
	kfree(ctx->dst);
	kfree(ctx->src);
}

static int ps_evict_ctx_init(struct ps_evict_ctx *ctx, struct ps_device *ps,
			     gfp_t gfp)
{
	ctx->src = kcalloc(PS_WINDOW_PAGES, sizeof(*ctx->src), gfp);
	ctx->dst = kcalloc(PS_WINDOW_PAGES, sizeof(*ctx->dst), gfp);
	ctx->cw = ps_copy_window_alloc(ps);
	if (!ctx->src || !ctx->dst) {
		ps_evict_ctx_free(ctx);
		return -ENOMEM;
	}
	return 0;
}

/* Through the device's copy engine, or by the CPU without a window. */
static void ps_evict_copy(struct ps_device *ps, struct ps_evict_ctx *ctx,
			  struct page *dpage, struct page *spage)
{
	if (ctx->cw)
		ps_copy_window_queue(ctx->cw, dpage, spage);
	else
		ps_copy_from_vram(ps, dpage, spage);
}

/*
 * migrate_device_range() on the pages of the window that a process maps.
 * A page nobody maps holds nothing anyone can read: it is free, a
 * destination not mapped yet, a page whose data has just left, or one
 * held by a reference that outlived its process.  It is left alone:
 * migrate_device_finalize() walks the rmap of every page it was given,
 * and the anon_vma of a process that is gone is freed memory (6.12 oopses
 * in rmap_walk_anon on such a page).  A page that is mapped now and not
 * in a moment is only locked and put back: its mapping changes under its
 * lock, which the kernel takes here.
 */
static void ps_evict_collect(struct ps_device *ps, unsigned long first,
			     unsigned long n, unsigned long *src)
{
	unsigned long pfn = ps->devmem.pfn_first + first, i = 0, run;

	while (i < n) {
		for (run = 0; i + run < n &&
		     folio_mapped(page_folio(pfn_to_page(pfn + i + run)));
		     run++)
			;
		if (run)
			migrate_device_range(src + i, pfn + i, run);
		for (i += run; i < n &&
		     !folio_mapped(page_folio(pfn_to_page(pfn + i))); i++)
			;
	}
}

/*
 * Evict the @n pages from pool index @first: migrate_device_range() finds
 * whoever maps them.  The copies of the window are queued on the device's
 * copy engine (DMA when one is in use) and waited for once, before the
 * page tables change.  A 2 MiB folio needs a THP in RAM (reclaim and
 * compaction are tried); without one it stays in VRAM this time.  Eviction
 * to make room leaves it there; teardown (@must), once the window is
 * finalized and the folio unlocked, has the kernel split it through the
 * mapping it came from (ps_thp_split_device()), and the next sweep moves
 * its pages one by one.  (It used to retry the 2 MiB allocation forever,
 * holding the folio locked.)
 */
static unsigned long ps_evict_window(struct ps_device *ps, unsigned long first,
				     unsigned long n, struct ps_evict_ctx *ctx,
				     bool must)
{
	unsigned long *src = ctx->src, *dst = ctx->dst;
	unsigned long i, j, nr, moved, split = ULONG_MAX;

	memset(src, 0, n * sizeof(*src));
	memset(dst, 0, n * sizeof(*dst));
	ps_evict_collect(ps, first, n, src);
	if (ctx->cw)
		ps_copy_window_begin(ctx->cw, false);
	for (i = 0; i < n; i += nr) {
		struct page *spage = migrate_pfn_to_page(src[i]);
		struct page *dpage;

		nr = src[i] & PS_PFN_COMPOUND ? PS_WINDOW_PAGES : 1;
		if (!spage || !(src[i] & MIGRATE_PFN_MIGRATE))
			continue;
		/*
		 * migrate_device_range() also locks a page that holds nothing
		 * but is not free yet: its data has just left (a CPU fault
		 * still holds a reference), or it was the destination of a
		 * failed migration.  Moving it would copy stale data into a
		 * page nobody maps; with no destination it is only put back,
		 * and whoever holds it frees it.
		 */
		if (!ps_devmem_holds_data(&ps->devmem, spage))
			continue;
		if (nr > 1) {
			dpage = ps_thp_alloc_ram(NULL, 0, PS_THP_RECLAIM);
			/* Left in VRAM, still on the LRU: evictable next time. */
			if (!dpage) {
				split = first + i;
				continue;
			}
			for (j = 0; j < nr; j++)
				ps_evict_copy(ps, ctx,
					      folio_page(page_folio(dpage), j),
					      folio_page(page_folio(spage), j));
			dst[i] = migrate_pfn(page_to_pfn(dpage)) |
				 PS_PFN_COMPOUND;
			continue;
		}
		/*
		 * Teardown must not lose data and has no way to fail: wait
		 * for memory rather than give up (as the in-tree drivers do).
		 * Eviction to make room does not: without RAM the page stays
		 * in VRAM, on the LRU, evictable next time.
		 */
		dpage = alloc_page(GFP_HIGHUSER_MOVABLE |
				   (must ? __GFP_NOFAIL : __GFP_NOWARN));
		if (!dpage)
			continue;
		lock_page(dpage);
		ps_evict_copy(ps, ctx, dpage, spage);
		dst[i] = migrate_pfn(page_to_pfn(dpage));
	}
	if (ctx->cw)
		ps_copy_window_wait(ctx->cw);
	ps_migrate_drop_if_lost(ps, dst, n);
	migrate_device_pages(src, dst, n);
	moved = ps_migrate_came_home(ps, src, dst, n);
	migrate_device_finalize(src, dst, n);
	ps_stat_add(ps, evicted_pages, moved);
	ps_stat_add(ps, pages_to_ram, moved);
	if (must && split != ULONG_MAX) {
		if (ps_thp_split_device(ps, split, src, dst))
			pci_info(ps->pdev, "no 2 MiB of RAM for the device THP at page %lu: split it, its pages move one by one\n",
				 split);
		else
			dev_warn_ratelimited(&ps->pdev->dev, "no 2 MiB of RAM for the device THP at page %lu, and no mapping to split it through\n",
					     split);
	}
	return moved;
}

/*
 * Teardown stops waiting for pages that stay busy this long while no page
 * leaves: nothing in the driver holds a device page that long (a fault or
 * a migration holds one for a copy), so whatever does has leaked it, and
 * waiting longer would hang unbind for good.
 */
#define PS_EVICT_STUCK_TIMEOUT	(30 * HZ)

/* How many held pages teardown describes in the log when it gives up. */
#define PS_EVICT_REPORT_PAGES	4

/*
 * Describe what holds the pages teardown could not move: for each of the
 * first few allocated pages (or folios), its reference and map counts and
 * our own state, and the kernel's dump of the first one.  A page the pool
 * counts as busy that is not allocated at all would be an accounting
 * error rather than a reference: that is said too.
 */
static void ps_evict_report(struct ps_device *ps, unsigned long busy)
{
	struct ps_pool *pool = &ps->pool;
	unsigned long idx, allocated = 0, shown = 0;

	for_each_set_bit(idx, pool->allocated, pool->nr_pages) {
		struct page *page = pfn_to_page(ps->devmem.pfn_first + idx);
		struct folio *folio = page_folio(page);

		allocated++;
		if (shown == PS_EVICT_REPORT_PAGES || &folio->page != page)
			continue;
		pci_warn(ps->pdev, "held page %lu (pfn %#lx, order %u): refcount %d, mapcount %d, %s, %s, %s\n",
			 idx, page_to_pfn(page), folio_order(folio),
			 folio_ref_count(folio), folio_mapcount(folio),
			 folio_test_locked(folio) ? "locked" : "unlocked",
			 ps_devmem_holds_data(&ps->devmem, page) ?
			 "holds data" : "holds no data",
			 ps_pool_lru_contains(pool, idx) ? "evictable" :
			 "not on the LRU");
		if (!shown++)
			dump_page(page, "pseudoscopic: held at teardown");
	}
	if (allocated != busy)
		pci_warn(ps->pdev, "pool accounting: %lu pages allocated, %lu counted busy\n",
			 allocated, busy);
}

/**
 * ps_evict_all_within() - move every resident page of the pool back to RAM
 * @ps: the device; no new migrations into it may start
 * @gfp: how RAM for the pages is allocated
 * @timeout: how long to keep sweeping for busy pages, in jiffies
 *	(MAX_SCHEDULE_TIMEOUT: as long as pages keep leaving)
 *
 * migrate_device_range() skips a page it cannot lock, such as one a CPU
 * fault is bringing back at this moment, and a fault that found no RAM
 * leaves its page in VRAM.  So the pool is swept until every page is free:
 * only then can nothing read the BAR any more.  Each page that is still
 * busy is either freed by whoever holds it or moved by a later sweep.
 * Sweeping stops after @timeout, and in any case once no page has left
 * for PS_EVICT_STUCK_TIMEOUT: the pages left are then held by someone who
 * does not let go, and are described in the log.
 *
 * Context: process context; may sleep for a long time on a full pool.
 * Return: pages still in VRAM (0 once the pool is empty or the device is
 * lost).
 */
unsigned long ps_evict_all_within(struct ps_device *ps, gfp_t gfp,
				  unsigned long timeout)
{
	unsigned long base, n, moved = 0, busy, least = ULONG_MAX, warn_at;
	unsigned long deadline = jiffies + timeout, progress = jiffies;
	struct ps_evict_ctx ctx;
	unsigned int sweeps = 0;

	ps_evict_ctx_init(&ctx, ps, gfp);
	warn_at = jiffies + 10 * HZ;
	for (;;) {
		for (base = 0; base < ps->devmem.nr_pages; base += n) {
			n = min_t(unsigned long, PS_WINDOW_PAGES,
				  ps->devmem.nr_pages - base);
			moved += ps_evict_window(ps, base, n, &ctx, true);
			cond_resched();
		}
		sweeps++;
		busy = ps->pool.nr_pages - ps_pool_nr_free(&ps->pool);
		/* A lost device's pages raise SIGBUS instead (src/driver/lost.c). */
		if (!busy || ps_device_is_lost(ps))
			break;
		if (busy < least) {
			least = busy;
			progress = jiffies;
		}
		if (timeout != MAX_SCHEDULE_TIMEOUT &&
		    time_after(jiffies, deadline))
			break;
		if (time_after(jiffies, progress + PS_EVICT_STUCK_TIMEOUT)) {
			pci_err(ps->pdev, "%lu pages stayed busy for %u s with none leaving VRAM; giving up on them\n",
				busy, PS_EVICT_STUCK_TIMEOUT / HZ);
			ps_evict_report(ps, busy);
			break;
		}
		if (time_after(jiffies, warn_at)) {
			pci_warn(ps->pdev, "still waiting for %lu busy pages to leave VRAM\n",
				 busy);
			warn_at = jiffies + 10 * HZ;
		}
		msleep(min(sweeps, 100U));
	}
	ps_evict_ctx_free(&ctx);
	if (moved)
		pci_info(ps->pdev, "evicted %lu pages to RAM\n", moved);
	if (sweeps > 1)
		pci_info(ps->pdev, "%u sweeps: pages were busy during eviction\n",
			 sweeps);
	return ps_device_is_lost(ps) ? 0 : busy;
}

/**
 * ps_evict_all() - move every resident page back to RAM before unbind
 * @ps: the device; no new migrations into it may start
 *
 * Waits for busy pages as long as pages keep leaving VRAM.  Pages that
 * stay held with none leaving for PS_EVICT_STUCK_TIMEOUT are described in
 * the log and given up: the device is then marked lost for them
 * (PS_LOST_STUCK), so that a CPU touch gets SIGBUS rather than stale data
 * once the BAR is gone, and their struct pages stay until the holder lets
 * go (src/driver/lost.c).  Every page that could move has moved.
 *
 * Context: process context (remove); may sleep for a long time.
 * Return: the pages given up (0 if every page came home).
 */
unsigned long ps_evict_all(struct ps_device *ps)
{
	unsigned long held;

	held = ps_evict_all_within(ps, GFP_KERNEL | __GFP_NOFAIL,
				   MAX_SCHEDULE_TIMEOUT);
	if (held) {
		set_bit(PS_LOST_STUCK, &ps->lost_flags);
		ps_device_mark_lost(ps, "pages held at teardown");
	}
	return held;
}

/**
 * ps_evict_lru() - evict the least recently migrated pages
 * @ps: the device
 * @want: pages to evict at most
 *
 * Each page looked at goes to the young end of the LRU first
 * (ps_pool_lru_rotate()) and leaves it only when it is freed, so a page
 * that cannot move right now (locked by a migration of its own window, a
 * destination not finalized yet, a concurrent fault; or no RAM for it)
 * stays evictable, behind the others.  Every entry is looked at once at
 * most per call.
 *
 * Context: process context; may sleep.
 * Return: the number of pages moved to RAM.
 */
unsigned long ps_evict_lru(struct ps_device *ps, unsigned long want)
{
	struct ps_evict_ctx ctx;
	unsigned long moved = 0;
	u32 idx, budget;

	if (ps_device_is_lost(ps) || ps_evict_ctx_init(&ctx, ps, GFP_KERNEL))
		return 0;
	/* A snapshot: entries that do not move come round again. */
	budget = READ_ONCE(ps->pool.nr_lru);
	/* One entry at a time: an entry may be a single page or 2 MiB. */
	while (moved < want && budget-- &&
	       ps_pool_lru_rotate(&ps->pool, &idx)) {
		struct page *page = pfn_to_page(ps->devmem.pfn_first + idx);
		/* Racy if the page is being freed: then nothing moves. */
		unsigned long nr = folio_nr_pages(page_folio(page));

		if (nr == 1 || (nr == PS_WINDOW_PAGES &&
				IS_ALIGNED(idx, PS_WINDOW_PAGES)))
			moved += ps_evict_window(ps, idx, nr, &ctx, false);
	}
	ps_evict_ctx_free(&ctx);
	return moved;
}

/**
 * ps_evict_for_room() - make room for a migration into a full pool
 * @ps: the device
 * @want: pages wanted
 *
 * Evicts from the LRU; if the background worker took the LRU's pages first,
 * waits for it to finish instead of reporting a full pool.
 *
 * Context: process context, not the device's work queue; may sleep.
 * Return: true if room may have been made (the caller retries).
 */
bool ps_evict_for_room(struct ps_device *ps, unsigned long want)
{
	return ps_evict_lru(ps, want) || flush_work(&ps->evict_work);
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

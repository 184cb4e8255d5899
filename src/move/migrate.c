// SPDX-License-Identifier: GPL-2.0
/*
 * Migration of a process's pages between RAM and the pool on request
 * (PS_IOC_MIGRATE).  The range is walked in PMD-sized windows; each window
 * goes through the same phases, in order:
 *
 *   collect   migrate_vma_setup() unmaps the pages that can move
 *   allocate  a destination page for each
 *   copy      every copy of the window is queued (CPU or DMA engine)...
 *   wait      ...and completed once (a failed DMA window is redone by
 *             the CPU before anything is finalized)
 *   finalize  migrate_vma_pages() + migrate_vma_finalize() remap
 *
 * Pages that cannot move are counted by reason and left where they are.
 */
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/migrate.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <uapi/linux/pseudoscopic.h>

#include <pseudoscopic/copy/copy.h>
#include <pseudoscopic/core/device.h>
#include <pseudoscopic/core/params.h>
#include <pseudoscopic/mem/pin.h>
#include <pseudoscopic/move/evict.h>
#include <pseudoscopic/move/migrate.h>
#include <pseudoscopic/core/stats.h>
#include <pseudoscopic/move/thp.h>

/* Classify a collected entry we are not going to move. */
static void ps_skip_reason(struct ps_device *ps, struct ps_migrate *req,
			   unsigned long src, bool to_vram)
{
	struct page *page = migrate_pfn_to_page(src);

	if (!page && (src & MIGRATE_PFN_MIGRATE))
		req->skipped_absent++;		/* an empty entry */
	else if (!page && to_vram)
		/* Not collected: held (get_user_pages), busy, swapped out,
		 * or a THP that could not be split.
		 */
		req->skipped_unmovable++;
	else if (!page)
		req->skipped_elsewhere++;	/* not in VRAM, nothing to do */
	else if (!(src & MIGRATE_PFN_MIGRATE))
		req->skipped_unmovable++;
	else if (is_zone_device_page(page) && !ps_devmem_owns(ps, page))
		req->skipped_elsewhere++;	/* in another of our devices */
	else if (to_vram == ps_devmem_owns(ps, page))
		req->skipped_elsewhere++;	/* already where asked */
	else
		req->skipped_unmovable++;
}

/* A destination page for entry @i, or NULL (counted as no space). */
static struct page *ps_window_alloc(struct ps_device *ps,
				    struct migrate_vma *args, unsigned long i,
				    struct ps_migrate *req, bool to_vram)
{
	struct page *dpage;

	if (!to_vram) {
		dpage = alloc_page_vma(GFP_HIGHUSER_MOVABLE, args->vma,
				       args->start + (i << PAGE_SHIFT));
		if (dpage)
			lock_page(dpage);
		else
			req->skipped_no_space++;
		return dpage;
	}
	dpage = ps_devmem_alloc_page(ps);
	if (!dpage && !(req->flags & PS_MIGRATE_NO_EVICT) &&
	    ps_evict_for_room(ps, PS_EVICT_BATCH))
		dpage = ps_devmem_alloc_page(ps);
	if (!dpage) {
		req->skipped_no_space++;
		ps_stat_inc(ps, alloc_failures);
	}
	return dpage;
}

/*
 * Entry @i heads a whole THP (or a PMD-sized hole) of @nr pages: move it as
 * one 2 MiB folio, or page by page when no 2 MiB destination is free (the
 * kernel then splits the source in migrate_vma_pages()).
 */
static unsigned long ps_window_compound(struct ps_device *ps,
					struct migrate_vma *args,
					unsigned long i, unsigned long nr,
					struct ps_migrate *req,
					struct ps_copy_window *cw, bool to_vram)
{
	unsigned long src = args->src[i], write = src & MIGRATE_PFN_WRITE;
	unsigned long addr = args->start + (i << PAGE_SHIFT);
	struct page *spage = migrate_pfn_to_page(src), *dpage;
	struct mm_struct *mm = args->vma->vm_mm;
	struct folio *sfolio;
	unsigned long j, queued = 0;

	if (!(src & MIGRATE_PFN_MIGRATE) || !spage ||
	    (to_vram ? is_zone_device_page(spage) : !ps_devmem_owns(ps, spage))) {
		for (j = 0; j < nr; j++)
			ps_skip_reason(ps, req, src, to_vram);
		return 0;
	}
	sfolio = page_folio(spage);
	dpage = to_vram ? ps_thp_alloc_device(ps, mm, addr) :
			  ps_thp_alloc_ram(args->vma, addr, PS_THP_LIGHT);
	/* A full pool: the oldest pages make room, a whole chunk if lucky. */
	if (!dpage && to_vram && !(req->flags & PS_MIGRATE_NO_EVICT) &&
	    ps_evict_for_room(ps, nr))
		dpage = ps_thp_alloc_device(ps, mm, addr);
	if (dpage) {
		for (j = 0; j < nr; j++)
			ps_copy_window_queue(cw, folio_page(page_folio(dpage), j),
					     folio_page(sfolio, j));
		args->dst[i] = migrate_pfn(page_to_pfn(dpage)) |
			       PS_PFN_COMPOUND | write;
		return nr;
	}
	for (j = 0; j < nr; j++) {
		dpage = ps_window_alloc(ps, args, i + j, req, to_vram);
		if (!dpage) {
			if (j)
				continue;
			/* Without the first page nothing of it can move. */
			req->skipped_no_space += nr - 1;
			return 0;
		}
		ps_copy_window_queue(cw, dpage, folio_page(sfolio, j));
		args->dst[i + j] = migrate_pfn(page_to_pfn(dpage)) | write;
		queued++;
	}
	return queued;
}

/* allocate + copy (queued) for every movable entry; returns pages queued. */
static unsigned long ps_window_alloc_and_copy(struct ps_device *ps,
					      struct migrate_vma *args,
					      struct ps_migrate *req,
					      struct ps_copy_window *cw,
					      bool to_vram)
{
	unsigned long i, queued = 0;

	memset(args->dst, 0, args->npages * sizeof(*args->dst));
	if (req->flags & PS_MIGRATE_UNPIN)	/* moves nothing */
		return 0;
	for (i = 0; i < args->npages; i++) {
		unsigned long src = args->src[i];
		struct page *spage = migrate_pfn_to_page(src);
		struct page *dpage;

		if (src & PS_PFN_COMPOUND) {
			unsigned long nr = min_t(unsigned long, PS_WINDOW_PAGES,
						 args->npages - i);

			queued += ps_window_compound(ps, args, i, nr, req, cw,
						     to_vram);
			i += nr - 1;
			continue;
		}
		if (!(src & MIGRATE_PFN_MIGRATE) || !spage ||
		    (to_vram ? is_zone_device_page(spage) :
			       !ps_devmem_owns(ps, spage))) {
			/* Already here: PIN and UNPIN act in ps_window_account() */
			ps_skip_reason(ps, req, src, to_vram);
			continue;
		}
		dpage = ps_window_alloc(ps, args, i, req, to_vram);
		if (!dpage)
			continue;
		ps_copy_window_queue(cw, dpage, spage);
		args->dst[i] = migrate_pfn(page_to_pfn(dpage)) |
			       (src & MIGRATE_PFN_WRITE);
		queued++;
	}
	return queued;
}

/*
 * PIN or UNPIN a folio of @nr pages from @page, which is in this device's
 * VRAM and locked by the window.  Returns 0 or the pin's errno.
 */
static int ps_window_pin(struct ps_device *ps, struct mm_struct *mm,
			 struct page *page, unsigned long nr,
			 struct ps_migrate *req)
{
	u32 idx = ps_devmem_page_index(&ps->devmem, page);
	int ret;

	if (req->flags & PS_MIGRATE_UNPIN) {
		req->pinned += ps_unpin(ps, idx, nr);
		return 0;
	}
	ret = ps_pin(ps, mm, idx, nr);
	if (ret < 0)
		return ret;
	req->pinned += ret;
	return 0;
}

/*
 * After migrate_vma_pages(): count what really moved, put new VRAM pages
 * on the eviction LRU or pin them, and pin or unpin the pages that were
 * already there.  Returns 0 or the errno of a pin over a limit; the pages
 * of the window that could not be pinned are evictable.
 */
static int ps_window_account(struct ps_device *ps, struct migrate_vma *args,
			     struct ps_migrate *req, bool to_vram)
{
	bool pin = to_vram && (req->flags & (PS_MIGRATE_PIN | PS_MIGRATE_UNPIN));
	unsigned long i, nr;
	int err = 0;

	for (i = 0; i < args->npages; i += nr) {
		struct page *dpage = migrate_pfn_to_page(args->dst[i]);
		struct page *spage = migrate_pfn_to_page(args->src[i]);

		nr = args->dst[i] & PS_PFN_COMPOUND ? PS_WINDOW_PAGES : 1;
		if (!dpage) {
			/* Already here, still locked until finalize. */
			if (pin && !err && spage && ps_devmem_owns(ps, spage)) {
				struct folio *folio = page_folio(spage);

				err = ps_window_pin(ps, args->vma->vm_mm,
						    &folio->page,
						    folio_nr_pages(folio), req);
			}
			continue;
		}
		if (!(args->src[i] & MIGRATE_PFN_MIGRATE)) {
			/* Raced with a pin or a concurrent change. */
			req->skipped_unmovable += nr;
			continue;
		}
		req->migrated += nr;
		if (nr > 1)
			atomic64_inc(to_vram ? &ps->stats.thp_to_vram :
					       &ps->stats.thp_to_ram);
		/* Both pages are still locked: eviction cannot look yet. */
		ps_devmem_set_holds_data(&ps->devmem, to_vram ? dpage :
					 migrate_pfn_to_page(args->src[i]),
					 nr, to_vram);
		if (!to_vram)
			continue;
		/* We still hold dpage's reference: it cannot be freed yet.
		 * Pinned pages stay off the LRU, so eviction never picks them.
		 */
		if (pin && !err) {
			err = ps_window_pin(ps, args->vma->vm_mm, dpage, nr,
					    req);
			if (!err)
				continue;
		}
		ps_pool_lru_add(&ps->pool,
				ps_devmem_page_index(&ps->devmem, dpage));
	}
	return err;
}

static int ps_migrate_window(struct ps_device *ps, struct vm_area_struct *vma,
			     unsigned long start, unsigned long end,
			     unsigned long *src, unsigned long *dst,
			     struct ps_copy_window *cw, struct ps_migrate *req)
{
	bool to_vram = req->direction == PS_TO_VRAM;
	struct migrate_vma args = {
		.vma = vma,
		.start = start,
		.end = end,
		.src = src,
		.dst = dst,
		.pgmap_owner = PS_PGMAP_OWNER,
		/* Both kinds are collected so that every page can be
		 * classified; those already in place are put back untouched.
		 */
		.flags = MIGRATE_VMA_SELECT_SYSTEM |
			 MIGRATE_VMA_SELECT_DEVICE_PRIVATE | ps_thp_select(),
	};
	unsigned long npages = (end - start) >> PAGE_SHIFT;
	unsigned long before = req->migrated, queued;
	int ret;

	memset(src, 0, npages * sizeof(*src));
	/* UNPIN looks only at pages in VRAM. */
	if (req->flags & PS_MIGRATE_UNPIN)
		args.flags &= ~MIGRATE_VMA_SELECT_SYSTEM;
	ret = migrate_vma_setup(&args);			/* collect */
	if (ret) {
		req->skipped_unmovable += npages;	/* counted */
		return 0;
	}
	ps_copy_window_begin(cw, to_vram);
	queued = ps_window_alloc_and_copy(ps, &args, req, cw, to_vram);
	if (queued)
		ps_copy_window_wait(cw);		/* wait, once */
	if (queued && ps_migrate_drop_if_lost(ps, args.dst, args.npages))
		req->skipped_unmovable += queued;
	migrate_vma_pages(&args);			/* finalize */
	ret = ps_window_account(ps, &args, req, to_vram);
	migrate_vma_finalize(&args);

	ps_stats_add_pages(&ps->stats, to_vram, req->migrated - before);
	return ret;
}

/*
 * Whether a long request may go on to its next window: not once the
 * caller got a fatal signal, nor while remove() or a system sleep waits
 * for the device (they take state_lock for writing, or have marked the
 * device dead before draining its work queue).
 */
static int ps_migrate_may_go_on(struct ps_device *ps)
{
	if (fatal_signal_pending(current))
		return -EINTR;
	if (ps_device_is_lost(ps))
		return -EIO;
	if (READ_ONCE(ps->dead) || READ_ONCE(ps->suspended) ||
	    rwsem_is_contended(&ps->state_lock))
		return -EBUSY;
	return 0;
}

/**
 * ps_migrate_range() - move a range of @mm to VRAM or to RAM
 * @ps: the device
 * @mm: the address space (the caller's or a pidfd target's)
 * @req: validated request; its counters are filled in
 *
 * Long requests stop between 2 MiB windows on a fatal signal and when
 * the device is being removed or put to sleep, and let mmap()/munmap() of
 * @mm in between windows.
 *
 * Context: process context; takes mmap_read_lock(@mm), killable.
 * Return: 0 (the counters tell what moved), -ENOMEM, -EIO when the device
 * is lost, -EINTR on a fatal signal, -EBUSY when removal or system sleep
 * stopped it, -ENOSPC or -ENOMEM when a PS_MIGRATE_PIN passed the device's
 * or the caller's RLIMIT_MEMLOCK limit (the counters tell what happened
 * until then).
 */
int ps_migrate_range(struct ps_device *ps, struct mm_struct *mm,
		     struct ps_migrate *req)
{
	unsigned long addr = req->start, end = req->start + req->length;
	struct ps_copy_window *cw;
	unsigned long *src, *dst;
	int ret = 0;

	if (ps_device_is_lost(ps))
		return -EIO;

	src = kcalloc(PS_WINDOW_PAGES, sizeof(*src), GFP_KERNEL);
	dst = kcalloc(PS_WINDOW_PAGES, sizeof(*dst), GFP_KERNEL);
	cw = ps_copy_window_alloc(ps);
	if (!src || !dst || !cw) {
		ps_copy_window_free(cw);
		kfree(src);
		kfree(dst);
		return -ENOMEM;
	}

	if (mmap_read_lock_killable(mm)) {
		ret = -EINTR;
		goto out_free;
	}
	while (addr < end) {
		struct vm_area_struct *vma = find_vma(mm, addr);
		unsigned long next;

		if (!vma || vma->vm_start >= end) {
			req->skipped_absent += (end - addr) >> PAGE_SHIFT;
			break;
		}
		if (vma->vm_start > addr) {
			req->skipped_absent += (vma->vm_start - addr) >> PAGE_SHIFT;
			addr = vma->vm_start;
		}
		next = min3(end, vma->vm_end, ALIGN(addr + 1, PMD_SIZE));
		ret = ps_migrate_window(ps, vma, addr, next, src, dst, cw, req);
		/* A pin over a limit ends the request; others were counted. */
		if (ret == -ENOSPC || ret == -ENOMEM)
			break;
		ret = 0;
		addr = next;
		if (addr >= end)
			break;
		ret = ps_migrate_may_go_on(ps);
		if (ret)
			break;
		/*
		 * Between windows, let mmap()/munmap() of the target and
		 * other waiters in: the next window looks its VMA up again.
		 */
		if (mmap_lock_is_contended(mm) || need_resched()) {
			mmap_read_unlock(mm);
			cond_resched();
			if (mmap_read_lock_killable(mm)) {
				ret = -EINTR;
				goto out_free;
			}
		}
	}
	mmap_read_unlock(mm);
	/* Lost meanwhile: the window it hit was not committed. */
	if (!ret && ps_device_is_lost(ps))
		ret = -EIO;
out_free:
	ps_copy_window_free(cw);
	kfree(dst);
	kfree(src);
	return ret;
}

/* An asynchronous prefetch: the request and a reference on its mm. */
struct ps_async_migrate {
	struct work_struct work;
	struct ps_device *ps;
	struct mm_struct *mm;
	struct ps_migrate req;
};

static void ps_async_work(struct work_struct *work)
{
	struct ps_async_migrate *am =
		container_of(work, struct ps_async_migrate, work);

	ps_migrate_range(am->ps, am->mm, &am->req);
	mmput(am->mm);
	atomic_dec(&am->ps->nr_async);
	kfree(am);
}

/**
 * ps_migrate_async() - queue a prefetch (PS_TO_RAM with PS_MIGRATE_ASYNC)
 * @ps: the device
 * @mm: the address space; a reference is held until the work has run
 * @req: validated request
 *
 * The work runs on the device's workqueue, which remove() drains before
 * tearing anything down.  At most max_async requests per device are queued
 * or running: each holds its target's mm.
 *
 * Context: process context.
 * Return: 0, -EAGAIN when max_async requests are queued, or -ENOMEM.
 */
int ps_migrate_async(struct ps_device *ps, struct mm_struct *mm,
		     const struct ps_migrate *req)
{
	struct ps_async_migrate *am;

	if (atomic_inc_return(&ps->nr_async) > READ_ONCE(ps_param_max_async)) {
		atomic_dec(&ps->nr_async);
		return -EAGAIN;
	}
	am = kzalloc(sizeof(*am), GFP_KERNEL);
	if (!am) {
		atomic_dec(&ps->nr_async);
		return -ENOMEM;
	}
	INIT_WORK(&am->work, ps_async_work);
	am->ps = ps;
	am->req = *req;
	am->req.flags &= ~PS_MIGRATE_ASYNC;
	mmget(mm);
	am->mm = mm;
	queue_work(ps->wq, &am->work);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * CPU fault on a device page (dev_pagemap_ops.migrate_to_ram): bring the
 * page back to RAM, with an adaptive fault-around window
 * (src/move/fault_window.c): a fault right after the previous window of the
 * same access stream doubles that stream's window, a fault anywhere else
 * starts a new stream at one page; migration_threshold caps it.
 */
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/ktime.h>
#include <linux/migrate.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/slab.h>

#include <pseudoscopic/copy/copy.h>
#include <pseudoscopic/core/device.h>
#include <pseudoscopic/move/fault.h>
#include <pseudoscopic/move/fault_window.h>
#include <pseudoscopic/move/migrate.h>
#include <pseudoscopic/core/params.h>
#include <pseudoscopic/core/stats.h>
#include <pseudoscopic/move/thp.h>

static void ps_fault_done(struct ps_device *ps, unsigned int slot,
			  struct mm_struct *mm, unsigned long next,
			  unsigned long moved, u64 ns)
{
	s64 ema;

	ps_fault_stream_end(&ps->faults, slot, mm, next,
			    moved > 1 ? moved - 1 : 0);
	ema = atomic64_read(&ps->stats.fault_ns_ema);
	atomic64_set(&ps->stats.fault_ns_ema, ema ? ema + ((s64)ns - ema) / 8 : ns);
	ps_stats_fault_latency(&ps->stats, ns);
	ps_stat_inc(ps, cpu_faults);
}

/* The whole 2 MiB folio at entry @i into one THP; false if none is free. */
static bool ps_fault_copy_thp(struct ps_device *ps, struct vm_fault *vmf,
			      struct migrate_vma *args, unsigned long i)
{
	struct folio *sfolio = page_folio(migrate_pfn_to_page(args->src[i]));
	struct page *dpage;
	unsigned long j;

	dpage = ps_thp_alloc_ram(vmf->vma, args->start + (i << PAGE_SHIFT),
				 PS_THP_LIGHT);
	if (!dpage)
		return false;
	for (j = 0; j < PS_WINDOW_PAGES; j++)
		ps_copy_from_vram(ps, folio_page(page_folio(dpage), j),
				  folio_page(sfolio, j));
	args->dst[i] = migrate_pfn(page_to_pfn(dpage)) | PS_PFN_COMPOUND |
		       (args->src[i] & MIGRATE_PFN_WRITE);
	return true;
}

/*
 * @nr single pages from entry @i (of one folio: a THP the kernel will split
 * when no 2 MiB of RAM was free).  Returns -ENOMEM if the faulting page got
 * no RAM.
 */
static int ps_fault_copy_pages(struct ps_device *ps, struct vm_fault *vmf,
			       struct migrate_vma *args, unsigned long i,
			       unsigned long nr)
{
	struct folio *sfolio = page_folio(migrate_pfn_to_page(args->src[i]));
	unsigned long j;

	for (j = 0; j < nr; j++) {
		struct page *spage = nr > 1 ? folio_page(sfolio, j) :
				     migrate_pfn_to_page(args->src[i]);
		struct page *dpage;

		dpage = alloc_page_vma(GFP_HIGHUSER_MOVABLE, vmf->vma,
				       args->start + ((i + j) << PAGE_SHIFT));
		if (!dpage) {
			if (spage == vmf->page)
				return -ENOMEM;
			continue;
		}
		lock_page(dpage);
		ps_copy_from_vram(ps, dpage, spage);
		args->dst[i + j] = migrate_pfn(page_to_pfn(dpage)) |
				   (args->src[i] & MIGRATE_PFN_WRITE);
	}
	return 0;
}

/**
 * ps_fault_migrate_to_ram() - migrate_to_ram for one of our pages
 * @ps: the device owning vmf->page
 * @vmf: the fault; vmf->page is locked and referenced by the caller
 *
 * Context: process context, mmap lock held for read (or the VMA lock).
 * Return: 0 (the access is retried), VM_FAULT_OOM if the faulting page
 * could not get RAM, VM_FAULT_SIGBUS if migration could not start or the
 * device is lost (its data unreachable).
 */
vm_fault_t ps_fault_migrate_to_ram(struct ps_device *ps, struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	unsigned long start = vmf->address & PAGE_MASK;
	unsigned long one_src, one_dst, *src = &one_src, *dst = &one_dst;
	/* A PMD-mapped 2 MiB device folio comes back whole. */
	bool thp = PS_PFN_COMPOUND && !vmf->pte &&
		   folio_test_large(page_folio(vmf->page));
	unsigned int slot = PS_FAULT_STREAMS, hits = 0;
	unsigned long window = thp ? PS_WINDOW_PAGES :
		ps_fault_stream_begin(&ps->faults, vma->vm_mm, start,
				      ps_param_migration_threshold, &slot,
				      &hits);
	struct migrate_vma args = {
		.vma = vma,
		.pgmap_owner = PS_PGMAP_OWNER,
		.flags = MIGRATE_VMA_SELECT_DEVICE_PRIVATE,
		.fault_page = vmf->page,
	};
	unsigned long i, nr, moved;
	ktime_t t0 = ktime_get();
	vm_fault_t ret = 0;
	int copy;

	/*
	 * From here to the commit, remove() keeps the BAR mapped (it waits
	 * for this section before unmapping it).
	 */
	copy = ps_device_copy_begin();
	/* The data is unreachable: never hand out stale or zero pages. */
	if (ps_device_is_lost(ps)) {
		ret = VM_FAULT_SIGBUS;
		goto out_lost;
	}
	if (thp)
		start = ALIGN_DOWN(start, PMD_SIZE);
	args.start = start;
	args.end = min(vma->vm_end, start + (window << PAGE_SHIFT));
	/* Stay within the page table of the fault. */
	args.end = min(args.end, ALIGN(start + 1, PMD_SIZE));
	if (args.end - start > PAGE_SIZE) {
		src = kcalloc(2 * PS_WINDOW_PAGES, sizeof(*src), GFP_KERNEL);
		if (src)
			dst = src + PS_WINDOW_PAGES;
	}
	if (!src) {
		/* No memory for a window: one page (the kernel splits a THP). */
		src = &one_src;
		dst = &one_dst;
		thp = false;
		args.start = vmf->address & PAGE_MASK;
		args.end = args.start + PAGE_SIZE;
	}
	if (thp)
		args.flags |= PS_SELECT_COMPOUND;
	args.src = src;
	args.dst = dst;

	if (migrate_vma_setup(&args)) {
		ret = VM_FAULT_SIGBUS;
		goto out;
	}
	memset(dst, 0, args.npages * sizeof(*dst));
	/* Test only: widens the window in which the device can be lost. */
	if (unlikely(ps_param_test_fault_delay_ms))
		msleep(ps_param_test_fault_delay_ms);
	for (i = 0; i < args.npages; i += nr) {
		struct page *spage = migrate_pfn_to_page(src[i]);

		nr = src[i] & PS_PFN_COMPOUND ? PS_WINDOW_PAGES : 1;
		/* Pages of our other devices in the window stay put. */
		if (!spage || !(src[i] & MIGRATE_PFN_MIGRATE) ||
		    !ps_devmem_owns(ps, spage))
			continue;
		if (nr > 1 && ps_fault_copy_thp(ps, vmf, &args, i))
			continue;
		if (ps_fault_copy_pages(ps, vmf, &args, i, nr))
			ret = VM_FAULT_OOM;
	}
	/* Lost meanwhile: what was read may be all ones; commit nothing. */
	if (ps_migrate_drop_if_lost(ps, dst, args.npages))
		ret = VM_FAULT_SIGBUS;
	migrate_vma_pages(&args);
	moved = ps_migrate_came_home(ps, src, dst, args.npages);
	migrate_vma_finalize(&args);
	if (ret == VM_FAULT_SIGBUS)
		goto out_lost;

	ps_stat_add(ps, pages_to_ram, moved);
	/* A 2 MiB folio comes back whole (thp_to_ram), not by fault-around. */
	if (moved > 1 && !thp)
		ps_stat_add(ps, fault_around_pages, moved - 1);
	ps_stat_add(ps, fault_around_hits, hits);
	ps_fault_done(ps, slot, vma->vm_mm, args.end, moved,
		      ktime_to_ns(ktime_sub(ktime_get(), t0)));
out:
	ps_device_copy_end(copy);
	if (src != &one_src)
		kfree(src);
	return ret;

out_lost:
	ps_stat_inc(ps, lost_faults);
	goto out;
}

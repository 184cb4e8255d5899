// SPDX-License-Identifier: GPL-2.0
/*
 * PS_IOC_RESIDENCY: where each page of a range lives, found with
 * hmm_range_fault() in snapshot mode (no faulting, nothing moves), on
 * request the BAR offset of each page in this device's VRAM, and on request
 * which absent pages are swapped out.
 */
#include <linux/hmm.h>
#include <linux/jiffies.h>
#include <linux/migrate.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <uapi/linux/pseudoscopic.h>

#include <pseudoscopic/copy/copy.h>
#include <pseudoscopic/core/device.h>
#include <pseudoscopic/move/residency.h>
#include <pseudoscopic/mem/vram_addr.h>

static bool ps_res_invalidate(struct mmu_interval_notifier *mni,
			      const struct mmu_notifier_range *range,
			      unsigned long cur_seq)
{
	/* A snapshot only needs to notice that it must be retaken. */
	mmu_interval_set_seq(mni, cur_seq);
	return true;
}

static const struct mmu_interval_notifier_ops ps_res_ops = {
	.invalidate = ps_res_invalidate,
};

static u8 ps_res_state(struct ps_device *ps, unsigned long hpfn)
{
	struct page *page;

	if (!(hpfn & HMM_PFN_VALID))
		return PS_RES_ABSENT;
	page = hmm_pfn_to_page(hpfn);
	if (ps_devmem_owns(ps, page))
		return PS_RES_DEVICE;
	return is_zone_device_page(page) ? PS_RES_OTHER : PS_RES_RAM;
}

/*
 * Snapshot one window into @states and, if @offsets, the BAR offset of each
 * of our pages.  hmm_range_fault() takes no page references: an offset is
 * where the page was at the snapshot.
 */
static int ps_res_window(struct ps_device *ps, struct mm_struct *mm,
			 unsigned long start, unsigned long end,
			 unsigned long *pfns, u8 *states, u64 *offsets)
{
	struct mmu_interval_notifier mni;
	struct hmm_range range = {
		.notifier = &mni,
		.start = start,
		.end = end,
		.hmm_pfns = pfns,
		.dev_private_owner = PS_PGMAP_OWNER,
	};
	unsigned long timeout = jiffies + msecs_to_jiffies(1000);
	unsigned long i;
	int ret;

	ret = mmu_interval_notifier_insert(&mni, mm, start, end - start,
					   &ps_res_ops);
	if (ret)
		return ret;
	do {
		if (time_after(jiffies, timeout)) {
			ret = -EBUSY;
			break;
		}
		range.notifier_seq = mmu_interval_read_begin(&mni);
		mmap_read_lock(mm);
		ret = hmm_range_fault(&range);
		mmap_read_unlock(mm);
		if (!ret && mmu_interval_read_retry(&mni, range.notifier_seq))
			ret = -EBUSY;
	} while (ret == -EBUSY);
	mmu_interval_notifier_remove(&mni);
	if (ret)
		return ret;
	for (i = 0; i < (end - start) >> PAGE_SHIFT; i++) {
		states[i] = ps_res_state(ps, pfns[i]);
		if (!offsets)
			continue;
		offsets[i] = PS_RES_NO_OFFSET;
		if (states[i] == PS_RES_DEVICE)
			offsets[i] = ps_page_bar_offset(ps, hmm_pfn_to_page(pfns[i]));
	}
	return 0;
}

/*
 * hmm_range_fault() reports a swap entry like an empty one, and the kernel
 * exports no page-table walker to modules.  The collect phase of
 * migrate_vma_setup() is one, and tells the two apart: in an anonymous
 * mapping it marks an empty entry (or a missing page table)
 * MIGRATE_PFN_MIGRATE, so that a driver may populate it, and leaves every
 * other non-present entry that is not a device page at 0.  With every
 * destination left 0 the migration moves nothing: migrate_vma_pages()
 * skips each entry and migrate_vma_finalize() puts back any page that was
 * collected because a fault brought it in after the snapshot.  It runs
 * only over pages the snapshot found absent, so it locks no present page
 * unless it races with a fault, and never splits a huge page (an absent
 * page is never under a huge PMD).
 *
 * Anything else that leaves a non-present entry (a page the kernel is
 * migrating at this instant, a userfaultfd or guard marker) reads as
 * swapped too; Documentation/uapi.md says so.
 */
static int ps_res_swapped_run(struct vm_area_struct *vma, unsigned long start,
			      unsigned long end, unsigned long *src,
			      unsigned long *dst, u8 *states)
{
	struct migrate_vma args = {
		.vma = vma,
		.start = start,
		.end = end,
		.src = src,
		.dst = dst,
		.pgmap_owner = PS_PGMAP_OWNER,
		.flags = MIGRATE_VMA_SELECT_SYSTEM,
	};
	unsigned long i;
	int ret;

	ret = migrate_vma_setup(&args);
	if (ret)
		return ret;
	for (i = 0; i < args.npages; i++)
		if (!src[i])
			states[i] = PS_RES_SWAPPED;
	migrate_vma_pages(&args);
	migrate_vma_finalize(&args);
	return 0;
}

/*
 * Look for swapped pages among the absent ones of a window whose snapshot
 * is in @states, in anonymous private mappings only (shared memory keeps
 * its swap entries in the page cache, not the page table).  @src and @dst
 * are scratch arrays of a window's size.
 */
static int ps_res_swapped(struct mm_struct *mm, unsigned long start,
			  unsigned long end, unsigned long *src,
			  unsigned long *dst, u8 *states)
{
	unsigned long addr = start;
	int ret = 0;

	mmap_read_lock(mm);
	while (addr < end) {
		unsigned long i = (addr - start) >> PAGE_SHIFT, run_end;
		struct vm_area_struct *vma;

		if (states[i] != PS_RES_ABSENT) {
			addr += PAGE_SIZE;
			continue;
		}
		vma = find_vma(mm, addr);
		if (!vma || vma->vm_start >= end)
			break;
		if (vma->vm_start > addr) {
			addr = vma->vm_start;
			continue;
		}
		run_end = addr;
		while (run_end < min(end, vma->vm_end) &&
		       states[(run_end - start) >> PAGE_SHIFT] == PS_RES_ABSENT)
			run_end += PAGE_SIZE;
		if (vma_is_anonymous(vma)) {
			ret = ps_res_swapped_run(vma, addr, run_end, src + i,
						 dst + i, states + i);
			if (ret)
				break;
		}
		addr = run_end;
	}
	mmap_read_unlock(mm);
	return ret;
}

/**
 * ps_residency() - fill a PS_IOC_RESIDENCY request
 * @ps: the device
 * @mm: the address space
 * @req: validated request; states (and offsets with PS_RES_OFFSETS) are
 *	copied to user memory and the counters filled in (swapped pages
 *	told apart with PS_RES_SWAP)
 *
 * Context: process context.
 * Return: 0, -EFAULT for a bad states pointer, -ENOMEM, or -EBUSY if the
 * range kept changing.
 */
int ps_residency(struct ps_device *ps, struct mm_struct *mm,
		 struct ps_residency *req)
{
	u8 __user *out = u64_to_user_ptr(req->states);
	u64 __user *out_off = u64_to_user_ptr(req->offsets);
	unsigned long addr = req->start, end = req->start + req->length;
	unsigned long *pfns, *dst = NULL;
	u64 *offsets = NULL;
	u8 *states;
	int ret = 0;

	pfns = kcalloc(PS_WINDOW_PAGES, sizeof(*pfns), GFP_KERNEL);
	states = kzalloc(PS_WINDOW_PAGES, GFP_KERNEL);
	if (req->flags & PS_RES_OFFSETS)
		offsets = kcalloc(PS_WINDOW_PAGES, sizeof(*offsets),
				  GFP_KERNEL);
	if (req->flags & PS_RES_SWAP)
		dst = kcalloc(PS_WINDOW_PAGES, sizeof(*dst), GFP_KERNEL);
	if (!pfns || !states || (req->flags & PS_RES_OFFSETS && !offsets) ||
	    (req->flags & PS_RES_SWAP && !dst)) {
		ret = -ENOMEM;
		goto out;
	}
	while (addr < end) {
		unsigned long next = min(end, addr + PS_WINDOW_PAGES * PAGE_SIZE);
		unsigned long n = (next - addr) >> PAGE_SHIFT, i;

		ret = ps_res_window(ps, mm, addr, next, pfns, states, offsets);
		if (!ret && dst && memchr(states, PS_RES_ABSENT, n))
			ret = ps_res_swapped(mm, addr, next, pfns, dst, states);
		if (ret)
			break;
		for (i = 0; i < n; i++) {
			if (states[i] == PS_RES_SWAPPED)
				req->swapped++;
			else
				req->counts[states[i]]++;
		}
		if (copy_to_user(out, states, n) ||
		    (offsets && copy_to_user(out_off, offsets,
					     n * sizeof(*offsets)))) {
			ret = -EFAULT;
			break;
		}
		out += n;
		if (offsets)
			out_off += n;
		addr = next;
		cond_resched();
	}
out:
	kfree(dst);
	kfree(offsets);
	kfree(states);
	kfree(pfns);
	return ret;
}

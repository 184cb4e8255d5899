// SPDX-License-Identifier: GPL-2.0
/*
 * PS_IOC_RESIDENCY: where each page of a range lives, found with
 * hmm_range_fault() in snapshot mode (no faulting, nothing moves), and on
 * request the BAR offset of each page in this device's VRAM.
 */
#include <linux/hmm.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <uapi/linux/pseudoscopic.h>

#include <pseudoscopic/device.h>
#include <pseudoscopic/migrate.h>

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
			offsets[i] = ps->layout.offset +
				((u64)ps_devmem_page_index(&ps->devmem,
						hmm_pfn_to_page(pfns[i])) << PAGE_SHIFT);
	}
	return 0;
}

/**
 * ps_residency() - fill a PS_IOC_RESIDENCY request
 * @ps: the device
 * @mm: the address space
 * @req: validated request; states (and offsets with PS_RES_OFFSETS) are
 *	copied to user memory and the counters filled in
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
	unsigned long *pfns;
	u64 *offsets = NULL;
	u8 *states;
	int ret = 0;

	pfns = kcalloc(PS_WINDOW_PAGES, sizeof(*pfns), GFP_KERNEL);
	states = kzalloc(PS_WINDOW_PAGES, GFP_KERNEL);
	if (req->flags & PS_RES_OFFSETS)
		offsets = kcalloc(PS_WINDOW_PAGES, sizeof(*offsets),
				  GFP_KERNEL);
	if (!pfns || !states || (req->flags & PS_RES_OFFSETS && !offsets)) {
		ret = -ENOMEM;
		goto out;
	}
	while (addr < end) {
		unsigned long next = min(end, addr + PS_WINDOW_PAGES * PAGE_SIZE);
		unsigned long n = (next - addr) >> PAGE_SHIFT, i;

		ret = ps_res_window(ps, mm, addr, next, pfns, states, offsets);
		if (ret)
			break;
		for (i = 0; i < n; i++)
			req->counts[states[i]]++;
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
	kfree(offsets);
	kfree(states);
	kfree(pfns);
	return ret;
}

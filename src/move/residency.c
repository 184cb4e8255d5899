// SPDX-License-Identifier: GPL-2.0
/*
 * PS_IOC_RESIDENCY: where each page of a range lives, read from the page
 * tables the way /proc/PID/pagemap reads them, and on request the BAR
 * offset of each page in this device's VRAM.
 *
 * The query is a pure read: it takes no page lock or reference, calls no
 * MMU notifier, never faults, splits or moves anything, and so sees what
 * hmm_range_fault() cannot: pages of PROT_NONE mappings (hmm reports them
 * as errors) and swap entries (hmm reports them as empty).  The kernel
 * exports no page-table walker to modules, so the walk is done here, the
 * way GUP-fast does it: under mmap_read_lock() (the upper levels of a
 * mapping are never freed under it) and, for each page table, with
 * interrupts off while its entries are read (a PTE table can be freed
 * under mmap_read_lock(), by MADV_DONTNEED's empty-table reclaim or
 * khugepaged, but only after an RCU grace period or a TLB-flush IPI, both
 * of which wait for us).  An entry read this way is a snapshot: its page
 * may move the next instant.
 */
#include <linux/irqflags.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <uapi/linux/pseudoscopic.h>

#include <pseudoscopic/copy/copy.h>
#include <pseudoscopic/core/compat.h>
#include <pseudoscopic/core/device.h>
#include <pseudoscopic/move/residency.h>
#include <pseudoscopic/mem/vram_addr.h>

/* One window's snapshot: a state per page, and the pfn of pages that have one. */
struct ps_res_walk {
	struct ps_device *ps;
	unsigned long start;
	bool swap;
	u8 *states;
	unsigned long *pfns;
};

/* Where a page seen at @pfn is: our VRAM, another device, or RAM. */
static u8 ps_res_pfn_state(struct ps_device *ps, unsigned long pfn)
{
	struct page *page;

	if (!pfn_valid(pfn))
		return PS_RES_OTHER;
	page = pfn_to_page(pfn);
	if (ps_devmem_owns(ps, page))
		return PS_RES_DEVICE;
	return is_zone_device_page(page) ? PS_RES_OTHER : PS_RES_RAM;
}

/* Record @nr pages from @addr as present at (or in transit from) @pfn on. */
static void ps_res_fill_pfn(struct ps_res_walk *w, unsigned long addr,
			    unsigned long nr, unsigned long pfn)
{
	unsigned long i = (addr - w->start) >> PAGE_SHIFT, j;

	for (j = 0; j < nr; j++) {
		w->pfns[i + j] = pfn + j;
		w->states[i + j] = ps_res_pfn_state(w->ps, pfn + j);
	}
}

/* A non-present entry mapping @nr pages from @addr. */
static void ps_res_leaf(struct ps_res_walk *w, unsigned long addr,
			unsigned long nr, enum ps_leaf kind, unsigned long pfn)
{
	if (kind == PS_LEAF_PFN)
		ps_res_fill_pfn(w, addr, nr, pfn);
	else if (kind == PS_LEAF_SWAP && w->swap)
		memset(w->states + ((addr - w->start) >> PAGE_SHIFT),
		       PS_RES_SWAPPED, nr);
	/* else: left PS_RES_ABSENT (markers; swap without PS_RES_SWAP) */
}

/* The page @addr is of the 2 MiB (or 1 GiB) entry mapping it. */
#define ps_res_sub(addr, mask)	(((addr) & ~(mask)) >> PAGE_SHIFT)

/* The PTEs of one page table, from the PMD value @pmd read with IRQs off. */
static void ps_res_ptes(struct ps_res_walk *w, pmd_t pmd, unsigned long addr,
			unsigned long end)
{
	pte_t *ptep = pte_offset_kernel(&pmd, addr);

	for (; addr < end; addr += PAGE_SIZE, ptep++) {
		pte_t pte = ptep_get_lockless(ptep);
		unsigned long pfn = 0;
		enum ps_leaf kind;

		if (pte_none(pte))
			continue;
		if (pte_present(pte)) {
			ps_res_fill_pfn(w, addr, 1, pte_pfn(pte));
			continue;
		}
		kind = ps_pte_leaf(pte, &pfn);
		ps_res_leaf(w, addr, 1, kind, pfn);
	}
}

/* One PMD entry @pmd, read with IRQs off, mapping [addr, end). */
static void ps_res_pmd(struct ps_res_walk *w, pmd_t pmd, unsigned long addr,
		       unsigned long end)
{
	unsigned long nr = (end - addr) >> PAGE_SHIFT, pfn = 0;
	enum ps_leaf kind;

	if (pmd_none(pmd))
		return;
	if (!pmd_present(pmd)) {	/* a THP in transit, or in VRAM */
		kind = ps_pmd_leaf(pmd, &pfn);
		ps_res_leaf(w, addr, nr, kind, pfn + ps_res_sub(addr, PMD_MASK));
	} else if (pmd_leaf(pmd)) {	/* also PROT_NONE: the PSE bit stays */
		ps_res_fill_pfn(w, addr, nr,
				pmd_pfn(pmd) + ps_res_sub(addr, PMD_MASK));
	} else if (!pmd_bad(pmd)) {
		ps_res_ptes(w, pmd, addr, end);
	}
}

static void ps_res_pmds(struct ps_res_walk *w, pud_t pud, unsigned long addr,
			unsigned long end)
{
	pmd_t *pmdp = pmd_offset(&pud, addr);
	unsigned long next, flags;

	do {
		next = pmd_addr_end(addr, end);
		/* Like GUP-fast: the table cannot be freed while IRQs are off. */
		local_irq_save(flags);
		ps_res_pmd(w, pmdp_get_lockless(pmdp), addr, next);
		local_irq_restore(flags);
	} while (pmdp++, addr = next, addr != end);
}

static void ps_res_puds(struct ps_res_walk *w, p4d_t *p4dp, unsigned long addr,
			unsigned long end)
{
	pud_t *pudp = pud_offset(p4dp, addr);
	unsigned long next;

	do {
		pud_t pud = READ_ONCE(*pudp);

		next = pud_addr_end(addr, end);
		if (pud_none(pud) || !pud_present(pud))
			continue;
		if (pud_leaf(pud))
			ps_res_fill_pfn(w, addr, (next - addr) >> PAGE_SHIFT,
					pud_pfn(pud) + ps_res_sub(addr, PUD_MASK));
		else if (!pud_bad(pud))
			ps_res_pmds(w, pud, addr, next);
	} while (pudp++, addr = next, addr != end);
}

/* One mapping's part [addr, end) of the window. */
static void ps_res_walk_range(struct ps_res_walk *w, struct mm_struct *mm,
			      unsigned long addr, unsigned long end)
{
	pgd_t *pgdp = pgd_offset(mm, addr);
	unsigned long next;

	do {
		unsigned long p4d_next, a = addr;
		p4d_t *p4dp;

		next = pgd_addr_end(addr, end);
		if (pgd_none(*pgdp) || pgd_bad(*pgdp))
			continue;
		p4dp = p4d_offset(pgdp, addr);
		do {
			p4d_next = p4d_addr_end(a, next);
			if (!p4d_none(*p4dp) && !p4d_bad(*p4dp))
				ps_res_puds(w, p4dp, a, p4d_next);
		} while (p4dp++, a = p4d_next, a != next);
	} while (pgdp++, addr = next, addr != end);
}

/*
 * Snapshot one window [start, end) into w->states and w->pfns.  Holes
 * between mappings and VM_IO/VM_PFNMAP mappings (no pages of their own)
 * read as absent.
 */
static int ps_res_window(struct ps_res_walk *w, struct mm_struct *mm,
			 unsigned long end)
{
	unsigned long addr = w->start, n = (end - w->start) >> PAGE_SHIFT;

	memset(w->states, PS_RES_ABSENT, n);
	memset(w->pfns, 0, n * sizeof(*w->pfns));
	if (mmap_read_lock_killable(mm))
		return -EINTR;
	while (addr < end) {
		struct vm_area_struct *vma = find_vma(mm, addr);
		unsigned long vend;

		if (!vma || vma->vm_start >= end)
			break;
		addr = max(addr, vma->vm_start);
		vend = min(end, vma->vm_end);
		if (!(vma->vm_flags & (VM_IO | VM_PFNMAP)))
			ps_res_walk_range(w, mm, addr, vend);
		addr = vend;
	}
	mmap_read_unlock(mm);
	return 0;
}

/**
 * ps_residency() - fill a PS_IOC_RESIDENCY request
 * @ps: the device
 * @mm: the address space
 * @req: validated request; states (and offsets with PS_RES_OFFSETS) are
 *	copied to user memory and the counters filled in (swapped pages
 *	told apart with PS_RES_SWAP)
 *
 * A pure read of @mm's page tables: nothing is faulted, locked, split,
 * moved or invalidated.
 *
 * Context: process context; takes mmap_read_lock(@mm), killable.
 * Return: 0, -EFAULT for a bad states or offsets pointer, -ENOMEM, or
 * -EINTR on a fatal signal.
 */
int ps_residency(struct ps_device *ps, struct mm_struct *mm,
		 struct ps_residency *req)
{
	u8 __user *out = u64_to_user_ptr(req->states);
	u64 __user *out_off = u64_to_user_ptr(req->offsets);
	unsigned long addr = req->start, end = req->start + req->length;
	struct ps_res_walk w = {
		.ps = ps,
		.swap = req->flags & PS_RES_SWAP,
	};
	u64 *offsets = NULL;
	int ret = 0;

	w.pfns = kcalloc(PS_WINDOW_PAGES, sizeof(*w.pfns), GFP_KERNEL);
	w.states = kzalloc(PS_WINDOW_PAGES, GFP_KERNEL);
	if (req->flags & PS_RES_OFFSETS)
		offsets = kcalloc(PS_WINDOW_PAGES, sizeof(*offsets),
				  GFP_KERNEL);
	if (!w.pfns || !w.states || (req->flags & PS_RES_OFFSETS && !offsets)) {
		ret = -ENOMEM;
		goto out;
	}
	while (addr < end) {
		unsigned long next = min(end, addr + PS_WINDOW_PAGES * PAGE_SIZE);
		unsigned long n = (next - addr) >> PAGE_SHIFT, i;

		w.start = addr;
		ret = ps_res_window(&w, mm, next);
		if (ret)
			break;
		for (i = 0; i < n; i++) {
			if (w.states[i] == PS_RES_SWAPPED)
				req->swapped++;
			else
				req->counts[w.states[i]]++;
			if (!offsets)
				continue;
			offsets[i] = PS_RES_NO_OFFSET;
			if (w.states[i] == PS_RES_DEVICE)
				offsets[i] = ps_page_bar_offset(ps,
								pfn_to_page(w.pfns[i]));
		}
		if (copy_to_user(out, w.states, n) ||
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
	kfree(w.states);
	kfree(w.pfns);
	return ret;
}

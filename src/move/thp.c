// SPDX-License-Identifier: GPL-2.0
/*
 * Compound (2 MiB) folios on both sides of a migration, where the kernel
 * supports device-private THP (PS_DEVICE_THP, see compat.h).
 *
 * A PMD-mapped THP moves to VRAM as one 2 MiB device folio taken from a
 * whole pool chunk, and comes back as one THP on a CPU fault, a request or
 * eviction: one page-table entry each way instead of 512, and the process
 * keeps its huge mapping.  When no whole chunk (or no 2 MiB of RAM) is
 * free, the caller falls back to single pages and the kernel splits the
 * source folio.  The kernel may also split a device folio later (a partial
 * munmap or mprotect): the folio_split callback then gives each new folio
 * its pagemap and, if the head was evictable, a place on the LRU.
 */
#include <linux/gfp.h>
#include <linux/memremap.h>
#include <linux/migrate.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/moduleparam.h>
#include <linux/pagemap.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>

#include <pseudoscopic/core/compat.h>
#include <pseudoscopic/core/device.h>
#include <pseudoscopic/move/migrate.h>
#include <pseudoscopic/move/thp.h>

bool ps_param_device_thp = true;
module_param_named(device_thp, ps_param_device_thp, bool, 0444);
MODULE_PARM_DESC(device_thp,
		 "Move 2 MiB THPs as compound device folios where the kernel supports device-private THP (default: yes)");

/* Test hook (debugfs inject_thp_fail): 2 MiB RAM allocations to fail. */
atomic_t ps_thp_fail_ram = ATOMIC_INIT(0);

#ifdef PS_DEVICE_THP
/**
 * ps_thp_alloc_device() - a 2 MiB device folio from a whole pool chunk
 * @ps: the device
 * @mm: the address space whose THP will move into it
 * @addr: where in @mm
 *
 * @mm and @addr are kept as the chunk's home (&ps_devmem.thp_home), the
 * mapping teardown splits the folio through if it finds no 2 MiB of RAM.
 *
 * Context: process context.
 * Return: the folio's head page, referenced and locked, or NULL if no
 * whole chunk is free.
 */
struct page *ps_thp_alloc_device(struct ps_device *ps, struct mm_struct *mm,
				 unsigned long addr)
{
	struct ps_devmem_thp_home *home;
	struct folio *folio;
	u32 first;

	if (ps_pool_alloc_chunk(&ps->pool, &first))
		return NULL;
	home = &ps->devmem.thp_home[first / PS_CHUNK_PAGES];
	WRITE_ONCE(home->mm, mm);
	WRITE_ONCE(home->addr, addr);
	folio = page_folio(pfn_to_page(ps->devmem.pfn_first + first));
	zone_device_folio_init(folio, &ps->devmem.pagemap, HPAGE_PMD_ORDER);
	return &folio->page;
}

/* A reference on @mm if a task still runs in it (@mm is only compared). */
static struct mm_struct *ps_thp_find_mm(struct mm_struct *mm)
{
	struct task_struct *g, *t, *found = NULL;

	rcu_read_lock();
	for_each_process_thread(g, t) {
		if (READ_ONCE(t->mm) == mm) {
			found = t;
			get_task_struct(found);
			break;
		}
	}
	rcu_read_unlock();
	if (!found)
		return NULL;
	mm = get_task_mm(found);
	put_task_struct(found);
	return mm;
}

/**
 * ps_thp_split_device() - split a resident device folio through its mapping
 * @ps: the device
 * @first: pool index of the folio's head
 * @src: scratch array of PS_WINDOW_PAGES entries
 * @dst: another one
 *
 * Eviction by pfn cannot split a device folio (migrate_device_pages()
 * needs a mapping to split one), and teardown may find no 2 MiB of RAM
 * for it.  A migration without MIGRATE_VMA_SELECT_COMPOUND over the
 * folio's home (the mapping it was filled from, if its process still runs
 * and the folio is still there) makes the kernel split it; nothing moves
 * (no destinations), and its 512 pages are then evicted one by one.
 *
 * Context: process context, no page of the folio locked by the caller.
 * Return: true if the folio at @first is no longer a 2 MiB folio.
 */
bool ps_thp_split_device(struct ps_device *ps, u32 first, unsigned long *src,
			 unsigned long *dst)
{
	struct ps_devmem_thp_home *home =
		&ps->devmem.thp_home[first / PS_CHUNK_PAGES];
	unsigned long addr = READ_ONCE(home->addr);
	struct migrate_vma args = {
		.start = addr,
		.end = addr + PMD_SIZE,
		.src = src,
		.dst = dst,
		.pgmap_owner = PS_PGMAP_OWNER,
		.flags = MIGRATE_VMA_SELECT_DEVICE_PRIVATE,
	};
	struct mm_struct *mm = ps_thp_find_mm(READ_ONCE(home->mm));

	if (mm) {
		mmap_read_lock(mm);
		args.vma = vma_lookup(mm, addr);
		if (args.vma && vma_is_anonymous(args.vma) &&
		    IS_ALIGNED(addr, PMD_SIZE) && args.end <= args.vma->vm_end &&
		    !migrate_vma_setup(&args))
			migrate_vma_finalize(&args);
		mmap_read_unlock(mm);
		mmput(mm);
	}
	return !folio_test_large(page_folio(pfn_to_page(ps->devmem.pfn_first +
							first)));
}

/**
 * ps_thp_alloc_ram() - a THP in RAM to bring a device folio back into
 * @vma: the mapping it will appear in (NULL for eviction by pfn)
 * @addr: its address in @vma
 * @how: PS_THP_LIGHT where a split is the fallback (faults, requests: no
 *	reclaim), PS_THP_RECLAIM for eviction, to make room and at teardown
 *	(reclaim and compaction, may fail: teardown then splits the device
 *	folio through its mapping, ps_thp_split_device())
 *
 * Context: process context; may sleep.
 * Return: the head page, locked, or NULL.
 */
struct page *ps_thp_alloc_ram(struct vm_area_struct *vma, unsigned long addr,
			      enum ps_thp_alloc how)
{
	gfp_t gfp = GFP_TRANSHUGE_LIGHT | __GFP_NOWARN;
	struct folio *folio;

	if (how != PS_THP_LIGHT)
		gfp = GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_NOWARN |
		      __GFP_RETRY_MAYFAIL;
	/* As fragmented RAM would: the tests' way to get no 2 MiB. */
	if (atomic_add_unless(&ps_thp_fail_ram, -1, 0))
		return NULL;
	folio = vma ? vma_alloc_folio(gfp, HPAGE_PMD_ORDER, vma, addr) :
		      folio_alloc(gfp, HPAGE_PMD_ORDER);
	if (!folio)
		return NULL;
	folio_lock(folio);
	return &folio->page;
}
#endif /* PS_DEVICE_THP */

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
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/pagemap.h>

#include <pseudoscopic/core/compat.h>
#include <pseudoscopic/core/device.h>
#include <pseudoscopic/move/thp.h>

bool ps_param_device_thp = true;
module_param_named(device_thp, ps_param_device_thp, bool, 0444);
MODULE_PARM_DESC(device_thp,
		 "Move 2 MiB THPs as compound device folios where the kernel supports device-private THP (default: yes)");

#ifdef PS_DEVICE_THP
/**
 * ps_thp_alloc_device() - a 2 MiB device folio from a whole pool chunk
 * @ps: the device
 *
 * Context: process context.
 * Return: the folio's head page, referenced and locked, or NULL if no
 * whole chunk is free.
 */
struct page *ps_thp_alloc_device(struct ps_device *ps)
{
	struct folio *folio;
	u32 first;

	if (ps_pool_alloc_chunk(&ps->pool, &first))
		return NULL;
	folio = page_folio(pfn_to_page(ps->devmem.pfn_first + first));
	zone_device_folio_init(folio, &ps->devmem.pagemap, HPAGE_PMD_ORDER);
	return &folio->page;
}

/**
 * ps_thp_alloc_ram() - a THP in RAM to bring a device folio back into
 * @vma: the mapping it will appear in (NULL for eviction by pfn)
 * @addr: its address in @vma
 * @how: PS_THP_LIGHT where a split is the fallback (faults, requests: no
 *	reclaim), PS_THP_RECLAIM to make room in the pool (reclaim and
 *	compaction, may fail), PS_THP_MUST at teardown (keep trying, sleeping
 *	in between: no data may be lost, and a device folio cannot be split
 *	without a mapping to split)
 *
 * Context: process context; may sleep.
 * Return: the head page, locked, or NULL (never with PS_THP_MUST).
 */
struct page *ps_thp_alloc_ram(struct vm_area_struct *vma, unsigned long addr,
			      enum ps_thp_alloc how)
{
	gfp_t gfp = GFP_TRANSHUGE_LIGHT | __GFP_NOWARN;
	struct folio *folio;
	unsigned int tries = 0;

	if (how != PS_THP_LIGHT)
		gfp = GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_NOWARN |
		      __GFP_RETRY_MAYFAIL;
	for (;;) {
		folio = vma ? vma_alloc_folio(gfp, HPAGE_PMD_ORDER, vma, addr) :
			      folio_alloc(gfp, HPAGE_PMD_ORDER);
		if (folio || how != PS_THP_MUST)
			break;
		if (++tries == 50)
			pr_warn(PS_DRV_NAME ": still looking for 2 MiB of RAM to evict a device THP\n");
		msleep(20);
	}
	if (!folio)
		return NULL;
	folio_lock(folio);
	return &folio->page;
}
#endif /* PS_DEVICE_THP */

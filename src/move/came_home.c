// SPDX-License-Identifier: GPL-2.0
/*
 * Accounting shared by every path that brings data out of VRAM (CPU
 * faults, eviction): device pages whose data left no longer hold any.
 */
#include <linux/migrate.h>
#include <linux/mm.h>

#include <pseudoscopic/core/compat.h>
#include <pseudoscopic/copy/copy.h>
#include <pseudoscopic/core/device.h>
#include <pseudoscopic/mem/devmem.h>
#include <pseudoscopic/move/migrate.h>
#include <pseudoscopic/core/stats.h>

/**
 * ps_migrate_came_home() - account for device pages whose data left VRAM
 * @ps: the device
 * @src: source pfns after migrate_vma_pages() or migrate_device_pages()
 * @dst: destination pfns (RAM)
 * @npages: entries
 *
 * An entry with a destination whose MIGRATE flag survived has moved: its
 * device page(s) hold no data any more.  That is recorded while they are
 * still locked (before finalize), so eviction never moves them again; a
 * whole 2 MiB folio counts in thp_to_ram.  Used by CPU faults and
 * eviction; requests account in ps_window_account().
 *
 * Context: between migrate_*_pages() and migrate_*_finalize().
 * Return: the pages moved.
 */
unsigned long ps_migrate_came_home(struct ps_device *ps,
				   const unsigned long *src,
				   const unsigned long *dst,
				   unsigned long npages)
{
	unsigned long i, nr, moved = 0;

	for (i = 0; i < npages; i += nr) {
		nr = dst[i] & PS_PFN_COMPOUND ? PS_WINDOW_PAGES : 1;
		if (!dst[i] || !(src[i] & MIGRATE_PFN_MIGRATE))
			continue;
		ps_devmem_set_holds_data(&ps->devmem,
					 migrate_pfn_to_page(src[i]), nr, false);
		if (nr > 1)
			ps_stat_inc(ps, thp_to_ram);
		moved += nr;
	}
	return moved;
}

/**
 * ps_migrate_drop_if_lost() - drop every destination if the device is lost
 * @ps: the device
 * @dst: destination pfns of a window whose copies are done
 * @npages: entries
 *
 * The last look at the lost flag before a migration is committed.  A
 * device found gone after the copies began may have read back all ones
 * (a PCIe device that vanished) or, for a copy to VRAM, have written to
 * memory that can no longer be read: either way nothing is committed.
 * Each destination is unlocked and freed, so migrate_*_pages() leaves
 * every source where it was: RAM stays RAM, a device page stays mapped and
 * raises SIGBUS when touched.
 *
 * Context: after the copies (waited for), before migrate_*_pages().
 * Return: true if the destinations were dropped.
 */
bool ps_migrate_drop_if_lost(struct ps_device *ps, unsigned long *dst,
			     unsigned long npages)
{
	unsigned long i;

	/*
	 * The copies' loads (MOVNTDQA from write-combined memory is weakly
	 * ordered) before the flag: data read after the device was marked
	 * lost then finds the flag set.
	 */
	rmb();
	if (!ps_device_is_lost(ps))
		return false;
	for (i = 0; i < npages; i++) {
		struct page *dpage = migrate_pfn_to_page(dst[i]);

		if (!dpage)
			continue;
		folio_unlock(page_folio(dpage));
		folio_put(page_folio(dpage));
		dst[i] = 0;
	}
	return true;
}

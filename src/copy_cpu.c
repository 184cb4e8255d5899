// SPDX-License-Identifier: GPL-2.0
/*
 * The CPU copy engine: page copies between RAM and the pool through the
 * write-combined BAR mapping.  Copies are queued (issued) one by one and
 * completed together by ps_copy_wait(), so a migration window pays for one
 * fence.
 */
#include <linux/highmem.h>
#include <linux/io.h>

#include <pseudoscopic/device.h>
#include <pseudoscopic/migrate.h>

static void __iomem *ps_page_vram(struct ps_device *ps, struct page *page)
{
	u64 idx = ps_devmem_page_index(&ps->devmem, page);

	return ps->bar.vaddr + ps->layout.offset + (idx << PAGE_SHIFT);
}

/**
 * ps_copy_to_vram() - queue a copy of a RAM page into a device page
 * @ps: the device
 * @dpage: destination, one of @ps's device pages
 * @spage: source page in RAM
 *
 * Context: process context.
 */
void ps_copy_to_vram(struct ps_device *ps, struct page *dpage,
		     struct page *spage)
{
	void *src = kmap_local_page(spage);

	memcpy_toio(ps_page_vram(ps, dpage), src, PAGE_SIZE);
	kunmap_local(src);
}

/**
 * ps_copy_from_vram() - copy a device page into a RAM page
 * @ps: the device
 * @dpage: destination page in RAM
 * @spage: source, one of @ps's device pages
 *
 * Reads are synchronous: the data is in @dpage on return.
 *
 * Context: process context.
 */
void ps_copy_from_vram(struct ps_device *ps, struct page *dpage,
		       struct page *spage)
{
	void *dst = kmap_local_page(dpage);

	memcpy_fromio(dst, ps_page_vram(ps, spage), PAGE_SIZE);
	kunmap_local(dst);
}

/**
 * ps_copy_wait() - complete every queued copy to VRAM
 * @ps: the device
 *
 * Context: process context.
 */
void ps_copy_wait(struct ps_device *ps)
{
	wmb();	/* drain the write-combining buffers to the device */
}

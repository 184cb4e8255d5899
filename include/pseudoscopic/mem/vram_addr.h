/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PS_VRAM_ADDR_H
#define PS_VRAM_ADDR_H

#include <linux/mm.h>
#include <linux/types.h>

#include <pseudoscopic/core/device.h>

/*
 * Where a device page's data lives.  Device page i of the pool holds its
 * data at pool offset i * PAGE_SIZE, which is BAR offset layout.offset +
 * i * PAGE_SIZE.  The memory layer owns that mapping; the copy engines,
 * residency queries and benchmarks above it ask here.
 */

/**
 * ps_page_pool_offset() - offset of a device page's data in the pool
 * @ps: the device
 * @page: one of @ps's device pages
 *
 * Return: the offset in bytes (64-bit: pools can exceed 4 GiB).
 */
static inline u64 ps_page_pool_offset(const struct ps_device *ps,
				      const struct page *page)
{
	return (u64)ps_devmem_page_index(&ps->devmem, page) << PAGE_SHIFT;
}

/**
 * ps_page_bar_offset() - offset of a device page's data in the BAR
 * @ps: the device
 * @page: one of @ps's device pages
 *
 * Return: the offset in bytes from the start of the BAR.
 */
static inline u64 ps_page_bar_offset(const struct ps_device *ps,
				     const struct page *page)
{
	return ps->layout.offset + ps_page_pool_offset(ps, page);
}

/**
 * ps_page_vram() - the kernel mapping of a device page's data
 * @ps: the device; its BAR is mapped
 * @page: one of @ps's device pages
 *
 * Return: the write-combining mapping of the page's 4 KiB in VRAM.
 */
static inline void __iomem *ps_page_vram(const struct ps_device *ps,
					 const struct page *page)
{
	return ps->bar.vaddr + ps_page_bar_offset(ps, page);
}

#endif /* PS_VRAM_ADDR_H */

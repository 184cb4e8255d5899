/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PS_DEVMEM_H
#define PS_DEVMEM_H

#include <linux/memremap.h>
#include <linux/mm.h>

struct ps_device;

extern const void *const ps_pgmap_owner;
#define PS_PGMAP_OWNER ((void *)ps_pgmap_owner)

/**
 * struct ps_devmem - the pool's device-private struct pages
 * @pagemap: MEMORY_DEVICE_PRIVATE registration; its range is a free
 *	physical address range from request_free_mem_region(), never the
 *	BAR's own address: these pages are not CPU-addressable
 * @pfn_first: pfn of device page 0
 * @nr_pages: pages registered (= pool pages)
 *
 * Device page i holds its data at BAR offset pool offset + i * PAGE_SIZE.
 */
struct ps_devmem {
	struct dev_pagemap pagemap;
	unsigned long pfn_first;
	unsigned long nr_pages;
};

int ps_devmem_register(struct ps_device *ps);
void ps_devmem_unregister(struct ps_device *ps);
struct page *ps_devmem_alloc_page(struct ps_device *ps);
bool ps_devmem_owns(struct ps_device *ps, struct page *page);

/**
 * ps_devmem_page_index() - pool index of a device page
 * @dm: the registration
 * @page: one of its pages
 *
 * Return: the index into the pool.
 */
static inline u32 ps_devmem_page_index(const struct ps_devmem *dm,
				       const struct page *page)
{
	return page_to_pfn(page) - dm->pfn_first;
}

#endif /* PS_DEVMEM_H */

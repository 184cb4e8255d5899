/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PS_DEVMEM_H
#define PS_DEVMEM_H

#include <linux/bitops.h>
#include <linux/memremap.h>
#include <linux/mm.h>

#include <pseudoscopic/mem/pin.h>

struct mm_struct;
struct ps_device;
struct vm_fault;

extern const void *const ps_pgmap_owner;
#define PS_PGMAP_OWNER ((void *)ps_pgmap_owner)

/**
 * struct ps_devmem_ops - what the layers above do for the pool's pages
 * @migrate_to_ram: a CPU touched a device page (movement: src/move/fault.c)
 * @page_freed: a page went back to the pool, in any context (the driver's
 *	lost-device teardown: src/driver/lost.c)
 *
 * The pagemap callbacks the mm calls land in the memory layer, which owns
 * the pages; these are how it hands on what is not its own.  Given to
 * ps_devmem_register() by probe, and constant while pages exist.
 */
struct ps_devmem_ops {
	vm_fault_t (*migrate_to_ram)(struct ps_device *ps, struct vm_fault *vmf);
	void (*page_freed)(struct ps_device *ps);
};

/**
 * struct ps_devmem - the pool's device-private struct pages
 * @pagemap: MEMORY_DEVICE_PRIVATE registration; its range is a free
 *	physical address range from request_free_mem_region(), never the
 *	BAR's own address: these pages are not CPU-addressable
 * @ops: callbacks into the layers above, set before the pages exist
 * @pfn_first: pfn of device page 0
 * @nr_pages: pages registered (= pool pages)
 * @holds_data: bitmap, bit set while the page holds a process's data: set
 *	by the migration that fills it, cleared by the migration that empties
 *	it, both while they hold the page lock (atomic bit operations).  A
 *	page can be allocated and yet hold nothing: a destination whose
 *	migration failed, or a page whose data just left while the fault that
 *	moved it still holds a reference.  Eviction, which finds pages by pfn,
 *	reads the bit under the page lock to leave such pages alone.
 * @faulting: bitmap (the same allocation as @holds_data), bit set while a
 *	CPU fault is bringing the page (or the folio it heads) home: one
 *	fault per page at a time (ps_devmem_migrate_to_ram()); atomic bit
 *	operations with acquire/release semantics.
 * @pins: pages PS_MIGRATE_PIN holds off eviction (src/mem/pin.c)
 * @thp_home: per 2 MiB chunk, where the request that filled it as one
 *	device folio found its source: the address space (a plain pointer,
 *	no reference: only compared with the tasks' own) and the address.
 *	Written by that request (WRITE_ONCE), read by teardown to split a
 *	folio it has no 2 MiB of RAM for (src/move/thp.c); a hint, possibly
 *	stale (mremap, exit), never trusted.
 *
 * Device page i holds its data at BAR offset pool offset + i * PAGE_SIZE.
 */
struct ps_devmem_thp_home {
	struct mm_struct *mm;
	unsigned long addr;
};

struct ps_devmem {
	struct dev_pagemap pagemap;
	const struct ps_devmem_ops *ops;
	unsigned long pfn_first;
	unsigned long nr_pages;
	unsigned long *holds_data;
	unsigned long *faulting;
	struct ps_pins pins;
	struct ps_devmem_thp_home *thp_home;
};

int ps_devmem_register(struct ps_device *ps, const struct ps_devmem_ops *ops);
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

/**
 * ps_devmem_set_holds_data() - mark device pages as holding data or not
 * @dm: the registration
 * @page: the first page (locked by the caller's migration)
 * @nr: pages from @page (a 2 MiB folio: all of them)
 * @on: whether they now hold a process's data
 */
static inline void ps_devmem_set_holds_data(struct ps_devmem *dm,
					    const struct page *page,
					    unsigned long nr, bool on)
{
	u32 idx = ps_devmem_page_index(dm, page);
	unsigned long i;

	for (i = 0; i < nr; i++)
		if (on)
			set_bit(idx + i, dm->holds_data);
		else
			clear_bit(idx + i, dm->holds_data);
}

/**
 * ps_devmem_holds_data() - does a device page hold a process's data?
 * @dm: the registration
 * @page: one of its pages, locked by the caller
 *
 * Return: true between the migration that filled @page and the one that
 * emptied it.
 */
static inline bool ps_devmem_holds_data(const struct ps_devmem *dm,
					const struct page *page)
{
	return test_bit(ps_devmem_page_index(dm, page), dm->holds_data);
}

#endif /* PS_DEVMEM_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * Registration of the pool as MEMORY_DEVICE_PRIVATE pages (HMM) and the
 * dev_pagemap callbacks.
 */
#include <linux/ioport.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include <pseudoscopic/core/compat.h>
#include <pseudoscopic/core/device.h>
#include <pseudoscopic/mem/devmem.h>

/* The pgmap owner cookie shared by every pseudoscopic device. */
static const char ps_pgmap_owner_cookie;
const void *const ps_pgmap_owner = &ps_pgmap_owner_cookie;

static struct ps_device *ps_devmem_owner(struct page *page)
{
	return container_of(ps_page_pgmap(page), struct ps_device,
			    devmem.pagemap);
}

/* The last reference to a device page is gone: give it back to the pool. */
static void ps_devmem_release(struct page *page, unsigned int order)
{
	struct ps_device *ps = ps_devmem_owner(page);
	u32 idx = ps_devmem_page_index(&ps->devmem, page);

	ps_devmem_set_holds_data(&ps->devmem, page, 1UL << order, false);
	ps_pin_release(&ps->devmem.pins, idx, 1UL << order);
	ps_pool_lru_del(&ps->pool, idx);
	ps_pool_free_order(&ps->pool, idx, order);
	ps->devmem.ops->page_freed(ps);
}

#ifdef PS_HAVE_FOLIO_FREE
static void ps_devmem_folio_free(struct folio *folio)
{
	ps_devmem_release(&folio->page, folio_order(folio));
}
#else
static void ps_devmem_page_free(struct page *page)
{
	ps_devmem_release(page, 0);
}
#endif

#ifdef PS_DEVICE_THP
/*
 * dev_pagemap_ops.folio_split: the kernel split a folio.  @head is the
 * original (head) folio, now smaller; @tail a new folio cut from it, or
 * NULL once all are cut.  Under the split's locks; must not sleep.
 */
static void ps_devmem_folio_split(struct folio *head, struct folio *tail)
{
	struct ps_device *ps;

	if (!tail)
		return;
	tail->pgmap = head->pgmap;
	folio_page(tail, 0)->mapping = folio_page(head, 0)->mapping;
	ps = container_of(head->pgmap, struct ps_device, devmem.pagemap);
	ps_devmem_set_holds_data(&ps->devmem, &tail->page,
				 folio_nr_pages(tail),
				 ps_devmem_holds_data(&ps->devmem, &head->page));
	/* An evictable folio's pieces stay evictable; pinned ones do not. */
	if (ps_pool_lru_contains(&ps->pool,
				 ps_devmem_page_index(&ps->devmem, &head->page)))
		ps_pool_lru_add(&ps->pool,
				ps_devmem_page_index(&ps->devmem, &tail->page));
}
#endif

/*
 * One CPU fault per device page (or folio) at a time.  Before 6.15,
 * do_swap_page() calls migrate_to_ram() holding only a reference on the
 * page, not its lock, and each fault's migrate_vma_setup() refuses a page
 * with references it does not expect: with many threads on one page every
 * fault sees the others' references, none moves the page, and all fault
 * again, indefinitely on a big machine.  Here the others retry the access
 * at once (return 0) and so drop their reference right away; the fault
 * under way meets at most such short-lived references, and tries again a
 * few times while its page still holds the data.
 */
#define PS_FAULT_TRIES	8

static vm_fault_t ps_devmem_migrate_to_ram(struct vm_fault *vmf)
{
	struct ps_device *ps = ps_devmem_owner(vmf->page);
	struct ps_devmem *dm = &ps->devmem;
	u32 idx = ps_devmem_page_index(dm, &page_folio(vmf->page)->page);
	unsigned int tries = 0;
	vm_fault_t ret;

	if (test_and_set_bit_lock(idx, dm->faulting)) {
		ps_stat_inc(ps, fault_collisions);
		return 0;
	}
	/* Our reference keeps vmf->page from being freed and reused. */
	for (;;) {
		ret = dm->ops->migrate_to_ram(ps, vmf);
		if (ret || !ps_devmem_holds_data(dm, vmf->page) ||
		    ++tries == PS_FAULT_TRIES)
			break;
		cond_resched();
	}
	clear_bit_unlock(idx, dm->faulting);
	return ret;
}

static const struct dev_pagemap_ops ps_devmem_pagemap_ops = {
#ifdef PS_HAVE_FOLIO_FREE
	.folio_free = ps_devmem_folio_free,
#else
	.page_free = ps_devmem_page_free,
#endif
	.migrate_to_ram = ps_devmem_migrate_to_ram,
#ifdef PS_DEVICE_THP
	.folio_split = ps_devmem_folio_split,
#endif
};

/**
 * ps_devmem_alloc_page() - take a pool page as a device-private page
 * @ps: the device
 *
 * The page comes back with one reference and locked, ready to be a
 * migration destination; it returns to the pool when its last reference
 * goes (folio_free/page_free).
 *
 * Context: process context.
 * Return: the page, or NULL if the pool is empty.
 */
struct page *ps_devmem_alloc_page(struct ps_device *ps)
{
	struct page *page;
	u32 idx;

	if (ps_pool_alloc(&ps->pool, &idx))
		return NULL;
	page = pfn_to_page(ps->devmem.pfn_first + idx);
	ps_zone_device_page_init(page, &ps->devmem.pagemap);
	return page;
}

/**
 * ps_devmem_owns() - is @page one of this device's pages?
 * @ps: the device
 * @page: any page
 *
 * Return: true for a device-private page of @ps.
 */
bool ps_devmem_owns(struct ps_device *ps, struct page *page)
{
	return is_device_private_page(page) &&
	       ps_page_pgmap(page) == &ps->devmem.pagemap;
}

/**
 * ps_devmem_register() - create struct pages for the pool
 * @ps: the device; its pool must be initialised
 * @ops: the layers above's part of the pagemap callbacks
 *
 * Context: process context (probe); may sleep.
 * Return: 0 or a negative errno, with nothing left registered.
 */
int ps_devmem_register(struct ps_device *ps, const struct ps_devmem_ops *ops)
{
	struct ps_devmem *dm = &ps->devmem;
	unsigned long size = (unsigned long)ps->pool.nr_pages << PAGE_SHIFT;
	struct resource *res;
	void *addr;
	int ret;

	/* Two bitmaps in one allocation: holds_data, then faulting. */
	dm->holds_data = kvcalloc(2 * BITS_TO_LONGS(ps->pool.nr_pages),
				  sizeof(unsigned long), GFP_KERNEL);
	if (!dm->holds_data)
		return -ENOMEM;
	dm->faulting = dm->holds_data + BITS_TO_LONGS(ps->pool.nr_pages);
	ret = ps_pins_init(&dm->pins, ps->pool.nr_pages);
	if (ret)
		goto err_free_bitmap;
	dm->thp_home = kvcalloc(ps->pool.nr_chunks, sizeof(*dm->thp_home),
				GFP_KERNEL);
	if (!dm->thp_home) {
		ret = -ENOMEM;
		goto err_destroy_pins;
	}
	res = request_free_mem_region(&iomem_resource, size, PS_DRV_NAME);
	if (IS_ERR(res)) {
		pci_err(ps->pdev, "no free physical range of %lu MiB for device pages (%ld)\n",
			size >> 20, PTR_ERR(res));
		ret = PTR_ERR(res);
		goto err_free_thp_home;
	}

	dm->pagemap.type = MEMORY_DEVICE_PRIVATE;
	dm->pagemap.range.start = res->start;
	dm->pagemap.range.end = res->end;
	dm->pagemap.nr_range = 1;
	dm->ops = ops;
	dm->pagemap.ops = &ps_devmem_pagemap_ops;
	/*
	 * migrate_vma and hmm_range_fault recognise device pages by owner.
	 * All our devices share one owner so that a page in another of our
	 * devices is seen (and reported) as such; code that copies data
	 * checks ps_devmem_owns() for the exact device.
	 */
	dm->pagemap.owner = PS_PGMAP_OWNER;

	addr = memremap_pages(&dm->pagemap, dev_to_node(&ps->pdev->dev));
	if (IS_ERR(addr)) {
		ret = PTR_ERR(addr);
		pci_err(ps->pdev, "memremap_pages failed (%d)\n", ret);
		goto err_release_region;
	}
	dm->pfn_first = PHYS_PFN(res->start);
	dm->nr_pages = ps->pool.nr_pages;
	return 0;

err_release_region:
	release_mem_region(res->start, resource_size(res));
err_free_thp_home:
	kvfree(dm->thp_home);
	dm->thp_home = NULL;
err_destroy_pins:
	ps_pins_destroy(&dm->pins);
err_free_bitmap:
	kvfree(dm->holds_data);
	dm->holds_data = NULL;
	dm->faulting = NULL;
	return ret;
}

/**
 * ps_devmem_unregister() - remove the pool's struct pages
 * @ps: the device
 *
 * Every device page must be free again: memunmap_pages() waits for the
 * last reference.
 *
 * Context: process context (remove); may sleep.
 */
void ps_devmem_unregister(struct ps_device *ps)
{
	struct ps_devmem *dm = &ps->devmem;

	memunmap_pages(&dm->pagemap);
	release_mem_region(dm->pagemap.range.start,
			   range_len(&dm->pagemap.range));
	kvfree(dm->thp_home);
	dm->thp_home = NULL;
	ps_pins_destroy(&dm->pins);
	kvfree(dm->holds_data);
	dm->holds_data = NULL;
	dm->faulting = NULL;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API differences, decided by src/conftest.sh probes (never by version
 * number).  The generated header only says what exists; this file turns that
 * into the few helpers the driver uses.
 */
#ifndef PS_COMPAT_H
#define PS_COMPAT_H

#include <linux/memremap.h>
#include <linux/migrate.h>
#include <linux/mm.h>

#include "ps_compat_generated.h"

#ifdef PS_HAVE_FOLIO_FREE
#define PS_API_FREE_NAME "folio_free"
#else
#define PS_API_FREE_NAME "page_free"
#endif

/*
 * Compound (2 MiB) device-private folios: migrate_vma collects THPs whole,
 * device folios can have an order, the free callback learns it and splits
 * are reported to the driver.  Without all of that, THPs are split on
 * migration and the flags below are zero, so the compound paths compile
 * everywhere and are dead code where the kernel cannot take them.
 */
#if defined(PS_HAVE_DEVICE_PRIVATE_THP) && defined(PS_HAVE_FOLIO_SPLIT_OP) && \
	defined(PS_HAVE_ZONE_DEVICE_PAGE_INIT_ORDER) && defined(PS_HAVE_FOLIO_FREE)
#define PS_DEVICE_THP 1
#define PS_API_THP true
#define PS_PFN_COMPOUND MIGRATE_PFN_COMPOUND
#define PS_SELECT_COMPOUND MIGRATE_VMA_SELECT_COMPOUND
#else
#define PS_API_THP false
#define PS_PFN_COMPOUND 0UL
#define PS_SELECT_COMPOUND 0
#endif

/* The dev_pagemap a ZONE_DEVICE page belongs to. */
static inline struct dev_pagemap *ps_page_pgmap(struct page *page)
{
#ifdef PS_HAVE_PAGE_PGMAP
	return page_pgmap(page);
#else
	return page->pgmap;
#endif
}

/* Prepare a free device-private page for use (refcount 1, locked). */
static inline void ps_zone_device_page_init(struct page *page,
					    struct dev_pagemap *pgmap)
{
#ifdef PS_HAVE_ZONE_DEVICE_PAGE_INIT_ORDER
	zone_device_page_init(page, pgmap, 0);
#else
	zone_device_page_init(page);
#endif
}

/* Resize a BAR, leaving the other BARs assigned. */
#ifdef PS_HAVE_PCI_RESIZE_RESOURCE_EXCLUDE
#define ps_pci_resize_resource(pdev, bar, size) \
	pci_resize_resource(pdev, bar, size, 0)
#else
#define ps_pci_resize_resource(pdev, bar, size) \
	pci_resize_resource(pdev, bar, size)
#endif

/*
 * What a non-present, non-empty page-table entry holds, decoded for a
 * lockless snapshot (PS_IOC_RESIDENCY): a swap slot, a page that has a
 * frame (device-private, being migrated, device-exclusive; its pfn is
 * returned), or anything else (markers, a poisoned page).  The pfn is not
 * turned into a page here: the entry may be stale by the time it is used,
 * so it is only compared, never dereferenced beyond its flags.
 */
enum ps_leaf {
	PS_LEAF_SWAP,
	PS_LEAF_PFN,
	PS_LEAF_OTHER,
};

#ifdef PS_HAVE_SOFTLEAF
#include <linux/leafops.h>

static inline enum ps_leaf ps_leaf_decode(softleaf_t e, unsigned long *pfn)
{
	if (softleaf_is_swap(e))
		return PS_LEAF_SWAP;
	if (softleaf_is_device_private(e) || softleaf_is_migration(e) ||
	    softleaf_is_device_exclusive(e)) {
		*pfn = softleaf_to_pfn(e);
		return PS_LEAF_PFN;
	}
	return PS_LEAF_OTHER;
}

#define ps_pte_leaf(pte, pfn)	ps_leaf_decode(softleaf_from_pte(pte), pfn)
#define ps_pmd_leaf(pmd, pfn)	ps_leaf_decode(softleaf_from_pmd(pmd), pfn)
#else
#include <linux/swap.h>
#include <linux/swapops.h>

static inline enum ps_leaf ps_leaf_decode(swp_entry_t e, unsigned long *pfn)
{
	if (!non_swap_entry(e))
		return PS_LEAF_SWAP;
	if (is_device_private_entry(e) || is_migration_entry(e) ||
	    is_device_exclusive_entry(e)) {
		*pfn = swp_offset_pfn(e);
		return PS_LEAF_PFN;
	}
	return PS_LEAF_OTHER;
}

#define ps_pte_leaf(pte, pfn)	ps_leaf_decode(pte_to_swp_entry(pte), pfn)
#define ps_pmd_leaf(pmd, pfn)	ps_leaf_decode(pmd_to_swp_entry(pmd), pfn)
#endif

/* Import the namespace EXPORT_SYMBOL_IF_KUNIT() exports into. */
#ifdef PS_HAVE_MODULE_IMPORT_NS_IDENT
#define PS_IMPORT_KUNIT_NS() MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING)
#else
#define PS_IMPORT_KUNIT_NS() MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING")
#endif

#endif /* PS_COMPAT_H */

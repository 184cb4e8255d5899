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

/* Import the namespace EXPORT_SYMBOL_IF_KUNIT() exports into. */
#ifdef PS_HAVE_MODULE_IMPORT_NS_IDENT
#define PS_IMPORT_KUNIT_NS() MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING)
#else
#define PS_IMPORT_KUNIT_NS() MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING")
#endif

#endif /* PS_COMPAT_H */

// SPDX-License-Identifier: GPL-2.0
/* PS_HAVE_PAGE_PGMAP: page_pgmap() accessor (page->pgmap went away). */
#include <linux/mm.h>
#include <linux/memremap.h>

struct dev_pagemap *probe(struct page *page);
struct dev_pagemap *probe(struct page *page)
{
	return page_pgmap(page);
}

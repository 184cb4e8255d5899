// SPDX-License-Identifier: GPL-2.0
/* PS_HAVE_ZONE_DEVICE_PAGE_INIT_ORDER: zone_device_page_init(page, pgmap, order). */
#include <linux/memremap.h>

void probe(struct page *page, struct dev_pagemap *pgmap);
void probe(struct page *page, struct dev_pagemap *pgmap)
{
	zone_device_page_init(page, pgmap, 0);
}

// SPDX-License-Identifier: GPL-2.0
/* PS_HAVE_MIGRATE_DEVICE_RANGE: evict device pages by pfn range. */
#include <linux/migrate.h>

int probe(unsigned long *src, unsigned long start, unsigned long npages);
int probe(unsigned long *src, unsigned long start, unsigned long npages)
{
	return migrate_device_range(src, start, npages);
}

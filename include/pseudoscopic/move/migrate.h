/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PS_MIGRATE_H
#define PS_MIGRATE_H

#include <linux/mm_types.h>
#include <linux/types.h>

struct ps_device;
struct ps_migrate;

int ps_migrate_range(struct ps_device *ps, struct mm_struct *mm,
		     struct ps_migrate *req);
int ps_migrate_async(struct ps_device *ps, struct mm_struct *mm,
		     const struct ps_migrate *req);
unsigned long ps_migrate_came_home(struct ps_device *ps,
				   const unsigned long *src,
				   const unsigned long *dst,
				   unsigned long npages);
bool ps_migrate_drop_if_lost(struct ps_device *ps, unsigned long *dst,
			     unsigned long npages);

#endif /* PS_MIGRATE_H */

/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PS_EVICT_H
#define PS_EVICT_H

#include <linux/gfp_types.h>
#include <linux/types.h>

struct ps_device;
struct work_struct;

/* Pages evicted at a time to make room. */
#define PS_EVICT_BATCH		64

unsigned long ps_evict_all(struct ps_device *ps);
unsigned long ps_evict_all_within(struct ps_device *ps, gfp_t gfp,
				  unsigned long timeout);
unsigned long ps_evict_lru(struct ps_device *ps, unsigned long want);
bool ps_evict_for_room(struct ps_device *ps, unsigned long want);
void ps_evict_work(struct work_struct *work);

#endif /* PS_EVICT_H */

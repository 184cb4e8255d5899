/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PS_PIN_H
#define PS_PIN_H

#include <linux/spinlock.h>
#include <linux/types.h>

struct ps_device;
struct mm_struct;

/**
 * struct ps_pins - pool pages PS_MIGRATE_PIN keeps off eviction
 * @lock: protects @owner and @nr; nests outside &ps_pool.lru_lock (a pin
 *	takes its page off the LRU, an unpin puts it back, under @lock, so
 *	that the release of a page, which clears its pin under @lock before
 *	taking it off the LRU, always comes last)
 * @owner: per pool page: the mm the pin is charged to (mm->pinned_vm; an
 *	mmgrab() reference), NULL while the page is not pinned
 * @nr: pinned pages
 * @max: most pages that may be pinned at once (max_pinned_pct of the pool,
 *	then sysfs max_pinned_pages); WRITE_ONCE/READ_ONCE, checked under
 *	@lock
 */
struct ps_pins {
	spinlock_t lock;	/* owner, nr */
	struct mm_struct **owner;
	unsigned long nr;
	unsigned long max;
};

int ps_pins_init(struct ps_pins *pins, unsigned long nr_pages);
void ps_pins_destroy(struct ps_pins *pins);
int ps_pin(struct ps_device *ps, struct mm_struct *mm, u32 idx,
	   unsigned long nr);
unsigned long ps_unpin(struct ps_device *ps, u32 idx, unsigned long nr);
void ps_pin_release(struct ps_pins *pins, u32 idx, unsigned long nr);

#endif /* PS_PIN_H */

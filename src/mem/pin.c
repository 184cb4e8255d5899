// SPDX-License-Identifier: GPL-2.0
/*
 * Pinned pool pages (PS_MIGRATE_PIN): off the eviction LRU until they
 * leave VRAM (a CPU touch, a migration to RAM, munmap or exit, teardown)
 * or are unpinned (PS_MIGRATE_UNPIN).  Two limits keep one process from
 * taking the pool: a per-device cap on pinned pages, and a charge on the
 * pinned process's mm, checked against the caller's RLIMIT_MEMLOCK
 * (bypassed with CAP_IPC_LOCK) the way RDMA charges the pages it pins
 * (mm->pinned_vm, VmPin in /proc/PID/status).  That counter is atomic:
 * account_locked_vm() would take the mmap lock for writing, which the
 * migration holds for reading and which the page free that ends a pin may
 * run under.
 */
#include <linux/capability.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include <pseudoscopic/core/device.h>
#include <pseudoscopic/core/params.h>
#include <pseudoscopic/mem/pin.h>

/**
 * ps_pins_init() - no page pinned, the limit from max_pinned_pct
 * @pins: the device's pins
 * @nr_pages: pages in the pool
 *
 * Context: process context (probe).
 * Return: 0 or -ENOMEM.
 */
int ps_pins_init(struct ps_pins *pins, unsigned long nr_pages)
{
	spin_lock_init(&pins->lock);
	pins->nr = 0;
	pins->max = nr_pages * ps_param_max_pinned_pct / 100;
	pins->owner = kvcalloc(nr_pages, sizeof(*pins->owner), GFP_KERNEL);
	return pins->owner ? 0 : -ENOMEM;
}

/**
 * ps_pins_destroy() - free the pin table; every page must be released
 * @pins: the device's pins
 */
void ps_pins_destroy(struct ps_pins *pins)
{
	WARN_ON(pins->nr);
	kvfree(pins->owner);
	pins->owner = NULL;
}

/* Charge @nr pages to @mm's pinned memory, within RLIMIT_MEMLOCK. */
static int ps_pin_charge(struct mm_struct *mm, unsigned long nr,
			 bool unlimited)
{
	unsigned long limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;

	if (atomic64_add_return(nr, &mm->pinned_vm) > limit && !unlimited) {
		atomic64_sub(nr, &mm->pinned_vm);
		return -ENOMEM;
	}
	return 0;
}

/* Return the pins of pages @idx..@idx + @nr - 1 that have one. */
static unsigned long ps_pin_clear(struct ps_pins *pins, u32 idx,
				  unsigned long nr)
{
	unsigned long i, done = 0;

	lockdep_assert_held(&pins->lock);
	for (i = 0; i < nr; i++) {
		struct mm_struct *mm = pins->owner[idx + i];

		if (!mm)
			continue;
		pins->owner[idx + i] = NULL;
		atomic64_dec(&mm->pinned_vm);
		mmdrop(mm);	/* safe in atomic context, like the scheduler's */
		done++;
	}
	pins->nr -= done;
	return done;
}

/**
 * ps_pin() - pin pool pages @idx..@idx + @nr - 1 (one folio) of @mm
 * @ps: the device
 * @mm: the address space the folio is mapped in, charged for the pin
 * @idx: first page
 * @nr: pages of the folio
 *
 * The caller holds the folio locked (a migration window).  A folio that is
 * already pinned stays pinned as it is.
 *
 * Context: process context, the task asking for the pin (its
 * RLIMIT_MEMLOCK and CAP_IPC_LOCK count); takes @ps's pin lock.
 * Return: pages newly pinned (0 or @nr), -ENOSPC when the device's limit
 * would be passed, -ENOMEM when RLIMIT_MEMLOCK would.
 */
int ps_pin(struct ps_device *ps, struct mm_struct *mm, u32 idx,
	   unsigned long nr)
{
	struct ps_pins *pins = &ps->devmem.pins;
	bool unlimited = capable(CAP_IPC_LOCK);
	unsigned long i;
	int ret = 0;

	spin_lock(&pins->lock);
	if (pins->owner[idx])
		goto out_unlock;
	if (pins->nr + nr > READ_ONCE(pins->max)) {
		ret = -ENOSPC;
		goto out_unlock;
	}
	ret = ps_pin_charge(mm, nr, unlimited);
	if (ret)
		goto out_unlock;
	for (i = 0; i < nr; i++) {
		mmgrab(mm);
		pins->owner[idx + i] = mm;
		ps_pool_lru_del(&ps->pool, idx + i);
	}
	pins->nr += nr;
	ret = nr;
out_unlock:
	spin_unlock(&pins->lock);
	return ret;
}

/**
 * ps_unpin() - make pinned pages evictable again and return their charge
 * @ps: the device
 * @idx: first page
 * @nr: pages of the folio (held locked by the caller)
 *
 * Context: process context; takes @ps's pin lock.
 * Return: pages unpinned.
 */
unsigned long ps_unpin(struct ps_device *ps, u32 idx, unsigned long nr)
{
	struct ps_pins *pins = &ps->devmem.pins;
	unsigned long i, done;

	spin_lock(&pins->lock);
	done = ps_pin_clear(pins, idx, nr);
	if (done)
		for (i = 0; i < nr; i++)
			ps_pool_lru_add(&ps->pool, idx + i);
	spin_unlock(&pins->lock);
	return done;
}

/**
 * ps_pin_release() - pages left VRAM: drop their pins, if any
 * @pins: the device's pins
 * @idx: first page
 * @nr: pages
 *
 * Context: the device page free callback (process context, like the
 * pool's LRU lock); takes the pin lock.
 */
void ps_pin_release(struct ps_pins *pins, u32 idx, unsigned long nr)
{
	spin_lock(&pins->lock);
	ps_pin_clear(pins, idx, nr);
	spin_unlock(&pins->lock);
}

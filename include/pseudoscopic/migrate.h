/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PS_MIGRATE_H
#define PS_MIGRATE_H

#include <linux/mm_types.h>
#include <linux/types.h>

struct ps_device;
struct vm_fault;
struct ps_migrate;
struct ps_residency;
struct work_struct;

/* Migration windows are one PMD: 512 pages with 4 KiB pages. */
#define PS_WINDOW_PAGES		(PMD_SIZE >> PAGE_SHIFT)
/* Pages evicted at a time to make room. */
#define PS_EVICT_BATCH		64

int ps_migrate_range(struct ps_device *ps, struct mm_struct *mm,
		     struct ps_migrate *req);
vm_fault_t ps_fault_migrate_to_ram(struct ps_device *ps, struct vm_fault *vmf);
unsigned long ps_migrate_came_home(struct ps_device *ps,
				   const unsigned long *src,
				   const unsigned long *dst,
				   unsigned long npages);
int ps_migrate_async(struct ps_device *ps, struct mm_struct *mm,
		     const struct ps_migrate *req);
void ps_evict_all(struct ps_device *ps);
unsigned long ps_evict_lru(struct ps_device *ps, unsigned long want);
bool ps_evict_for_room(struct ps_device *ps, unsigned long want);
void ps_evict_work(struct work_struct *work);
int ps_residency(struct ps_device *ps, struct mm_struct *mm,
		 struct ps_residency *req);

void ps_copy_to_vram(struct ps_device *ps, struct page *dpage,
		     struct page *spage);
void ps_copy_from_vram(struct ps_device *ps, struct page *dpage,
		       struct page *spage);
void ps_copy_wait(struct ps_device *ps);

#endif /* PS_MIGRATE_H */

/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PS_THP_H
#define PS_THP_H

#include <linux/atomic.h>
#include <linux/mm_types.h>
#include <linux/types.h>

#include <pseudoscopic/core/compat.h>

struct ps_device;

extern bool ps_param_device_thp;

/* How hard ps_thp_alloc_ram() tries; see there. */
enum ps_thp_alloc {
	PS_THP_LIGHT,
	PS_THP_RECLAIM,
};

extern atomic_t ps_thp_fail_ram;

#ifdef PS_DEVICE_THP
struct page *ps_thp_alloc_device(struct ps_device *ps, struct mm_struct *mm,
				 unsigned long addr);
struct page *ps_thp_alloc_ram(struct vm_area_struct *vma, unsigned long addr,
			      enum ps_thp_alloc how);
bool ps_thp_split_device(struct ps_device *ps, u32 first, unsigned long *src,
			 unsigned long *dst);
#else
static inline struct page *ps_thp_alloc_device(struct ps_device *ps,
					       struct mm_struct *mm,
					       unsigned long addr)
{
	return NULL;
}

static inline bool ps_thp_split_device(struct ps_device *ps, u32 first,
				       unsigned long *src, unsigned long *dst)
{
	return false;
}

static inline struct page *ps_thp_alloc_ram(struct vm_area_struct *vma,
					    unsigned long addr,
					    enum ps_thp_alloc how)
{
	return NULL;
}
#endif

/**
 * ps_thp_select() - migrate_vma flag that collects THPs whole
 *
 * Return: MIGRATE_VMA_SELECT_COMPOUND when compound device folios are
 * supported and enabled (device_thp), else 0.
 */
static inline unsigned long ps_thp_select(void)
{
	return ps_param_device_thp ? PS_SELECT_COMPOUND : 0;
}

#endif /* PS_THP_H */

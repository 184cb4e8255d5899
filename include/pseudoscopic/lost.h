/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PS_LOST_H
#define PS_LOST_H

#include <linux/bitops.h>
#include <linux/dcache.h>
#include <linux/pci.h>

#include "device.h"

/* Bits of ps_device.lost_flags. */
enum {
	PS_LOST,		/* VRAM unreachable: SIGBUS, no copies */
	PS_LOST_REMOVED,	/* remove() ran; teardown waits for the pages */
	PS_LOST_RELEASING,	/* the final teardown is queued */
	PS_LOST_MODULE_REF,	/* holds a module reference until released */
};

extern const struct pci_error_handlers ps_pci_err_handler;

void ps_device_mark_lost(struct ps_device *ps, const char *why);
void ps_lost_page_freed(struct ps_device *ps);
void ps_lost_remove(struct ps_device *ps);
int ps_lost_init(void);
#ifdef CONFIG_DEBUG_FS
void ps_lost_debugfs_init(struct dentry *root);
#else
static inline void ps_lost_debugfs_init(struct dentry *root)
{
}
#endif
void ps_lost_exit(void);

/**
 * ps_device_is_lost() - is the device's memory unreachable?
 * @ps: the device
 *
 * Return: true once ps_device_mark_lost() ran; it never becomes false.
 */
static inline bool ps_device_is_lost(const struct ps_device *ps)
{
	return test_bit(PS_LOST, &ps->lost_flags);
}

#endif /* PS_LOST_H */

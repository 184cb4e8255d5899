/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PS_LOST_H
#define PS_LOST_H

#include <linux/pci.h>

#include <pseudoscopic/core/device.h>

extern const struct pci_error_handlers ps_pci_err_handler;

void ps_lost_page_freed(struct ps_device *ps);
void ps_lost_remove(struct ps_device *ps);
int ps_lost_init(void);
void ps_lost_exit(void);

#endif /* PS_LOST_H */

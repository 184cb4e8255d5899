/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PS_DEVICE_H
#define PS_DEVICE_H

#include <linux/pci.h>

#include "bar.h"

#define PS_DRV_NAME "pseudoscopic"

/**
 * struct ps_device - one bound PCI device
 * @pdev: the PCI device (the driver holds no extra reference: the PCI core
 *	keeps it alive from probe to remove)
 * @bar: the BAR holding the memory pool
 * @nvidia: an NVIDIA display-class function (BAR1 and register rules apply)
 *
 * Created in probe, destroyed in remove; fields are written only there, so
 * no lock is needed yet.
 */
struct ps_device {
	struct pci_dev *pdev;
	struct ps_bar bar;
	bool nvidia;
};

extern struct pci_driver ps_pci_driver;
extern const struct attribute_group *ps_dev_groups[];

#endif /* PS_DEVICE_H */

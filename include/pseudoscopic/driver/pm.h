/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PS_PM_H
#define PS_PM_H

#include <linux/pm.h>

/* System sleep callbacks of the PCI driver (src/driver/pm.c). */
extern const struct dev_pm_ops ps_pm_ops;

#endif /* PS_PM_H */

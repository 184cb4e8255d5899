/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PS_SYSFS_H
#define PS_SYSFS_H

struct attribute_group;

/* The per-device sysfs files, created by the driver core at bind. */
extern const struct attribute_group *ps_dev_groups[];

#endif /* PS_SYSFS_H */

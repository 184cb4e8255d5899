/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PS_CHARDEV_H
#define PS_CHARDEV_H

struct ps_device;

int ps_chardev_add(struct ps_device *ps);
void ps_chardev_remove(struct ps_device *ps);

#endif /* PS_CHARDEV_H */

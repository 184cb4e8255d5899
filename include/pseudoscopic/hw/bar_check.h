/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PS_BAR_CHECK_H
#define PS_BAR_CHECK_H

struct ps_device;

int ps_bar_check(struct ps_device *ps);

#endif /* PS_BAR_CHECK_H */

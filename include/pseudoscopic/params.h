/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PS_PARAMS_H
#define PS_PARAMS_H

#include <linux/types.h>

extern int ps_param_bar_index;
extern bool ps_param_force_boot_vga;

int ps_params_validate(void);

#endif /* PS_PARAMS_H */

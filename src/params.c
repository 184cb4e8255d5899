// SPDX-License-Identifier: GPL-2.0
/*
 * Module parameters and their validation.  Every parameter is read-only
 * after load (0444): a value is checked once, at module init, and a bad one
 * refuses the load with a message naming the parameter and its range.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>

#include <pseudoscopic/bar.h>
#include <pseudoscopic/device.h>
#include <pseudoscopic/params.h>

int ps_param_bar_index = -1;
module_param_named(bar_index, ps_param_bar_index, int, 0444);
MODULE_PARM_DESC(bar_index,
		 "BAR holding the memory pool: -1 = automatic (NVIDIA BAR1, else the largest 64-bit prefetchable BAR), 0-5 = that BAR");

bool ps_param_force_boot_vga;
module_param_named(force_boot_vga, ps_param_force_boot_vga, bool, 0444);
MODULE_PARM_DESC(force_boot_vga,
		 "Also bind the boot VGA device (its VRAM holds the console framebuffer; default: refuse)");

/**
 * ps_params_validate() - check every parameter at module load
 *
 * Context: module init.
 * Return: 0, or -EINVAL after logging which parameter is wrong.
 */
int ps_params_validate(void)
{
	if (ps_param_bar_index < -1 || ps_param_bar_index >= PS_NUM_BARS) {
		pr_err(PS_DRV_NAME ": bar_index=%d is out of range (-1 for automatic, 0-%d)\n",
		       ps_param_bar_index, PS_NUM_BARS - 1);
		return -EINVAL;
	}
	return 0;
}

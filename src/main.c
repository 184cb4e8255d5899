// SPDX-License-Identifier: GPL-2.0
/*
 * pseudoscopic: GPU VRAM as a tier of system memory through HMM
 * device-private pages.  Module entry points.
 */
#include <linux/module.h>
#include <linux/pci.h>

#include <pseudoscopic/compat.h>
#include <pseudoscopic/copy_bench.h>
#include <pseudoscopic/device.h>
#include <pseudoscopic/params.h>

static int __init ps_init(void)
{
	int ret;

	ret = ps_params_validate();
	if (ret)
		return ret;

	pr_info(PS_DRV_NAME ": kernel API: %s, device-private THP %s\n",
		PS_API_FREE_NAME, PS_API_THP ? "available" : "not available");
	ret = ps_stats_global_init();
	if (ret)
		return ret;
	ret = pci_register_driver(&ps_pci_driver);
	if (ret)
		goto err_stats;
	ps_copy_bench_init();
	return 0;

err_stats:
	ps_stats_global_exit();
	return ret;
}
module_init(ps_init);

static void __exit ps_exit(void)
{
	ps_copy_bench_exit();
	pci_unregister_driver(&ps_pci_driver);
	ps_stats_global_exit();
}
module_exit(ps_exit);

MODULE_DESCRIPTION("GPU VRAM as a tier of system memory (HMM device-private pages)");
MODULE_AUTHOR("The pseudoscopic developers");
MODULE_LICENSE("GPL");

// SPDX-License-Identifier: GPL-2.0
/*
 * pseudoscopic: GPU VRAM as a tier of system memory through HMM
 * device-private pages.  Module entry points.
 */
#include <linux/module.h>
#include <linux/pci.h>

#include <pseudoscopic/core/compat.h>
#include <pseudoscopic/iface/blkdev.h>
#include <pseudoscopic/iface/debugfs.h>
#include <pseudoscopic/core/device.h>
#include <pseudoscopic/driver/lost.h>
#include <pseudoscopic/core/params.h>
#include <pseudoscopic/driver/pci.h>
#include <pseudoscopic/iface/stats_global.h>

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
	ret = ps_lost_init();
	if (ret)
		goto err_stats;
	ret = ps_blkdev_init();
	if (ret)
		goto err_lost;
	ret = pci_register_driver(&ps_pci_driver);
	if (ret)
		goto err_blkdev;
	ps_debugfs_init();
	return 0;

err_blkdev:
	ps_blkdev_exit();
err_lost:
	ps_lost_exit();
err_stats:
	ps_stats_global_exit();
	return ret;
}
module_init(ps_init);

static void __exit ps_exit(void)
{
	ps_debugfs_exit();
	pci_unregister_driver(&ps_pci_driver);
	ps_blkdev_exit();
	ps_lost_exit();
	ps_stats_global_exit();
}
module_exit(ps_exit);

MODULE_DESCRIPTION("GPU VRAM as a tier of system memory (HMM device-private pages)");
MODULE_AUTHOR("The pseudoscopic developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(PS_VERSION);

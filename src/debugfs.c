// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/pseudoscopic/: tools for tests and benchmarks, never an
 * interface to rely on.  copy_bench (src/copy_bench.c) measures the copy
 * routines; inject_lost (src/lost.c) plays a surprise removal.
 */
#include <linux/debugfs.h>

#include <pseudoscopic/copy_bench.h>
#include <pseudoscopic/debugfs.h>
#include <pseudoscopic/device.h>
#include <pseudoscopic/lost.h>

static struct dentry *ps_debugfs_root;

/**
 * ps_debugfs_init() - create the module's debugfs directory and files
 *
 * Failures are not errors (debugfs is optional); the files are then absent.
 *
 * Context: module init, after the PCI driver is registered.
 */
void ps_debugfs_init(void)
{
	ps_debugfs_root = debugfs_create_dir(PS_DRV_NAME, NULL);
	ps_copy_bench_debugfs_init(ps_debugfs_root);
	ps_lost_debugfs_init(ps_debugfs_root);
}

/**
 * ps_debugfs_exit() - remove them, waiting for calls in progress
 *
 * Context: module exit, before the PCI driver goes.
 */
void ps_debugfs_exit(void)
{
	debugfs_remove(ps_debugfs_root);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Module parameters and their validation.  Every parameter is read-only
 * after load (0444): it is checked once, at module init, and a bad value
 * refuses the load with a message naming the parameter and its range.
 * Values that depend on a device (a reserve larger than its VRAM, say) are
 * checked at probe and refuse that device.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pci.h>

#include <linux/sysfs.h>
#include <uapi/linux/pseudoscopic.h>

#include <pseudoscopic/core/device.h>
#include <pseudoscopic/core/params.h>

int ps_param_bar_index = -1;
module_param_named(bar_index, ps_param_bar_index, int, 0444);
MODULE_PARM_DESC(bar_index,
		 "BAR holding the memory pool: -1 = automatic (NVIDIA BAR1, else the largest 64-bit prefetchable BAR), 0-5 = that BAR");

unsigned int ps_param_pool_size_mb;
module_param_named(pool_size_mb, ps_param_pool_size_mb, uint, 0444);
MODULE_PARM_DESC(pool_size_mb,
		 "Pool size per device in MiB: 0 = all usable BAR memory (default), else 4 or more");

unsigned int ps_param_blkdev_mb;
module_param_named(blkdev_mb, ps_param_blkdev_mb, uint, 0444);
MODULE_PARM_DESC(blkdev_mb,
		 "MiB at the end of each device's pool given to a block device /dev/psblkN (swap on VRAM): 0 = none (default)");

int ps_param_reserve_start_mb = -1;
module_param_named(reserve_start_mb, ps_param_reserve_start_mb, int, 0444);
MODULE_PARM_DESC(reserve_start_mb,
		 "MiB kept out of the pool at the start of VRAM: -1 = automatic (16 on NVIDIA for the firmware framebuffer and VGA workspace, 0 otherwise)");

int ps_param_reserve_end_mb = -1;
module_param_named(reserve_end_mb, ps_param_reserve_end_mb, int, 0444);
MODULE_PARM_DESC(reserve_end_mb,
		 "MiB kept out of the pool at the end of VRAM: -1 = automatic (64 on NVIDIA for VBIOS and firmware regions, 0 otherwise)");

unsigned int ps_param_migration_threshold = 16;
module_param_named(migration_threshold, ps_param_migration_threshold, uint, 0444);
MODULE_PARM_DESC(migration_threshold,
		 "Largest CPU-fault migration window in pages (1-512, default 16)");

unsigned int ps_param_max_pinned_pct = 50;
module_param_named(max_pinned_pct, ps_param_max_pinned_pct, uint, 0444);
MODULE_PARM_DESC(max_pinned_pct,
		 "Pages PS_MIGRATE_PIN may hold per device, in percent of its pool (0-100, default 50; sysfs max_pinned_pages changes it per device)");

unsigned int ps_param_max_async = 16;
module_param_named(max_async, ps_param_max_async, uint, 0444);
MODULE_PARM_DESC(max_async,
		 "Queued PS_MIGRATE_ASYNC requests per device; more get EAGAIN (1-4096, default 16)");

unsigned int ps_param_test_probe_fail_ms;
module_param_named(test_probe_fail_ms, ps_param_test_probe_fail_ms, uint, 0444);
MODULE_PARM_DESC(test_probe_fail_ms,
		 "Test only: fail every probe this many ms after /dev/pseudoscopicN appears (0 = never, default)");

unsigned int ps_param_test_fault_delay_ms;
module_param_named(test_fault_delay_ms, ps_param_test_fault_delay_ms, uint, 0444);
MODULE_PARM_DESC(test_fault_delay_ms,
		 "Test only: every CPU fault on a device page waits this many ms between its look at the lost flag and its copy (0 = none, default)");

int ps_param_enable_dma = -1;
module_param_named(enable_dma, ps_param_enable_dma, int, 0444);
MODULE_PARM_DESC(enable_dma,
		 "Older spelling of copy_engine: -1 = auto (default), 0 = cpu, 1 = dma");

/*
 * copy_engine: auto, cpu or dma.  enable_dma is its older spelling
 * (-1 = auto, 0 = cpu, 1 = dma); giving both with different meanings
 * refuses the load.  -1 here means "not given" until validation resolves
 * it into ps_param_copy_mode.
 */
static int ps_param_copy_engine = -1;
int ps_param_copy_mode = PS_COPY_MODE_AUTO;
const char *ps_param_copy_origin = "copy_engine=dma";

static const char * const ps_copy_mode_names[] = {
	[PS_COPY_MODE_AUTO] = "auto",
	[PS_COPY_MODE_CPU] = "cpu",
	[PS_COPY_MODE_DMA] = "dma",
};

/**
 * ps_copy_mode_parse() - parse a copy mode name
 * @s: "auto", "cpu" or "dma" (a trailing newline is accepted)
 *
 * Return: PS_COPY_MODE_*, or -EINVAL.
 */
int ps_copy_mode_parse(const char *s)
{
	int i = sysfs_match_string(ps_copy_mode_names, s);

	return i < 0 ? -EINVAL : i;
}

/**
 * ps_copy_mode_name() - name of a copy mode
 * @mode: PS_COPY_MODE_*
 *
 * Return: "auto", "cpu" or "dma".
 */
const char *ps_copy_mode_name(int mode)
{
	if (mode < 0 || mode >= ARRAY_SIZE(ps_copy_mode_names))
		return "?";
	return ps_copy_mode_names[mode];
}

static int ps_copy_engine_set(const char *val, const struct kernel_param *kp)
{
	int mode = ps_copy_mode_parse(val);

	if (mode < 0) {
		pr_err(PS_DRV_NAME ": copy_engine=%s is not one of auto, cpu, dma\n",
		       val);
		return -EINVAL;
	}
	*(int *)kp->arg = mode;
	return 0;
}

static int ps_copy_engine_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", ps_copy_mode_name(ps_param_copy_mode));
}

static const struct kernel_param_ops ps_copy_engine_ops = {
	.set = ps_copy_engine_set,
	.get = ps_copy_engine_get,
};
module_param_cb(copy_engine, &ps_copy_engine_ops, &ps_param_copy_engine, 0444);
MODULE_PARM_DESC(copy_engine,
		 "Copy engine of every device: auto = a DMA_MEMCPY channel if one exists, else the CPU (default); cpu = CPU copies only; dma = require a channel (the bind fails without one). Per device: the copy_mode sysfs file. enable_dma is the older spelling");

bool ps_param_resize_bar = true;
module_param_named(resize_bar, ps_param_resize_bar, bool, 0444);
MODULE_PARM_DESC(resize_bar,
		 "Grow an NVIDIA BAR1 smaller than VRAM through Resizable BAR (default: yes)");

bool ps_param_selftest = true;
module_param_named(selftest, ps_param_selftest, bool, 0444);
MODULE_PARM_DESC(selftest,
		 "Test the pool's memory (patterns, address aliasing) before using it (default: yes)");

bool ps_param_force_boot_vga;
module_param_named(force_boot_vga, ps_param_force_boot_vga, bool, 0444);
MODULE_PARM_DESC(force_boot_vga,
		 "Also bind the boot VGA device (its VRAM holds the console framebuffer; default: refuse)");

bool ps_param_force_bar1_mode;
module_param_named(force_bar1_mode, ps_param_force_bar1_mode, bool, 0444);
MODULE_PARM_DESC(force_bar1_mode,
		 "Bind an NVIDIA GPU whose BAR1 is not verifiably in physical mode (unknown architecture or left in virtual mode by a driver; unsafe, default: refuse)");

static int ps_param_range(const char *name, long long val, long long min,
			  long long max)
{
	if (val >= min && val <= max)
		return 0;
	pr_err(PS_DRV_NAME ": %s=%lld is out of range (%lld-%lld)\n",
	       name, val, min, max);
	return -EINVAL;
}

/* Resolve copy_engine and its older spelling enable_dma. */
static int ps_params_copy_mode(void)
{
	static const int from_enable_dma[] = {
		PS_COPY_MODE_AUTO, PS_COPY_MODE_CPU, PS_COPY_MODE_DMA
	};
	int old = from_enable_dma[ps_param_enable_dma + 1];

	if (ps_param_copy_engine < 0) {
		ps_param_copy_mode = old;
		if (ps_param_enable_dma == 1)
			ps_param_copy_origin = "enable_dma=1";
		return 0;
	}
	if (ps_param_enable_dma != -1 && old != ps_param_copy_engine) {
		pr_err(PS_DRV_NAME ": copy_engine=%s conflicts with enable_dma=%d (its older spelling); give only one\n",
		       ps_copy_mode_name(ps_param_copy_engine),
		       ps_param_enable_dma);
		return -EINVAL;
	}
	ps_param_copy_mode = ps_param_copy_engine;
	return 0;
}

/**
 * ps_params_validate() - check every parameter at module load
 *
 * Context: module init.
 * Return: 0, or -EINVAL after logging which parameter is wrong.
 */
int ps_params_validate(void)
{
	int ret = 0;

	if (ps_param_bar_index < -1 || ps_param_bar_index >= PCI_STD_NUM_BARS) {
		pr_err(PS_DRV_NAME ": bar_index=%d is out of range (-1 for automatic, 0-%d)\n",
		       ps_param_bar_index, PCI_STD_NUM_BARS - 1);
		ret = -EINVAL;
	}
	if (ps_param_pool_size_mb && ps_param_pool_size_mb < 4) {
		pr_err(PS_DRV_NAME ": pool_size_mb=%u is out of range (0 for all, 4-%u)\n",
		       ps_param_pool_size_mb, PS_PARAM_MAX_MB);
		ret = -EINVAL;
	}
	ret = ps_param_range("pool_size_mb", ps_param_pool_size_mb, 0,
			     PS_PARAM_MAX_MB) ?: ret;
	ret = ps_param_range("blkdev_mb", ps_param_blkdev_mb, 0,
			     PS_PARAM_MAX_MB) ?: ret;
	ret = ps_param_range("reserve_start_mb", ps_param_reserve_start_mb,
			     -1, PS_PARAM_MAX_MB) ?: ret;
	ret = ps_param_range("reserve_end_mb", ps_param_reserve_end_mb,
			     -1, PS_PARAM_MAX_MB) ?: ret;
	ret = ps_param_range("migration_threshold",
			     ps_param_migration_threshold, 1,
			     PS_MIGRATION_THRESHOLD_MAX) ?: ret;
	ret = ps_param_range("max_pinned_pct", ps_param_max_pinned_pct, 0,
			     100) ?: ret;
	ret = ps_param_range("max_async", ps_param_max_async, 1,
			     PS_MAX_ASYNC_MAX) ?: ret;
	if (ps_param_range("enable_dma", ps_param_enable_dma, -1, 1))
		return -EINVAL;
	return ps_params_copy_mode() ?: ret;
}

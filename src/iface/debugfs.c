// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/pseudoscopic/: tools for tests and benchmarks, never an
 * interface to rely on.  copy_bench (src/iface/copy_bench.c) measures the copy
 * routines; writing a PCI name to inject_lost marks that device lost as a
 * surprise removal would (emulated hardware cannot vanish on demand; what
 * follows is src/driver/lost.c's).  inject_gone does the same and then
 * fills the pool's VRAM with all ones, which is what reads of a vanished
 * PCIe device return: a copy that began before the loss and read any of it
 * must not be committed (tests/vm/scenarios/lost-race.sh).  Writing
 * "PCI-NAME N" to inject_hold takes a reference on N resident pages of
 * that device, as a leaked reference would, until "release" is written
 * (or the module goes): what teardown does with pages that never come
 * home is tested with it.
 * inject_thp_fail is the number of 2 MiB RAM allocations for device THPs
 * coming home that fail next, as in fragmented memory.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <pseudoscopic/iface/copy_bench.h>
#include <pseudoscopic/iface/debugfs.h>
#include <pseudoscopic/core/device.h>
#include <pseudoscopic/move/thp.h>

static struct dentry *ps_debugfs_root;

/* The device is gone: its BAR reads all ones from now on. */
static void ps_lost_fill_ones(struct ps_device *ps)
{
	u64 off = ps->layout.offset, end = off + ps->layout.size;

	while (off < end) {
		u64 n = min_t(u64, end - off, SZ_2M);

		memset_io(ps->bar.vaddr + off, 0xff, n);
		off += n;
		cond_resched();
	}
	wmb();	/* the ones have left the write-combining buffers */
}

/* file->private_data: non-NULL for inject_gone. */
static ssize_t ps_lost_inject_write(struct file *file, const char __user *ubuf,
				    size_t count, loff_t *ppos)
{
	struct ps_device *ps;
	char name[32];
	ssize_t ret = -ENODEV;

	if (count >= sizeof(name))
		return -EINVAL;
	if (copy_from_user(name, ubuf, count))
		return -EFAULT;
	name[count] = '\0';
	strim(name);
	mutex_lock(&ps_devices_lock);
	list_for_each_entry(ps, &ps_devices, node) {
		if (!strcmp(pci_name(ps->pdev), name)) {
			ps_device_mark_lost(ps, "injected through debugfs");
			/* Still on the list: remove() has not unmapped it. */
			if (file->private_data)
				ps_lost_fill_ones(ps);
			ret = count;
			break;
		}
	}
	mutex_unlock(&ps_devices_lock);
	return ret;
}

static const struct file_operations ps_lost_inject_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = ps_lost_inject_write,
};

/* Pages inject_hold holds, under ps_hold_lock. */
#define PS_HOLD_MAX	16
static DEFINE_MUTEX(ps_hold_lock);	/* ps_held, ps_nr_held */
static struct folio *ps_held[PS_HOLD_MAX];
static unsigned int ps_nr_held;

static void ps_hold_release(void)
{
	mutex_lock(&ps_hold_lock);
	while (ps_nr_held)
		folio_put(ps_held[--ps_nr_held]);
	mutex_unlock(&ps_hold_lock);
}

/* A reference on up to @want single resident pages of @ps. */
static unsigned int ps_hold_pages(struct ps_device *ps, unsigned int want)
{
	struct ps_pool *pool = &ps->pool;
	unsigned int got = 0;
	unsigned long idx;

	mutex_lock(&ps_hold_lock);
	for_each_set_bit(idx, pool->allocated, pool->nr_pages) {
		struct page *page = pfn_to_page(ps->devmem.pfn_first + idx);
		struct folio *folio = page_folio(page);

		if (got == want || ps_nr_held == PS_HOLD_MAX)
			break;
		if (!ps_devmem_holds_data(&ps->devmem, page) ||
		    folio_test_large(folio) || !folio_try_get(folio))
			continue;
		ps_held[ps_nr_held++] = folio;
		got++;
	}
	mutex_unlock(&ps_hold_lock);
	return got;
}

static ssize_t ps_hold_inject_write(struct file *file, const char __user *ubuf,
				    size_t count, loff_t *ppos)
{
	struct ps_device *ps;
	char buf[48], name[32];
	unsigned int want;
	ssize_t ret = -ENODEV;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	if (!strcmp(strim(buf), "release")) {
		ps_hold_release();
		return count;
	}
	if (sscanf(buf, "%31s %u", name, &want) != 2 || !want)
		return -EINVAL;
	mutex_lock(&ps_devices_lock);
	list_for_each_entry(ps, &ps_devices, node) {
		if (!strcmp(pci_name(ps->pdev), name)) {
			ret = ps_hold_pages(ps, want) == want ? count : -ENOENT;
			break;
		}
	}
	mutex_unlock(&ps_devices_lock);
	return ret;
}

static const struct file_operations ps_hold_inject_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = ps_hold_inject_write,
};

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
	debugfs_create_file("inject_lost", 0200, ps_debugfs_root, NULL,
			    &ps_lost_inject_fops);
	debugfs_create_file("inject_gone", 0200, ps_debugfs_root,
			    ps_debugfs_root, &ps_lost_inject_fops);
	debugfs_create_file("inject_hold", 0200, ps_debugfs_root, NULL,
			    &ps_hold_inject_fops);
	debugfs_create_atomic_t("inject_thp_fail", 0600, ps_debugfs_root,
				&ps_thp_fail_ram);
}

/**
 * ps_debugfs_exit() - remove them, waiting for calls in progress
 *
 * Pages inject_hold still holds are let go, so that unbinding the devices
 * next finds them free.
 *
 * Context: module exit, before the PCI driver goes.
 */
void ps_debugfs_exit(void)
{
	debugfs_remove(ps_debugfs_root);
	ps_hold_release();
}

// SPDX-License-Identifier: GPL-2.0
/*
 * PCI binding: which devices we claim, and probe/remove.
 *
 * NVIDIA display-class functions match the static table, once someone has
 * loaded the module: there is no MODULE_DEVICE_TABLE, so the module has no
 * PCI aliases and udev never loads it for a GPU at boot, where it would
 * race nvidia or nouveau for the device and its probe self-test would
 * overwrite VRAM another driver may be using.  Any other device
 * with a large linear BAR is bound by the administrator through the PCI
 * core's dynamic ids (new_id) or driver_override; those arrive with
 * driver_data 0 (the PCI core accepts new_id entries only with a
 * driver_data value the static table uses, so every entry keeps 0 and the
 * NVIDIA rules are chosen from the device itself).
 */
#include <linux/delay.h>
#include <linux/dmaengine.h>
#include <linux/ktime.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/vgaarb.h>

#include <pseudoscopic/hw/bar.h>
#include <pseudoscopic/hw/bar_check.h>
#include <pseudoscopic/iface/blkdev.h>
#include <pseudoscopic/iface/chardev.h>
#include <pseudoscopic/copy/copy.h>
#include <pseudoscopic/core/device.h>
#include <pseudoscopic/mem/devmem.h>
#include <pseudoscopic/move/evict.h>
#include <pseudoscopic/move/fault.h>
#include <pseudoscopic/move/fault_window.h>
#include <pseudoscopic/hw/layout.h>
#include <pseudoscopic/driver/lost.h>
#include <pseudoscopic/hw/nvidia.h>
#include <pseudoscopic/core/params.h>
#include <pseudoscopic/driver/pci.h>
#include <pseudoscopic/driver/pm.h>
#include <pseudoscopic/mem/pool.h>
#include <pseudoscopic/iface/sysfs.h>

#define PS_NVIDIA_CLASS(cls) {						\
	.vendor = PCI_VENDOR_ID_NVIDIA, .device = PCI_ANY_ID,		\
	.subvendor = PCI_ANY_ID, .subdevice = PCI_ANY_ID,		\
	.class = (cls) << 8, .class_mask = 0xffff00,			\
}

/* Not a MODULE_DEVICE_TABLE: see the top of this file. */
static const struct pci_device_id ps_pci_ids[] = {
	PS_NVIDIA_CLASS(PCI_CLASS_DISPLAY_VGA),
	PS_NVIDIA_CLASS(PCI_CLASS_DISPLAY_3D),
	{ }
};

/* NVIDIA rules apply to NVIDIA display-class functions however bound. */
static bool ps_is_nvidia_gpu(struct pci_dev *pdev)
{
	return pdev->vendor == PCI_VENDOR_ID_NVIDIA &&
	       (pdev->class >> 16) == PCI_BASE_CLASS_DISPLAY;
}

/* The firmware console lives in the boot VGA device's VRAM. */
static bool ps_is_boot_vga(struct pci_dev *pdev)
{
	return vga_default_device() == pdev ||
	       (pdev->resource[PCI_ROM_RESOURCE].flags & IORESOURCE_ROM_SHADOW);
}

static int ps_pci_pick_bar(struct pci_dev *pdev, bool nvidia)
{
	struct ps_bar_desc bars[PS_NUM_BARS];
	int i, idx;

	for (i = 0; i < PS_NUM_BARS; i++) {
		bars[i].size = pci_resource_len(pdev, i);
		bars[i].flags = pci_resource_flags(pdev, i);
	}
	idx = ps_bar_choose(bars, PS_NUM_BARS, ps_param_bar_index, nvidia);
	if (idx == -EINVAL)
		pci_err(pdev, "bar_index=%d is not a memory BAR of this device\n",
			ps_param_bar_index);
	else if (idx < 0)
		pci_err(pdev, "no %s BAR to hold a memory pool; set bar_index\n",
			nvidia ? "BAR1 (VRAM aperture)" :
				 "64-bit prefetchable memory");
	return idx;
}

/* NVIDIA: architecture, VRAM size and BAR1 mode from the registers. */
static int ps_pci_nvidia_checks(struct ps_device *ps)
{
	struct pci_dev *pdev = ps->pdev;
	int ret;

	ret = ps_nv_read_info(pdev, &ps->nv);
	if (ret)
		return ret;
	if (!ps->nv.family) {
		if (!ps_param_force_bar1_mode) {
			pci_err(pdev, "unknown NVIDIA architecture (NV_PMC_BOOT_0 %#010x): BAR1 mode cannot be verified; not binding (force_bar1_mode=1 overrides)\n",
				ps->nv.boot0);
			return -ENODEV;
		}
		pci_warn(pdev, "unknown NVIDIA architecture (NV_PMC_BOOT_0 %#010x), bound because force_bar1_mode=1\n",
			 ps->nv.boot0);
		return 0;
	}
	pci_info(pdev, "NVIDIA %s GPU (NV_PMC_BOOT_0 %#010x), %llu MiB VRAM, BAR1 in %s mode\n",
		 ps->nv.family->name, ps->nv.boot0, ps->nv.vram_size >> 20,
		 ps->nv.bar1_virtual ? "virtual" : "physical");
	if (ps->nv.bar1_virtual) {
		if (!ps_param_force_bar1_mode) {
			pci_err(pdev, "BAR1 is in virtual mode (left by another driver; reset the GPU or reboot): it is not a linear window into VRAM; not binding (force_bar1_mode=1 overrides)\n");
			return -ENODEV;
		}
		pci_warn(pdev, "BAR1 in virtual mode, bound because force_bar1_mode=1\n");
	}
	ps->vram_size = ps->nv.vram_size;
	return 0;
}

/* Reserves and pool size from parameters, NVIDIA defaults, and the BAR. */
static int ps_pci_layout(struct ps_device *ps)
{
	struct ps_layout_req req = {
		.bar_size = ps->bar.size,
		.vram_size = ps->vram_size,
		.limit = (u64)ps_param_pool_size_mb << 20,
	};
	int ret;

	req.reserve_start = ps_param_reserve_start_mb >= 0 ?
		(u64)ps_param_reserve_start_mb << 20 :
		ps->nvidia ? PS_NV_RESERVE_START : 0;
	req.reserve_end = ps_param_reserve_end_mb >= 0 ?
		(u64)ps_param_reserve_end_mb << 20 :
		ps->nvidia ? PS_NV_RESERVE_END : 0;
	ps->reserve_start = req.reserve_start;
	ps->reserve_end = req.reserve_end;

	ret = ps_layout_pool(&req, &ps->layout);
	if (ret) {
		pci_err(ps->pdev, "BAR%d (%llu MiB, %llu MiB VRAM) leaves less than the minimum pool (%u MiB) after reserve_start_mb=%llu, reserve_end_mb=%llu, pool_size_mb=%u; refusing this BAR\n",
			ps->bar.index, ps->bar.size >> 20, ps->vram_size >> 20,
			PS_POOL_MIN >> 20, req.reserve_start >> 20,
			req.reserve_end >> 20, ps_param_pool_size_mb);
		return ret;
	}
	if (req.limit && req.limit > ps->layout.usable) {
		pci_err(ps->pdev, "pool_size_mb=%u is out of range for this device (4-%llu)\n",
			ps_param_pool_size_mb, ps->layout.usable >> 20);
		return -EINVAL;
	}
	return 0;
}

/* The block device's part of VRAM: the end of the (self-tested) pool. */
static int ps_pci_carve_blkdev(struct ps_device *ps)
{
	u64 want = (u64)ps_param_blkdev_mb << 20;

	if (ps_layout_carve(&ps->layout, want, &ps->blk.offset, &ps->blk.size)) {
		pci_err(ps->pdev, "blkdev_mb=%u leaves less than the minimum pool (%u MiB) of this device's %llu MiB; refusing\n",
			ps_param_blkdev_mb, PS_POOL_MIN >> 20,
			ps->layout.size >> 20);
		return -ENOSPC;
	}
	return 0;
}

/* What the pool's pages ask of the layers above the memory layer. */
static const struct ps_devmem_ops ps_pci_devmem_ops = {
	.migrate_to_ram = ps_fault_migrate_to_ram,
	.page_freed = ps_lost_page_freed,
};

/*
 * Test only (test_probe_fail_ms, tests/vm/scenarios/probe-fail.sh): fail
 * the probe once /dev/pseudoscopicN exists, after giving an opener time to
 * move pages in.
 */
static int ps_pci_test_fail(struct ps_device *ps)
{
	unsigned int ms = ps_param_test_probe_fail_ms;

	if (!ms)
		return 0;
	pci_warn(ps->pdev, "test_probe_fail_ms=%u: this probe fails in %u ms (test only)\n",
		 ms, ms);
	msleep(ms);
	return -EIO;
}

static int ps_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct ps_device *ps;
	ktime_t t0 = ktime_get();
	int idx, ret;

	if (ps_is_boot_vga(pdev) && !ps_param_force_boot_vga) {
		pci_info(pdev, "boot VGA device, not binding (force_boot_vga=1 overrides)\n");
		return -ENODEV;
	}

	ps = kzalloc(sizeof(*ps), GFP_KERNEL);
	if (!ps)
		return -ENOMEM;
	kref_init(&ps->ref);
	init_rwsem(&ps->state_lock);
	ps_fault_streams_init(&ps->faults);
	ps->pdev = pdev;
	ps->nvidia = ps_is_nvidia_gpu(pdev);

	ret = pci_enable_device_mem(pdev);
	if (ret) {
		pci_err(pdev, "cannot enable device (%d)\n", ret);
		goto err_free;
	}
	if (ps->nvidia) {
		ret = ps_pci_nvidia_checks(ps);
		if (ret)
			goto err_disable;
	}

	idx = ps_pci_pick_bar(pdev, ps->nvidia);
	if (idx < 0) {
		ret = idx;
		goto err_disable;
	}
	if (ps->nvidia && ps->vram_size && ps_param_resize_bar)
		ps_bar_resize(pdev, idx, ps->vram_size);
	ret = ps_bar_map(pdev, idx, &ps->bar);
	if (ret)
		goto err_disable;
	if (!ps->vram_size)
		ps->vram_size = ps->bar.size;

	ret = ps_pci_layout(ps);
	if (ret)
		goto err_unmap;
	ret = ps_bar_check(ps);
	if (ret)
		goto err_unmap;
	ret = ps_pci_carve_blkdev(ps);
	if (ret)
		goto err_unmap;

	ret = ps_pool_init(&ps->pool, ps->layout.size >> PAGE_SHIFT);
	if (ret)
		goto err_unmap;
	ret = ps_devmem_register(ps, &ps_pci_devmem_ops);
	if (ret)
		goto err_pool;
	ret = ps_dma_chan_get(ps);
	if (ret)
		goto err_devmem;
	ps->wq = alloc_workqueue(PS_DRV_NAME "/%s", WQ_UNBOUND, 0,
				 pci_name(pdev));
	if (!ps->wq) {
		ret = -ENOMEM;
		goto err_dma;
	}
	INIT_WORK(&ps->evict_work, ps_evict_work);
	pci_set_drvdata(pdev, ps);
	/*
	 * The nodes last (the block device takes the char device's number):
	 * from here on a process may move pages in, and what fails later
	 * must bring them home before the pagemap can go.
	 */
	ret = ps_chardev_add(ps);
	if (ret)
		goto err_wq;
	ret = ps_blkdev_add(ps);
	if (ret)
		goto err_chardev;
	ret = ps_pci_test_fail(ps);
	if (ret)
		goto err_blkdev;
	mutex_lock(&ps_devices_lock);
	list_add_tail(&ps->node, &ps_devices);
	mutex_unlock(&ps_devices_lock);

	ps->probe_us = ktime_us_delta(ktime_get(), t0);
	pci_info(pdev, "bound as %s (%s device): pool of %llu MiB at BAR%d offset %#llx, device pfns %#lx-%#lx, %s copies, probe took %llu ms\n",
		 ps->name, ps->nvidia ? "NVIDIA" : "generic",
		 ps->layout.size >> 20,
		 ps->bar.index, ps->layout.offset, ps->devmem.pfn_first,
		 ps->devmem.pfn_first + ps->devmem.nr_pages - 1,
		 ps->dma_chan ? dma_chan_name(ps->dma_chan) : "CPU",
		 ps->probe_us / 1000);
	return 0;

err_blkdev:
	ps_blkdev_remove(ps);
err_chardev:
	ps_chardev_remove(ps);		/* no ioctl from here */
	drain_workqueue(ps->wq);	/* prefetches and evict_work */
	ps_evict_all(ps);
	ps_device_sync_copies();
err_wq:
	destroy_workqueue(ps->wq);
err_dma:
	ps_dma_chan_put(ps);
err_devmem:
	ps_devmem_unregister(ps);
err_pool:
	ps_pool_destroy(&ps->pool);
err_unmap:
	ps_bar_unmap(pdev, &ps->bar);
err_disable:
	pci_disable_device(pdev);
err_free:
	ps_device_put(ps);
	return ret;
}

/*
 * Every page is home and no copy runs: zero what processes and the block
 * device left in VRAM, so the GPU's next owner reads none of it.  Only the
 * pool's chunks that were ever handed out can hold anything.
 */
static void ps_pci_scrub(struct ps_device *ps)
{
	struct ps_pool *pool = &ps->pool;
	ktime_t t0 = ktime_get();
	u64 bytes = ps->blk.size;
	unsigned long c;

	for_each_set_bit(c, pool->used_chunks, pool->nr_chunks) {
		u64 len = (u64)pool->chunks[c].nr_pages << PAGE_SHIFT;

		ps_bar_scrub(&ps->bar, ps->layout.offset +
			     ((u64)c * PS_CHUNK_PAGES << PAGE_SHIFT), len);
		bytes += len;
	}
	if (ps->blk.size)
		ps_bar_scrub(&ps->bar, ps->blk.offset, ps->blk.size);
	pci_info(ps->pdev, "scrubbed %llu MiB of VRAM in %lld ms\n",
		 bytes >> 20, ktime_ms_delta(ktime_get(), t0));
}

static void ps_pci_remove(struct pci_dev *pdev)
{
	struct ps_device *ps = pci_get_drvdata(pdev);

	/* No new ioctl from here; then bring every page home while the
	 * device is still reachable.
	 */
	mutex_lock(&ps_devices_lock);
	list_del(&ps->node);
	mutex_unlock(&ps_devices_lock);
	/* Before an open /dev/psblkN is copied to RAM from the device. */
	if (!pci_device_is_present(pdev))
		ps_device_mark_lost(ps, "gone at removal");
	ps_blkdev_remove(ps);
	ps_chardev_remove(ps);
	destroy_workqueue(ps->wq);	/* drains prefetches and evict_work */
	if (!ps_device_is_lost(ps))
		ps_evict_all(ps);
	ps_dma_chan_put(ps);
	/*
	 * A CPU fault that passed its lost check before the device was found
	 * gone may still be copying: the BAR stays until it is done (it then
	 * sees the flag and commits nothing).
	 */
	ps_device_sync_copies();
	/* Pages teardown gave up on (PS_LOST_STUCK) raise SIGBUS from now. */
	if (!ps_device_is_lost(ps) || test_bit(PS_LOST_STUCK, &ps->lost_flags))
		ps_pci_scrub(ps);
	ps_bar_unmap(pdev, &ps->bar);
	pci_disable_device(pdev);
	if (ps_device_is_lost(ps)) {
		/* Pages still mapped keep the pool; src/driver/lost.c frees it. */
		ps_lost_remove(ps);
		pci_info(pdev, "unbound (device lost)\n");
		return;
	}
	ps_devmem_unregister(ps);
	ps_pool_destroy(&ps->pool);
	pci_info(pdev, "unbound\n");
	ps_device_put(ps);
}

struct pci_driver ps_pci_driver = {
	.name = PS_DRV_NAME,
	.id_table = ps_pci_ids,
	.probe = ps_pci_probe,
	.remove = ps_pci_remove,
	.err_handler = &ps_pci_err_handler,
	.dev_groups = ps_dev_groups,
	.driver.pm = pm_sleep_ptr(&ps_pm_ops),
};

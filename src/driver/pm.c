// SPDX-License-Identifier: GPL-2.0
/*
 * System sleep: suspend to RAM or idle, and hibernation.
 *
 * VRAM does not keep its contents across either.  Suspend power-gates the
 * GPU (or the whole PCI hierarchy), and a hibernation image holds RAM, not
 * device memory.  So before any sleep transition (suspend, and freeze
 * before the hibernation snapshot) every page in the pool goes home to
 * RAM, where it is kept (suspend) or saved in the image (hibernation),
 * and no migration may fill the pool again until resume or thaw.
 *
 * The block device cannot be moved: its contents are whatever was written
 * to it, with nowhere else to go.  While /dev/psblkN is open (swap on it,
 * a mount) the transition is refused with -EBUSY and a message naming it;
 * swapoff first.  Closed, its contents are simply not kept (it is a swap
 * device; Documentation/design.md).
 *
 * If pages cannot all be moved (no RAM for them within the timeout) the
 * transition is refused too: sleeping would lose them.
 */
#include <linux/pci.h>
#include <linux/pm.h>
#include <linux/rwsem.h>
#include <linux/workqueue.h>

#include <pseudoscopic/core/device.h>
#include <pseudoscopic/driver/pm.h>
#include <pseudoscopic/iface/blkdev.h>
#include <pseudoscopic/move/evict.h>

/* How long a sleep transition waits for busy pages to leave VRAM. */
#define PS_PM_EVICT_TIMEOUT	(10 * HZ)

static int ps_pm_suspend(struct device *dev)
{
	struct ps_device *ps = pci_get_drvdata(to_pci_dev(dev));
	unsigned long left;

	if (ps_blkdev_busy(ps)) {
		pci_err(ps->pdev, "%s is open (swap?) and VRAM does not keep its contents across suspend or hibernation; refusing (swapoff it first)\n",
			ps->blk.disk->disk_name);
		return -EBUSY;
	}
	/* No migration runs, and none starts, until resume. */
	down_write(&ps->state_lock);
	WRITE_ONCE(ps->suspended, true);	/* read unlocked by async work */
	up_write(&ps->state_lock);
	flush_workqueue(ps->wq);	/* prefetches and eviction */

	left = ps_evict_all_within(ps, GFP_KERNEL, PS_PM_EVICT_TIMEOUT);
	if (left) {
		pci_err(ps->pdev, "%lu pages could not be moved to RAM; refusing to sleep, which would lose them\n",
			left);
		down_write(&ps->state_lock);
		WRITE_ONCE(ps->suspended, false);
		up_write(&ps->state_lock);
		return -EBUSY;
	}
	pci_info(ps->pdev, "pool empty for system sleep; VRAM contents are not kept\n");
	return 0;
}

static int ps_pm_resume(struct device *dev)
{
	struct ps_device *ps = pci_get_drvdata(to_pci_dev(dev));

	down_write(&ps->state_lock);
	WRITE_ONCE(ps->suspended, false);
	up_write(&ps->state_lock);
	return 0;
}

/*
 * suspend/resume, freeze/thaw (hibernation snapshot), poweroff/restore:
 * the same two steps for every transition.
 */
DEFINE_SIMPLE_DEV_PM_OPS(ps_pm_ops, ps_pm_suspend, ps_pm_resume);

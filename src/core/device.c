// SPDX-License-Identifier: GPL-2.0
/*
 * The device object every layer keeps its part of (struct ps_device in
 * include/pseudoscopic/core/device.h): its lifetime, the list of bound
 * devices, and the one-way "lost" state of a device whose memory can no
 * longer be reached.
 *
 * What happens to a lost device's pages (SIGBUS, deferred teardown) is the
 * driver layer's (src/driver/lost.c); here is only the state every layer
 * reads.
 */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include <pseudoscopic/core/device.h>

LIST_HEAD(ps_devices);
DEFINE_MUTEX(ps_devices_lock);	/* guards ps_devices */

static void ps_device_release(struct kref *ref)
{
	kfree(container_of(ref, struct ps_device, ref));
}

/**
 * ps_device_put() - drop a reference to a device structure
 * @ps: the device
 *
 * Context: process context.
 */
void ps_device_put(struct ps_device *ps)
{
	kref_put(&ps->ref, ps_device_release);
}

/**
 * ps_device_mark_lost() - the device's memory is unreachable from now on
 * @ps: the device
 * @why: a few words for the log
 *
 * Context: any.
 */
void ps_device_mark_lost(struct ps_device *ps, const char *why)
{
	if (test_and_set_bit(PS_LOST, &ps->lost_flags))
		return;
	/*
	 * Pages that cannot come home keep the module (their pagemap calls
	 * into it) until they are gone.  While the module is being unloaded
	 * no reference can be taken; remove() then waits for the pages.
	 */
	if (try_module_get(THIS_MODULE))
		set_bit(PS_LOST_MODULE_REF, &ps->lost_flags);
	pci_err(ps->pdev, "device lost (%s): resident pages will get SIGBUS\n",
		why);
}

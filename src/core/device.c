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
#include <linux/idr.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/srcu.h>

#include <pseudoscopic/core/device.h>

LIST_HEAD(ps_devices);
DEFINE_MUTEX(ps_devices_lock);	/* guards ps_devices */

/*
 * Read side: a section that reads or writes a device's VRAM through its BAR
 * outside the ioctl and block paths (a CPU fault bringing pages home), from
 * its last check of the lost flag until its migration is committed or
 * dropped.  Write side: remove(), which waits for every such section
 * before it unmaps the BAR.  One for all devices: removal is rare.
 */
DEFINE_STATIC_SRCU(ps_copy_srcu);

/**
 * ps_device_copy_begin() - enter a section that uses a device's BAR
 *
 * Sleeping inside is allowed (not inside the copies' FPU sections).
 *
 * Context: process context.
 * Return: the cookie for ps_device_copy_end().
 */
int ps_device_copy_begin(void)
	__acquires(ps_copy_srcu)
{
	return srcu_read_lock(&ps_copy_srcu);
}

/**
 * ps_device_copy_end() - leave it
 * @cookie: what ps_device_copy_begin() returned
 */
void ps_device_copy_end(int cookie)
	__releases(ps_copy_srcu)
{
	srcu_read_unlock(&ps_copy_srcu, cookie);
}

/**
 * ps_device_sync_copies() - wait for every section that may use a BAR
 *
 * Sections entered after this started see every store made before it,
 * the lost flag included.
 *
 * Context: process context; sleeps.
 */
void ps_device_sync_copies(void)
{
	synchronize_srcu(&ps_copy_srcu);
}

/* The N of /dev/pseudoscopicN and /dev/psblkN. */
static DEFINE_IDA(ps_device_ida);

/**
 * ps_device_id_get() - give the device its number N
 * @ps: the device; sets ps->id
 *
 * Context: process context (probe).
 * Return: 0 or a negative errno.
 */
int ps_device_id_get(struct ps_device *ps)
{
	int id = ida_alloc(&ps_device_ida, GFP_KERNEL);

	if (id < 0)
		return id;
	ps->id = id;
	return 0;
}

/**
 * ps_device_id_put() - N may be used again: no node of the device is left
 * @ps: the device
 *
 * Context: any.
 */
void ps_device_id_put(struct ps_device *ps)
{
	ida_free(&ps_device_ida, ps->id);
}

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

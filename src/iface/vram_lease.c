// SPDX-License-Identifier: GPL-2.0
/*
 * Borrowing pool memory for in-kernel use.  The copy microbenchmark and
 * the KUnit tests that run the copy routines through the real
 * write-combined BAR mapping need VRAM that holds nobody's data: they take
 * a free 2 MiB chunk from the device's allocator, exactly as a migration
 * takes pages, and give it back.  Resident pages are never touched, and a
 * full pool makes the lease fail instead of evicting anything.
 *
 * A lease keeps the device structure referenced and holds its state_lock
 * for reading, like an ioctl: remove() waits for it before tearing the
 * pool and the mapping down.
 */
#include <linux/errno.h>
#include <kunit/visibility.h>

#include <pseudoscopic/core/device.h>
#include <pseudoscopic/iface/vram_lease.h>

/* The n-th bound device, referenced, or NULL. */
static struct ps_device *ps_device_get_nth(unsigned int n)
{
	struct ps_device *ps, *found = NULL;

	mutex_lock(&ps_devices_lock);
	list_for_each_entry(ps, &ps_devices, node) {
		if (!n--) {
			kref_get(&ps->ref);
			found = ps;
			break;
		}
	}
	mutex_unlock(&ps_devices_lock);
	return found;
}

/**
 * ps_vram_lease_get() - borrow a free 2 MiB chunk of a bound device's pool
 * @n: which bound device (0 is the first, in binding order)
 * @lease: filled in on success
 *
 * The caller may use the whole chunk through @lease->vaddr until
 * ps_vram_lease_put().  Hold a lease briefly: the device cannot be
 * removed meanwhile.
 *
 * Context: process context; may sleep.
 * Return: 0, -ENODEV if there is no such device (or it is being removed),
 * -ENOSPC if its pool has no whole free chunk.
 */
int ps_vram_lease_get(unsigned int n, struct ps_vram_lease *lease)
{
	struct ps_device *ps = ps_device_get_nth(n);
	int ret;

	if (!ps)
		return -ENODEV;
	down_read(&ps->state_lock);
	if (ps->dead) {
		ret = -ENODEV;
		goto err_unlock;
	}
	if (ps_pool_alloc_chunk(&ps->pool, &lease->first)) {
		ret = -ENOSPC;
		goto err_unlock;
	}
	lease->ps = ps;
	lease->vaddr = ps->bar.vaddr + ps->layout.offset +
		       ((u64)lease->first << PAGE_SHIFT);
	return 0;

err_unlock:
	up_read(&ps->state_lock);
	ps_device_put(ps);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(ps_vram_lease_get);

/**
 * ps_vram_lease_put() - give a borrowed chunk back to the pool
 * @lease: from ps_vram_lease_get()
 *
 * Context: process context.
 */
void ps_vram_lease_put(struct ps_vram_lease *lease)
{
	struct ps_device *ps = lease->ps;

	ps_pool_free_chunk(&ps->pool, lease->first);
	up_read(&ps->state_lock);
	ps_device_put(ps);
	lease->ps = NULL;
	lease->vaddr = NULL;
}
EXPORT_SYMBOL_IF_KUNIT(ps_vram_lease_put);

/**
 * ps_vram_lease_name() - PCI name of a lease's device
 * @lease: a lease being held
 *
 * Context: any context.
 * Return: the device's PCI address, e.g. "0000:00:03.0".
 */
const char *ps_vram_lease_name(const struct ps_vram_lease *lease)
{
	return pci_name(lease->ps->pdev);
}
EXPORT_SYMBOL_IF_KUNIT(ps_vram_lease_name);

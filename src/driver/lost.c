// SPDX-License-Identifier: GPL-2.0
/*
 * A device that is gone before its pages could come home.
 *
 * While the device answers, teardown evicts every page (src/move/evict.c) and
 * nothing is lost.  When it does not — surprise removal, a fatal PCI error,
 * a frozen link whose reset would leave VRAM undefined — the data in VRAM
 * is unreachable.  From the moment that is known:
 *  - a CPU touch of a resident page gets SIGBUS (src/move/fault.c), never stale
 *    or zero data;
 *  - ioctls that would move data fail with -EIO; eviction stops;
 *  - remove() does not copy, and cannot free the struct pages either, since
 *    processes still map them.  The pool, the pagemap and the ps_device
 *    stay behind, with a module reference, until the last such page is
 *    unmapped (munmap, exit, MADV_DONTNEED): the page-free callback then
 *    queues the final teardown on ps_lost_wq, which module exit flushes.
 *
 * The PCI core reports permanent failures and frozen channels through
 * err_handler.error_detected(); remove() also asks the device whether it is
 * still there (config space reads of all ones).  The state itself, and
 * ps_device_mark_lost(), are the core's (src/core/device.c), so every
 * layer can read it; tests mark a device lost through debugfs
 * (src/iface/debugfs.c).
 */
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/workqueue.h>

#include <pseudoscopic/core/device.h>
#include <pseudoscopic/driver/lost.h>

/* Final teardowns of lost devices; flushed and destroyed at module exit. */
static struct workqueue_struct *ps_lost_wq;

/* The last page is free: the struct pages and the pool can go. */
static void ps_lost_release_work(struct work_struct *work)
{
	struct ps_device *ps = container_of(work, struct ps_device,
					    lost_work);
	struct pci_dev *pdev = ps->pdev;

	ps_devmem_unregister(ps);
	ps_pool_destroy(&ps->pool);
	pci_info(pdev, "lost device released: every page was unmapped\n");
	ps_device_put(ps);
	pci_dev_put(pdev);
	module_put(THIS_MODULE);
}

/**
 * ps_lost_page_freed() - a page of the pool was freed
 * @ps: the device
 *
 * Queues the final teardown of a lost, removed device once every page of
 * its pool is free.  Called from the page-free callback, in any context.
 */
void ps_lost_page_freed(struct ps_device *ps)
{
	if (likely(!test_bit(PS_LOST, &ps->lost_flags)))
		return;
	/* Our nr_free update before the flag; pairs with ps_lost_remove(). */
	smp_mb();
	if (!test_bit(PS_LOST_REMOVED, &ps->lost_flags) ||
	    ps_pool_nr_free(&ps->pool) != ps->pool.nr_pages)
		return;
	if (!test_and_set_bit(PS_LOST_RELEASING, &ps->lost_flags))
		queue_work(ps_lost_wq, &ps->lost_work);
}

/**
 * ps_lost_remove() - remove() of a lost device: defer what pages pin
 * @ps: the device, lost; its node, work queue and BAR are already gone
 *
 * Takes over the binding's reference on @ps and holds the PCI device until
 * the last page is free; the module reference taken when the device was
 * marked lost goes with them.  Without that reference (the device was
 * found gone while the module is being unloaded) nothing may outlive the
 * module, so this waits for the pages to be unmapped instead.
 *
 * Context: process context (remove).
 */
void ps_lost_remove(struct ps_device *ps)
{
	unsigned long resident = ps->pool.nr_pages - ps_pool_nr_free(&ps->pool);

	if (resident)
		pci_warn(ps->pdev, "%lu pages were in VRAM and are lost; they stay allocated until unmapped\n",
			 resident);
	if (!test_bit(PS_LOST_MODULE_REF, &ps->lost_flags)) {
		ps_devmem_unregister(ps);	/* waits for the last page */
		ps_pool_destroy(&ps->pool);
		ps_device_put(ps);
		return;
	}
	pci_dev_get(ps->pdev);
	INIT_WORK(&ps->lost_work, ps_lost_release_work);
	set_bit(PS_LOST_REMOVED, &ps->lost_flags);
	/* The flag before nr_free; pairs with ps_lost_page_freed(). */
	smp_mb__after_atomic();
	ps_lost_page_freed(ps);
}

static pci_ers_result_t ps_lost_error_detected(struct pci_dev *pdev,
					       pci_channel_state_t state)
{
	struct ps_device *ps = pci_get_drvdata(pdev);

	if (state == pci_channel_io_normal)
		return PCI_ERS_RESULT_CAN_RECOVER;
	/*
	 * A reset would leave VRAM contents undefined: whatever it holds now
	 * can no longer be trusted, so it is treated as gone.
	 */
	ps_device_mark_lost(ps, state == pci_channel_io_frozen ?
			    "PCI channel frozen" : "permanent PCI failure");
	return PCI_ERS_RESULT_DISCONNECT;
}

const struct pci_error_handlers ps_pci_err_handler = {
	.error_detected = ps_lost_error_detected,
};

/**
 * ps_lost_init() - module init: the queue for deferred teardowns
 *
 * Return: 0 or -ENOMEM.
 */
int ps_lost_init(void)
{
	ps_lost_wq = alloc_workqueue(PS_DRV_NAME "_lost", WQ_UNBOUND, 0);
	return ps_lost_wq ? 0 : -ENOMEM;
}

/**
 * ps_lost_exit() - module exit: no deferred teardown may still run
 *
 * The module cannot be unloaded while a lost device holds pages (each
 * holds a module reference); this waits for the work item that dropped
 * the last one to return.
 */
void ps_lost_exit(void)
{
	destroy_workqueue(ps_lost_wq);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * ps_soft_dma: a software dmaengine provider, for tests only.
 *
 * Registers a platform device with PSD_CHANS DMA_MEMCPY channels (private:
 * only dma_request_chan_by_mask() users get one) so that pseudoscopic's
 * dmaengine client path runs in a VM without DMA hardware.  A worker does
 * each memcpy with the CPU: bus addresses are physical addresses (no
 * IOMMU), RAM is reached through the direct map and anything else (the
 * BAR) through a write-combined memremap() of the 2 MiB around it, kept
 * while the descriptors stay in it.  Never installed.
 *
 * debugfs, /sys/kernel/debug/ps_soft_dma/:
 *   copies           descriptors completed with their data copied
 *   errors, hangs, prep_failures   faults injected so far
 *   fail_prep_in N   the N-th prep from now returns NULL
 *   error_in N       the N-th descriptor run from now is not copied and
 *                    completes with DMA_TRANS_WRITE_FAILED
 *   hang_in N        the N-th descriptor run from now never completes; its
 *                    channel stalls until terminated
 */
#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/dma-direct.h>
#include <linux/dma-mapping.h>
#include <linux/dmaengine.h>
#include <linux/io.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#define PSD_NAME	"ps_soft_dma"
#define PSD_CHANS	4
#define PSD_WC_WINDOW	SZ_2M

/* Counters and fault injection knobs (debugfs). */
static atomic_t psd_copies, psd_errors, psd_hangs, psd_prep_failures;
static atomic_t psd_fail_prep_in, psd_error_in, psd_hang_in;

/**
 * struct psd_desc - one memcpy descriptor
 * @tx: what the client sees
 * @dst: destination bus address
 * @src: source bus address
 * @len: bytes
 * @node: on its channel's @submitted or @issued list
 */
struct psd_desc {
	struct dma_async_tx_descriptor tx;
	dma_addr_t dst;
	dma_addr_t src;
	size_t len;
	struct list_head node;
};

/**
 * struct psd_chan - one channel
 * @chan: the dmaengine channel (its cookie and completed_cookie fields are
 *	under @lock)
 * @lock: protects @submitted, @issued, @hung and the channel's cookies
 * @submitted: descriptors submitted, not issued yet
 * @issued: descriptors issued, run in order by @work
 * @hung: the head of @issued was chosen to never complete
 * @work: runs the issued descriptors
 * @wc_base: physical address of the device memory @wc_virt maps
 * @wc_virt: a write-combined mapping of PSD_WC_WINDOW bytes at @wc_base,
 *	kept from one descriptor to the next (used by @work only; unmapped
 *	once the work is flushed)
 */
struct psd_chan {
	struct dma_chan chan;
	spinlock_t lock;		/* lists, hung, cookies */
	struct list_head submitted;
	struct list_head issued;
	bool hung;
	struct work_struct work;
	phys_addr_t wc_base;
	void *wc_virt;
};

/**
 * struct psd - the provider
 * @dma: the dmaengine device
 * @chans: its channels
 */
struct psd {
	struct dma_device dma;
	struct psd_chan chans[PSD_CHANS];
};

static struct platform_device *psd_pdev;
static struct dentry *psd_debugfs;

static struct psd_chan *to_psd_chan(struct dma_chan *chan)
{
	return container_of(chan, struct psd_chan, chan);
}

/* True when the countdown in @knob reaches zero now (then it is off). */
static bool psd_inject(atomic_t *knob)
{
	return atomic_dec_if_positive(knob) == 0;
}

static void psd_wc_unmap(struct psd_chan *pc)
{
	if (pc->wc_virt)
		memunmap(pc->wc_virt);
	pc->wc_virt = NULL;
}

static bool psd_is_ram(phys_addr_t phys, size_t len)
{
	return page_is_ram(PHYS_PFN(phys)) &&
	       page_is_ram(PHYS_PFN(phys + len - 1));
}

/*
 * Device memory (the BAR) through one write-combined window per channel,
 * mapped again only when a descriptor leaves it.  Mapping every page anew
 * cost a vmap area, its KASAN shadow and a TLB flush per page: on the
 * KASAN kernel, with other VMs on the same cores, the provider copied
 * about 120 pages a second and windows overran the client's 5 s timeout.
 * Returns NULL when it cannot map.
 */
static void *psd_map_wc(struct psd_chan *pc, phys_addr_t phys, size_t len)
{
	phys_addr_t base = ALIGN_DOWN(phys, PSD_WC_WINDOW);

	if (phys + len > base + PSD_WC_WINDOW)
		return NULL;	/* the client's descriptors are single pages */
	if (!pc->wc_virt || pc->wc_base != base) {
		psd_wc_unmap(pc);
		pc->wc_virt = memremap(base, PSD_WC_WINDOW, MEMREMAP_WC);
		pc->wc_base = base;
	}
	return pc->wc_virt ? pc->wc_virt + (phys - base) : NULL;
}

/*
 * Copy one descriptor's data: RAM to device memory or back (RAM through
 * the direct map).  False if a side could not be mapped, or neither side
 * is RAM (the client never copies within the device).
 */
static bool psd_copy(struct psd_chan *pc, struct psd_desc *d)
{
	struct device *dev = pc->chan.device->dev;
	phys_addr_t src = dma_to_phys(dev, d->src);
	phys_addr_t dst = dma_to_phys(dev, d->dst);
	bool src_ram = psd_is_ram(src, d->len);
	bool dst_ram = psd_is_ram(dst, d->len);
	void *from, *to;

	if (!src_ram && !dst_ram)
		return false;
	from = src_ram ? phys_to_virt(src) : psd_map_wc(pc, src, d->len);
	to = dst_ram ? phys_to_virt(dst) : psd_map_wc(pc, dst, d->len);
	if (!from || !to)
		return false;
	memcpy(to, from, d->len);
	wmb();	/* drain write-combining before completing */
	return true;
}

static void psd_complete(struct psd_chan *pc, struct psd_desc *d,
			 enum dmaengine_tx_result result)
{
	struct dmaengine_result res = { .result = result };
	struct dma_async_tx_descriptor *tx = &d->tx;
	unsigned long flags;

	spin_lock_irqsave(&pc->lock, flags);
	pc->chan.completed_cookie = tx->cookie;
	spin_unlock_irqrestore(&pc->lock, flags);
	if (tx->callback_result)
		tx->callback_result(tx->callback_param, &res);
	else if (tx->callback)
		tx->callback(tx->callback_param);
	kfree(d);
}

static void psd_work(struct work_struct *work)
{
	struct psd_chan *pc = container_of(work, struct psd_chan, work);
	enum dmaengine_tx_result result;
	unsigned long flags;
	struct psd_desc *d;

	for (;;) {
		spin_lock_irqsave(&pc->lock, flags);
		d = list_first_entry_or_null(&pc->issued, struct psd_desc,
					     node);
		if (d && !pc->hung && psd_inject(&psd_hang_in)) {
			pc->hung = true;
			atomic_inc(&psd_hangs);
		}
		if (!d || pc->hung) {
			spin_unlock_irqrestore(&pc->lock, flags);
			return;
		}
		list_del(&d->node);
		spin_unlock_irqrestore(&pc->lock, flags);

		result = DMA_TRANS_WRITE_FAILED;
		if (psd_inject(&psd_error_in)) {
			atomic_inc(&psd_errors);
		} else if (psd_copy(pc, d)) {
			atomic_inc(&psd_copies);
			result = DMA_TRANS_NOERROR;
		}
		psd_complete(pc, d, result);
		cond_resched();
	}
}

static dma_cookie_t psd_tx_submit(struct dma_async_tx_descriptor *tx)
{
	struct psd_chan *pc = to_psd_chan(tx->chan);
	struct psd_desc *d = container_of(tx, struct psd_desc, tx);
	unsigned long flags;
	dma_cookie_t cookie;

	spin_lock_irqsave(&pc->lock, flags);
	cookie = pc->chan.cookie + 1;
	if (cookie < DMA_MIN_COOKIE)
		cookie = DMA_MIN_COOKIE;
	pc->chan.cookie = cookie;
	tx->cookie = cookie;
	list_add_tail(&d->node, &pc->submitted);
	spin_unlock_irqrestore(&pc->lock, flags);
	return cookie;
}

static struct dma_async_tx_descriptor *
psd_prep_memcpy(struct dma_chan *chan, dma_addr_t dst, dma_addr_t src,
		size_t len, unsigned long flags)
{
	struct psd_desc *d;

	if (!len || psd_inject(&psd_fail_prep_in)) {
		atomic_inc(&psd_prep_failures);
		return NULL;
	}
	d = kzalloc(sizeof(*d), GFP_NOWAIT);
	if (!d)
		return NULL;
	dma_async_tx_descriptor_init(&d->tx, chan);
	d->tx.flags = flags;
	d->tx.tx_submit = psd_tx_submit;
	d->dst = dst;
	d->src = src;
	d->len = len;
	INIT_LIST_HEAD(&d->node);
	return &d->tx;
}

static void psd_issue_pending(struct dma_chan *chan)
{
	struct psd_chan *pc = to_psd_chan(chan);
	unsigned long flags;

	spin_lock_irqsave(&pc->lock, flags);
	list_splice_tail_init(&pc->submitted, &pc->issued);
	spin_unlock_irqrestore(&pc->lock, flags);
	queue_work(system_unbound_wq, &pc->work);
}

static enum dma_status psd_tx_status(struct dma_chan *chan,
				     dma_cookie_t cookie,
				     struct dma_tx_state *state)
{
	struct psd_chan *pc = to_psd_chan(chan);
	dma_cookie_t used, done;
	unsigned long flags;

	spin_lock_irqsave(&pc->lock, flags);
	used = chan->cookie;
	done = chan->completed_cookie;
	spin_unlock_irqrestore(&pc->lock, flags);
	dma_set_tx_state(state, done, used, 0);
	return dma_async_is_complete(cookie, done, used);
}

/* Drop every descriptor not run yet, without callbacks. */
static int psd_terminate_all(struct dma_chan *chan)
{
	struct psd_chan *pc = to_psd_chan(chan);
	struct psd_desc *d, *tmp;
	unsigned long flags;
	LIST_HEAD(drop);

	spin_lock_irqsave(&pc->lock, flags);
	list_splice_tail_init(&pc->submitted, &drop);
	list_splice_tail_init(&pc->issued, &drop);
	pc->hung = false;
	chan->completed_cookie = chan->cookie;
	spin_unlock_irqrestore(&pc->lock, flags);
	list_for_each_entry_safe(d, tmp, &drop, node)
		kfree(d);
	return 0;
}

/* Wait for the descriptor the worker may be running (and its callback). */
static void psd_synchronize(struct dma_chan *chan)
{
	flush_work(&to_psd_chan(chan)->work);
}

static int psd_alloc_chan_resources(struct dma_chan *chan)
{
	chan->cookie = DMA_MIN_COOKIE;
	chan->completed_cookie = DMA_MIN_COOKIE;
	return 0;
}

static void psd_free_chan_resources(struct dma_chan *chan)
{
	psd_terminate_all(chan);
	psd_synchronize(chan);
	psd_wc_unmap(to_psd_chan(chan));
}

static int psd_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct psd *psd;
	int i, ret;

	ret = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;
	psd = devm_kzalloc(dev, sizeof(*psd), GFP_KERNEL);
	if (!psd)
		return -ENOMEM;
	dma_cap_set(DMA_MEMCPY, psd->dma.cap_mask);
	dma_cap_set(DMA_PRIVATE, psd->dma.cap_mask);
	psd->dma.dev = dev;
	psd->dma.device_alloc_chan_resources = psd_alloc_chan_resources;
	psd->dma.device_free_chan_resources = psd_free_chan_resources;
	psd->dma.device_prep_dma_memcpy = psd_prep_memcpy;
	psd->dma.device_issue_pending = psd_issue_pending;
	psd->dma.device_tx_status = psd_tx_status;
	psd->dma.device_terminate_all = psd_terminate_all;
	psd->dma.device_synchronize = psd_synchronize;
	psd->dma.directions = BIT(DMA_MEM_TO_MEM);
	INIT_LIST_HEAD(&psd->dma.channels);
	for (i = 0; i < PSD_CHANS; i++) {
		struct psd_chan *pc = &psd->chans[i];

		spin_lock_init(&pc->lock);
		INIT_LIST_HEAD(&pc->submitted);
		INIT_LIST_HEAD(&pc->issued);
		INIT_WORK(&pc->work, psd_work);
		pc->chan.device = &psd->dma;
		list_add_tail(&pc->chan.device_node, &psd->dma.channels);
	}
	ret = dma_async_device_register(&psd->dma);
	if (ret)
		return ret;
	platform_set_drvdata(pdev, psd);
	dev_info(dev, "%d software DMA_MEMCPY channels (test provider)\n",
		 PSD_CHANS);
	return 0;
}

static void psd_remove(struct platform_device *pdev)
{
	struct psd *psd = platform_get_drvdata(pdev);
	int i;

	/* Clients hold a module reference per channel: none is in use. */
	dma_async_device_unregister(&psd->dma);
	for (i = 0; i < PSD_CHANS; i++) {
		flush_work(&psd->chans[i].work);
		psd_wc_unmap(&psd->chans[i]);
	}
}

static struct platform_driver psd_driver = {
	.driver.name = PSD_NAME,
	.probe = psd_probe,
	.remove = psd_remove,
};

static void psd_debugfs_init(void)
{
	struct dentry *d = debugfs_create_dir(PSD_NAME, NULL);

	psd_debugfs = d;
	debugfs_create_atomic_t("copies", 0444, d, &psd_copies);
	debugfs_create_atomic_t("errors", 0444, d, &psd_errors);
	debugfs_create_atomic_t("hangs", 0444, d, &psd_hangs);
	debugfs_create_atomic_t("prep_failures", 0444, d, &psd_prep_failures);
	debugfs_create_atomic_t("fail_prep_in", 0644, d, &psd_fail_prep_in);
	debugfs_create_atomic_t("error_in", 0644, d, &psd_error_in);
	debugfs_create_atomic_t("hang_in", 0644, d, &psd_hang_in);
}

static int __init psd_init(void)
{
	int ret;

	ret = platform_driver_register(&psd_driver);
	if (ret)
		return ret;
	psd_pdev = platform_device_register_simple(PSD_NAME, -1, NULL, 0);
	if (IS_ERR(psd_pdev)) {
		ret = PTR_ERR(psd_pdev);
		goto err_driver;
	}
	if (!platform_get_drvdata(psd_pdev)) {
		ret = -ENODEV;	/* probe failed; it said why */
		goto err_device;
	}
	psd_debugfs_init();
	return 0;

err_device:
	platform_device_unregister(psd_pdev);
err_driver:
	platform_driver_unregister(&psd_driver);
	return ret;
}

static void __exit psd_exit(void)
{
	debugfs_remove_recursive(psd_debugfs);
	platform_device_unregister(psd_pdev);
	platform_driver_unregister(&psd_driver);
}

module_init(psd_init);
module_exit(psd_exit);
MODULE_DESCRIPTION("Software DMA_MEMCPY provider for pseudoscopic tests");
MODULE_LICENSE("GPL");

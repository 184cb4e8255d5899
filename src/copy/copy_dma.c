// SPDX-License-Identifier: GPL-2.0
/*
 * The DMA copy engine: a dmaengine client on a DMA_MEMCPY channel (Intel
 * IOAT/DSA, AMD PTDMA, or any other provider).  The pool part of the BAR
 * is mapped once for the channel's device (dma_map_resource); each window
 * maps its RAM pages (dma_map_page), prepares and submits one descriptor
 * per page, issues them once and waits once, on a completion signalled by
 * the descriptors' callbacks, with a timeout.  Any failure is reported to
 * the caller (src/copy/copy_engine.c), which redoes the window with the CPU.
 *
 * This drives no GPU copy engine: the channel belongs to a dmaengine
 * provider elsewhere in the system and reaches the BAR over PCI.
 */
#include <linux/dma-mapping.h>
#include <linux/dmaengine.h>
#include <linux/err.h>
#include <linux/jiffies.h>
#include <uapi/linux/pseudoscopic.h>

#include <pseudoscopic/copy/copy.h>
#include <pseudoscopic/core/device.h>
#include <pseudoscopic/core/params.h>
#include <pseudoscopic/core/stats.h>
#include <pseudoscopic/mem/vram_addr.h>

/**
 * ps_dma_attach() - take a DMA_MEMCPY channel and map the pool for it
 * @ps: the device, without a channel
 *
 * Context: process context, under @ps->copy_lock; may sleep.
 * Return: 0, or a negative errno when no channel exists or the channel's
 * device cannot reach the BAR.
 */
int ps_dma_attach(struct ps_device *ps)
{
	dma_cap_mask_t mask;
	struct dma_chan *chan;
	struct device *dev;
	dma_addr_t bar;

	lockdep_assert_held(&ps->copy_lock);
	dma_cap_zero(mask);
	dma_cap_set(DMA_MEMCPY, mask);
	chan = dma_request_chan_by_mask(&mask);
	if (IS_ERR(chan))
		return PTR_ERR(chan);
	dev = chan->device->dev;
	bar = dma_map_resource(dev, ps->bar.phys + ps->layout.offset,
			       ps->layout.size, DMA_BIDIRECTIONAL, 0);
	if (dma_mapping_error(dev, bar)) {
		pci_warn(ps->pdev, "DMA channel %s cannot reach BAR%d\n",
			 dma_chan_name(chan), ps->bar.index);
		dma_release_channel(chan);
		return -EIO;
	}
	ps->dma_bar = bar;
	/* Pairs with smp_load_acquire() in readers: @dma_bar is set first. */
	smp_store_release(&ps->dma_chan, chan);
	pci_info(ps->pdev, "DMA channel %s (%s) attached for copies\n",
		 dma_chan_name(chan), dev_name(dev));
	return 0;
}

/**
 * ps_dma_chan_get() - set the copy mode at probe; attach a channel for it
 * @ps: the device
 *
 * copy_engine=cpu takes no channel; auto takes one if any exists; dma
 * requires one and refuses the device otherwise.
 *
 * Context: process context (probe); may sleep.
 * Return: 0 (with or without a channel), or -ENODEV when copy_engine=dma
 * (or enable_dma=1) and no usable channel exists.
 */
int ps_dma_chan_get(struct ps_device *ps)
{
	int ret = 0;

	mutex_init(&ps->copy_lock);
	init_rwsem(&ps->dma_stop);
	spin_lock_init(&ps->dma_windows_lock);
	INIT_LIST_HEAD(&ps->dma_windows);
	ps->copy_mode = ps_param_copy_mode;
	ps->dma_chan = NULL;
	if (ps->copy_mode == PS_COPY_MODE_CPU)
		return 0;
	mutex_lock(&ps->copy_lock);
	ret = ps_dma_attach(ps);
	mutex_unlock(&ps->copy_lock);
	if (ret && ps->copy_mode == PS_COPY_MODE_DMA) {
		pci_err(ps->pdev, "%s but no DMA_MEMCPY channel is available%s\n",
			ps_param_copy_origin,
			ret == -EIO ? " (its device cannot reach the BAR)" : "");
		return -ENODEV;
	}
	return 0;
}

/**
 * ps_dma_chan_put() - release the channel and the BAR mapping
 * @ps: the device; no copy may run any more
 *
 * Context: process context (remove, or probe unwinding); may sleep.
 */
void ps_dma_chan_put(struct ps_device *ps)
{
	struct dma_chan *chan = ps->dma_chan;

	if (chan) {
		dma_unmap_resource(chan->device->dev, ps->dma_bar,
				   ps->layout.size, DMA_BIDIRECTIONAL, 0);
		dma_release_channel(chan);
	}
	ps->dma_chan = NULL;
	mutex_destroy(&ps->copy_lock);
}

static enum dma_data_direction ps_dma_dir(const struct ps_copy_window *w)
{
	return w->to_vram ? DMA_TO_DEVICE : DMA_FROM_DEVICE;
}

/* Descriptor callback: any context (provider's tasklet, IRQ or worker). */
static void ps_dma_done(void *param, const struct dmaengine_result *res)
{
	struct ps_copy_window *w = param;

	if (res && res->result != DMA_TRANS_NOERROR)
		atomic_inc(&w->errors);
	if (atomic_dec_and_test(&w->pending))
		complete(&w->done);
}

/**
 * ps_dma_window_queue() - map a page and submit its copy descriptor
 * @w: a window using a DMA channel
 * @dpage: destination
 * @spage: source
 *
 * Once a page of the window fails to queue, the rest are only recorded:
 * the window will be redone by the CPU.
 *
 * Context: process context.
 */
void ps_dma_window_queue(struct ps_copy_window *w, struct page *dpage,
			 struct page *spage)
{
	struct ps_copy_page *p = &w->page[w->n++];
	struct ps_device *ps = w->ps;
	struct dma_chan *chan = w->chan;
	struct device *dev = chan->device->dev;
	struct dma_async_tx_descriptor *tx;
	dma_addr_t vram, src, dst;
	dma_cookie_t cookie;

	p->ram = w->to_vram ? spage : dpage;
	p->dev = w->to_vram ? dpage : spage;
	p->addr = DMA_MAPPING_ERROR;
	if (w->failed)
		return;
	p->addr = dma_map_page(dev, p->ram, 0, PAGE_SIZE, ps_dma_dir(w));
	if (dma_mapping_error(dev, p->addr)) {
		p->addr = DMA_MAPPING_ERROR;
		goto failed;
	}
	vram = ps->dma_bar + ps_page_pool_offset(ps, p->dev);
	src = w->to_vram ? p->addr : vram;
	dst = w->to_vram ? vram : p->addr;
	down_read(&ps->dma_stop);
	/* Stopped under us: the rest of the window goes to the CPU. */
	if (w->aborted)
		goto failed_unlock;
	tx = dmaengine_prep_dma_memcpy(chan, dst, src, PAGE_SIZE,
				       DMA_PREP_INTERRUPT | DMA_CTRL_ACK);
	if (!tx)
		goto failed_unlock;
	tx->callback_result = ps_dma_done;
	tx->callback_param = w;
	if (list_empty(&w->node)) {
		spin_lock(&ps->dma_windows_lock);
		list_add_tail(&w->node, &ps->dma_windows);
		spin_unlock(&ps->dma_windows_lock);
	}
	atomic_inc(&w->pending);
	cookie = dmaengine_submit(tx);
	if (dma_submit_error(cookie)) {
		atomic_dec(&w->pending);
		goto failed_unlock;
	}
	w->submitted++;
	up_read(&ps->dma_stop);
	return;

failed_unlock:
	up_read(&ps->dma_stop);
failed:
	w->failed = true;
	ps_stat_inc(ps, copy_errors);
}

/*
 * @w timed out: stop the channel, which drops every descriptor on it, the
 * other windows' too.  Those windows are told (aborted, and woken) instead
 * of each waiting out its own timeout and stopping the channel again.
 * Returns false if the channel could not be stopped.
 */
static bool ps_dma_stop_channel(struct ps_copy_window *w)
{
	struct ps_device *ps = w->ps;
	struct ps_copy_window *o;
	bool stopped = true;

	down_write(&ps->dma_stop);
	/* Another window's stop already dropped ours: nothing is left. */
	if (w->aborted)
		goto unlock;
	if (dmaengine_terminate_sync(w->chan)) {
		stopped = false;
		goto unlock;
	}
	/* No callback runs any more, and no submission until up_write(). */
	spin_lock(&ps->dma_windows_lock);
	list_for_each_entry(o, &ps->dma_windows, node) {
		if (o == w || o->chan != w->chan)
			continue;
		WRITE_ONCE(o->aborted, true);
		complete(&o->done);
	}
	spin_unlock(&ps->dma_windows_lock);
unlock:
	up_write(&ps->dma_stop);
	return stopped;
}

/**
 * ps_dma_window_wait() - issue a window's descriptors and wait for them
 * @w: a window using a DMA channel
 *
 * On a timeout the channel is stopped (dmaengine_terminate_sync()) before
 * the pages are unmapped, so the channel never touches them afterwards;
 * other windows waiting on the channel then return at once (their
 * descriptors were dropped too) instead of waiting out their own timeouts.
 *
 * Context: process context; sleeps up to PS_DMA_TIMEOUT_MS.
 * Return: 0 when every page was copied, -EIO or -ETIMEDOUT otherwise (the
 * caller then redoes the whole window), -ECANCELED when another window's
 * timeout stopped the channel.
 */
int ps_dma_window_wait(struct ps_copy_window *w)
{
	struct ps_device *ps = w->ps;
	struct dma_chan *chan = w->chan;
	struct device *dev = chan->device->dev;
	unsigned int i, errors;
	int ret = 0;

	if (w->submitted)
		dma_async_issue_pending(chan);
	if (!atomic_dec_and_test(&w->pending) &&
	    !wait_for_completion_timeout(&w->done,
					 msecs_to_jiffies(PS_DMA_TIMEOUT_MS))) {
		dev_warn_ratelimited(&ps->pdev->dev, "DMA window of %u pages on %s timed out after %u ms; copying it with the CPU\n",
				     w->n, dma_chan_name(chan),
				     PS_DMA_TIMEOUT_MS);
		ps_stat_inc(ps, copy_errors);
		ret = -ETIMEDOUT;
		if (!ps_dma_stop_channel(w)) {
			/* It can be neither finished nor stopped: unmapping
			 * now would let it write into freed memory.
			 */
			pci_err(ps->pdev, "DMA channel %s cannot be stopped; waiting for it\n",
				dma_chan_name(chan));
			wait_for_completion(&w->done);
		}
	}
	if (!list_empty(&w->node)) {
		spin_lock(&ps->dma_windows_lock);
		list_del_init(&w->node);
		spin_unlock(&ps->dma_windows_lock);
	}
	if (READ_ONCE(w->aborted) && !ret) {
		dev_info_ratelimited(&ps->pdev->dev, "DMA window of %u pages on %s stopped by another window's timeout; copying it with the CPU\n",
				     w->n, dma_chan_name(chan));
		ret = -ECANCELED;
	}
	errors = atomic_read(&w->errors);
	if (errors) {
		ps_stat_add(ps, copy_errors, errors);
		ret = -EIO;
	}
	if (w->failed)
		ret = -EIO;
	for (i = 0; i < w->n; i++)
		if (w->page[i].addr != DMA_MAPPING_ERROR)
			dma_unmap_page(dev, w->page[i].addr, PAGE_SIZE,
				       ps_dma_dir(w));
	return ret;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Acquisition of a DMA_MEMCPY channel (Intel IOAT/DSA, AMD PTDMA, ...) per
 * the enable_dma parameter.  The channel is only acquired and reported
 * here; copies through it belong to the copy engine.
 */
#include <linux/dmaengine.h>
#include <linux/err.h>

#include <pseudoscopic/device.h>
#include <pseudoscopic/params.h>

/**
 * ps_dma_chan_get() - take a DMA_MEMCPY channel if enable_dma asks for one
 * @ps: the device
 *
 * Context: process context (probe); may sleep.
 * Return: 0 (with or without a channel), or -ENODEV when enable_dma=1 and
 * no channel exists.
 */
int ps_dma_chan_get(struct ps_device *ps)
{
	dma_cap_mask_t mask;
	struct dma_chan *chan;

	ps->dma_chan = NULL;
	if (!ps_param_enable_dma)
		return 0;
	dma_cap_zero(mask);
	dma_cap_set(DMA_MEMCPY, mask);
	chan = dma_request_chan_by_mask(&mask);
	if (IS_ERR(chan)) {
		if (ps_param_enable_dma == 1) {
			pci_err(ps->pdev, "enable_dma=1 but no DMA_MEMCPY channel is available (%ld)\n",
				PTR_ERR(chan));
			return -ENODEV;
		}
		return 0;
	}
	ps->dma_chan = chan;
	return 0;
}

/**
 * ps_dma_chan_put() - release the channel taken by ps_dma_chan_get()
 * @ps: the device
 *
 * Context: process context (remove); may sleep.
 */
void ps_dma_chan_put(struct ps_device *ps)
{
	if (ps->dma_chan)
		dma_release_channel(ps->dma_chan);
	ps->dma_chan = NULL;
}

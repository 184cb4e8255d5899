// SPDX-License-Identifier: GPL-2.0
/*
 * Copy engine choice and migration windows.  A window's copies are queued
 * one page at a time and completed together by ps_copy_window_wait(); the
 * window samples the device's engine once, at its start, so a mode change
 * never splits a window between engines.
 *
 *   cpu   the NASM streaming routines (src/copy/copy_cpu.c), synchronous
 *   dma   a dmaengine DMA_MEMCPY channel (src/copy/copy_dma.c); a window that
 *         fails in any way is redone with CPU copies: its sources are
 *         intact until the migration is finalized, so nothing is lost
 *
 * Mode "auto" uses DMA when a channel is attached, else the CPU.
 */
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <uapi/linux/pseudoscopic.h>

#include <pseudoscopic/copy/copy.h>
#include <pseudoscopic/core/device.h>
#include <pseudoscopic/core/params.h>
#include <pseudoscopic/core/stats.h>

static struct dma_chan *ps_copy_chan(struct ps_device *ps)
{
	if (READ_ONCE(ps->copy_mode) == PS_COPY_MODE_CPU)
		return NULL;
	/* Pairs with ps_dma_attach(): dma_bar is valid once dma_chan is. */
	return smp_load_acquire(&ps->dma_chan);
}

/**
 * ps_copy_uses_dma() - whether new migration windows copy with DMA
 * @ps: the device
 *
 * Context: any.
 * Return: true when the mode is not "cpu" and a channel is attached.
 */
bool ps_copy_uses_dma(struct ps_device *ps)
{
	return ps_copy_chan(ps);
}

/**
 * ps_copy_set_mode() - change the copy mode of a device (sysfs)
 * @ps: the device
 * @mode: PS_COPY_MODE_*
 *
 * "auto" and "dma" attach a channel when none is attached yet; "dma"
 * fails if none can be.  Windows already running finish with the engine
 * they started with; the channel stays attached until the device goes.
 *
 * Context: process context; takes @ps->copy_lock.
 * Return: 0, or -ENODEV when "dma" finds no usable channel.
 */
int ps_copy_set_mode(struct ps_device *ps, int mode)
{
	int ret = 0;

	mutex_lock(&ps->copy_lock);
	if (mode != PS_COPY_MODE_CPU && !ps->dma_chan &&
	    ps_dma_attach(ps) && mode == PS_COPY_MODE_DMA)
		ret = -ENODEV;
	if (!ret && mode != ps->copy_mode) {
		WRITE_ONCE(ps->copy_mode, mode);
		dev_info_ratelimited(&ps->pdev->dev, "copy_mode %s: %s copies\n",
				     ps_copy_mode_name(mode),
				     ps_copy_uses_dma(ps) ? "DMA" : "CPU");
	}
	mutex_unlock(&ps->copy_lock);
	return ret;
}

/**
 * ps_copy_window_alloc() - allocate the copy state of a migration
 * @ps: the device
 *
 * Context: process context; may sleep.
 * Return: the window, or NULL without memory.
 */
struct ps_copy_window *ps_copy_window_alloc(struct ps_device *ps)
{
	struct ps_copy_window *w = kmalloc(sizeof(*w), GFP_KERNEL);

	if (w)
		w->ps = ps;
	return w;
}

/**
 * ps_copy_window_free() - free what ps_copy_window_alloc() returned
 * @w: the window (NULL is allowed); no copies may be queued
 */
void ps_copy_window_free(struct ps_copy_window *w)
{
	kfree(w);
}

/**
 * ps_copy_window_begin() - start a window: choose its engine
 * @w: the window
 * @to_vram: direction of its copies
 *
 * Context: process context.
 */
void ps_copy_window_begin(struct ps_copy_window *w, bool to_vram)
{
	w->chan = ps_copy_chan(w->ps);
	w->to_vram = to_vram;
	w->failed = false;
	w->aborted = false;
	INIT_LIST_HEAD(&w->node);
	w->n = 0;
	w->submitted = 0;
	atomic_set(&w->pending, 1);
	atomic_set(&w->errors, 0);
	init_completion(&w->done);
}

/**
 * ps_copy_window_queue() - queue the copy of one page
 * @w: the window
 * @dpage: destination (a device page of @w->ps to VRAM, RAM otherwise)
 * @spage: source
 *
 * With the CPU engine the copy is done on return (a copy to VRAM may still
 * sit in write-combining buffers until ps_copy_window_wait()).
 *
 * Context: process context.
 */
void ps_copy_window_queue(struct ps_copy_window *w, struct page *dpage,
			  struct page *spage)
{
	if (w->chan) {
		ps_dma_window_queue(w, dpage, spage);
		return;
	}
	if (w->to_vram)
		ps_copy_to_vram(w->ps, dpage, spage);
	else
		ps_copy_from_vram(w->ps, dpage, spage);
}

/**
 * ps_copy_window_wait() - complete every copy of the window
 * @w: the window
 *
 * A DMA window that failed is redone here with CPU copies and counted in
 * dma_fallbacks; either way every destination holds its data on return.
 *
 * Context: process context; may sleep (up to PS_DMA_TIMEOUT_MS for DMA).
 */
void ps_copy_window_wait(struct ps_copy_window *w)
{
	struct ps_device *ps = w->ps;
	unsigned int i;

	if (w->chan && w->n) {
		if (!ps_dma_window_wait(w)) {
			ps_stat_add(ps, dma_pages, w->n);
			return;
		}
		ps_stat_inc(ps, dma_fallbacks);
		for (i = 0; i < w->n; i++) {
			struct ps_copy_page *p = &w->page[i];

			if (w->to_vram)
				ps_copy_to_vram(ps, p->dev, p->ram);
			else
				ps_copy_from_vram(ps, p->ram, p->dev);
		}
	}
	if (w->to_vram)
		ps_copy_wait(ps);
}

/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PS_COPY_H
#define PS_COPY_H

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/dma-mapping.h>
#include <linux/pgtable.h>
#include <linux/types.h>

struct dma_chan;
struct page;
struct ps_device;

/* Migration windows, and so copy windows, are one PMD: 512 4 KiB pages. */
#define PS_WINDOW_PAGES		(PMD_SIZE >> PAGE_SHIFT)

/* A window whose DMA does not finish in this time is redone by the CPU. */
#define PS_DMA_TIMEOUT_MS	5000

/**
 * struct ps_copy_page - one page of a DMA window
 * @ram: the page in RAM (source to VRAM, destination from VRAM)
 * @dev: the device page
 * @addr: @ram mapped for the channel's device, or DMA_MAPPING_ERROR
 */
struct ps_copy_page {
	struct page *ram;
	struct page *dev;
	dma_addr_t addr;
};

/**
 * struct ps_copy_window - the copies of one migration window
 * @ps: the device
 * @chan: the DMA channel this window uses, NULL for CPU copies
 * @to_vram: direction of every copy of the window
 * @failed: a DMA copy could not be queued (map, prep or submit error)
 * @aborted: another window stopped the channel after a timeout while this
 *	one had descriptors on it: each of them completed or was dropped
 *	(set under @ps->dma_stop held for writing, then @done completed)
 * @node: in @ps->dma_windows from its first submission until waited for
 * @n: pages queued
 * @submitted: DMA descriptors submitted
 * @pending: descriptors not completed yet, plus one held by the waiter
 * @errors: descriptors completed with an error result
 * @done: completed when @pending reaches zero
 * @page: the pages queued, for unmapping and for the CPU fallback
 *
 * Owned by one migration (allocated with its pfn arrays, not shared);
 * descriptor callbacks touch only @pending, @errors and @done; a window
 * stopping the channel touches only @aborted and @done.
 */
struct ps_copy_window {
	struct ps_device *ps;
	struct dma_chan *chan;
	bool to_vram;
	bool failed;
	bool aborted;
	struct list_head node;
	unsigned int n;
	unsigned int submitted;
	atomic_t pending;
	atomic_t errors;
	struct completion done;
	struct ps_copy_page page[PS_WINDOW_PAGES];
};

struct ps_copy_window *ps_copy_window_alloc(struct ps_device *ps);
void ps_copy_window_free(struct ps_copy_window *w);
void ps_copy_window_begin(struct ps_copy_window *w, bool to_vram);
void ps_copy_window_queue(struct ps_copy_window *w, struct page *dpage,
			  struct page *spage);
void ps_copy_window_wait(struct ps_copy_window *w);

int ps_copy_set_mode(struct ps_device *ps, int mode);
bool ps_copy_uses_dma(struct ps_device *ps);

/* Page copies by the CPU (src/copy/copy_cpu.c). */
void ps_copy_to_vram(struct ps_device *ps, struct page *dpage,
		     struct page *spage);
void ps_copy_from_vram(struct ps_device *ps, struct page *dpage,
		       struct page *spage);
void ps_copy_wait(struct ps_device *ps);

/* The dmaengine client (src/copy/copy_dma.c). */
int ps_dma_chan_get(struct ps_device *ps);
void ps_dma_chan_put(struct ps_device *ps);
int ps_dma_attach(struct ps_device *ps);
void ps_dma_window_queue(struct ps_copy_window *w, struct page *dpage,
			 struct page *spage);
int ps_dma_window_wait(struct ps_copy_window *w);

#endif /* PS_COPY_H */

/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PS_DEVICE_H
#define PS_DEVICE_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include <pseudoscopic/hw/bar.h>
#include <pseudoscopic/iface/blkdev.h>
#include <pseudoscopic/mem/devmem.h>
#include <pseudoscopic/move/fault_window.h>
#include <pseudoscopic/hw/layout.h>
#include <pseudoscopic/hw/nvidia.h>
#include <pseudoscopic/mem/pool.h>
#include <pseudoscopic/core/stats.h>

#define PS_DRV_NAME "pseudoscopic"

struct dma_chan;

/**
 * struct ps_device - one bound PCI device
 * @pdev: the PCI device (the PCI core keeps it alive from probe to remove)
 * @bar: the BAR holding the memory pool
 * @nvidia: an NVIDIA display-class function (BAR1 and register rules apply)
 * @nv: what was read from an NVIDIA GPU's registers
 * @vram_size: memory behind the BAR: the NVIDIA VRAM size, else the BAR size
 * @reserve_start: bytes kept out of the pool at the start of VRAM
 * @reserve_end: bytes kept out of the pool at the end of VRAM
 * @layout: where the pool sits in the BAR
 * @pool: allocator of the pool's pages (has its own locks)
 * @devmem: the pool's device-private struct pages
 * @blk: the block device on VRAM after the pool (blkdev_mb), if any
 * @dma_chan: DMA_MEMCPY channel, NULL until one is attached; set once under
 *	@copy_lock (published with smp_store_release() after @dma_bar), read
 *	with smp_load_acquire(), released only by remove() after the last copy
 * @dma_bar: the pool's bus address for @dma_chan's device (dma_map_resource)
 * @copy_lock: serialises @copy_mode changes and the attachment of @dma_chan
 * @copy_mode: PS_COPY_MODE_* asked for (parameter, then sysfs); written
 *	under @copy_lock, read once per migration window with READ_ONCE()
 * @dma_stop: held for reading around each descriptor submission to
 *	@dma_chan, for writing by the window that stops the channel after a
 *	timeout: no descriptor is submitted while the channel is stopped
 * @dma_windows_lock: protects @dma_windows (taken inside @dma_stop)
 * @dma_windows: windows with descriptors submitted to @dma_chan and not yet
 *	waited for (struct ps_copy_window.node)
 * @write_mbps: BAR write bandwidth sampled at probe (MB/s)
 * @read_mbps: BAR read bandwidth sampled at probe (MB/s)
 * @probe_us: time probe took, in microseconds
 * @stats: counters (atomic)
 * @ref: held by the binding (probe to remove), by each open file, and by
 *	/dev/psblkN while it is served from RAM after remove (until its
 *	last close, src/iface/blkdev.c)
 * @state_lock: ioctls hold it for read; remove() takes it for write to set
 *	@dead, so no ioctl runs during or after teardown
 * @dead: the device was removed; protected by @state_lock
 * @suspended: a system sleep transition emptied the pool and no migration
 *	may fill it until resume; protected by @state_lock (src/driver/pm.c)
 * @misc: the /dev/pseudoscopicN node
 * @name: its name
 * @id: the N in the name
 * @faults: the fault-around detector (its own lock)
 * @wq: runs asynchronous prefetches and @evict_work; drained by remove()
 * @evict_work: evicts to the high watermark when free pages run low
 * @nr_async: PS_MIGRATE_ASYNC requests queued or running (atomic; at most
 *	max_async, src/move/migrate.c)
 * @node: on ps_devices while bound (under ps_devices_lock)
 * @lost_flags: PS_LOST* bits (atomic bitops; see src/driver/lost.c)
 * @lost_work: final teardown of a lost device once its pages are free
 *
 * Created in probe; the binding's reference is dropped in remove, after
 * which only open files keep the structure (not the pool or the BAR).
 * Fields other than those with a lock or atomics are written only during
 * probe, before sysfs files and the device node exist.
 */
struct ps_device {
	struct pci_dev *pdev;
	struct ps_bar bar;
	bool nvidia;
	struct ps_nv_info nv;
	u64 vram_size;
	u64 reserve_start;
	u64 reserve_end;
	struct ps_layout layout;
	struct ps_pool pool;
	struct ps_devmem devmem;
	struct ps_blkdev blk;
	struct dma_chan *dma_chan;
	dma_addr_t dma_bar;
	struct mutex copy_lock;		/* copy_mode, attaching dma_chan */
	int copy_mode;
	struct rw_semaphore dma_stop;
	spinlock_t dma_windows_lock;	/* dma_windows */
	struct list_head dma_windows;
	u32 write_mbps;
	u32 read_mbps;
	u64 probe_us;
	struct ps_stats stats;
	struct kref ref;
	struct rw_semaphore state_lock;
	bool dead;
	bool suspended;
	struct miscdevice misc;
	char name[24];
	int id;
	struct ps_fault_streams faults;
	struct workqueue_struct *wq;
	struct work_struct evict_work;
	atomic_t nr_async;
	struct list_head node;
	unsigned long lost_flags;
	struct work_struct lost_work;
};

/* Bits of ps_device.lost_flags. */
enum {
	PS_LOST,		/* VRAM unreachable: SIGBUS, no copies */
	PS_LOST_REMOVED,	/* remove() ran; teardown waits for the pages */
	PS_LOST_RELEASING,	/* the final teardown is queued */
	PS_LOST_MODULE_REF,	/* holds a module reference until released */
	PS_LOST_STUCK,		/* only pages teardown gave up on: VRAM answers */
};

/* Bound devices, for the module-wide views; ps_devices_lock guards it. */
extern struct list_head ps_devices;
extern struct mutex ps_devices_lock;

/**
 * ps_reserved_pages() - VRAM pages the reserves keep out of the pool
 * @ps: the device
 *
 * Return: the pages reserved at the start and at the end of VRAM.
 */
static inline u64 ps_reserved_pages(struct ps_device *ps)
{
	return (ps->reserve_start + ps->reserve_end) >> PAGE_SHIFT;
}

void ps_device_put(struct ps_device *ps);
int ps_device_id_get(struct ps_device *ps);
void ps_device_id_put(struct ps_device *ps);
void ps_device_mark_lost(struct ps_device *ps, const char *why);
int ps_device_copy_begin(void);
void ps_device_copy_end(int cookie);
void ps_device_sync_copies(void);

/**
 * ps_device_is_lost() - is the device's memory unreachable?
 * @ps: the device
 *
 * Return: true once ps_device_mark_lost() ran; it never becomes false.
 */
static inline bool ps_device_is_lost(const struct ps_device *ps)
{
	return test_bit(PS_LOST, &ps->lost_flags);
}

#endif /* PS_DEVICE_H */

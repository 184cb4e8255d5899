// SPDX-License-Identifier: GPL-2.0
/*
 * Block-device mode: /dev/psblkN, a blk-mq disk on the last blkdev_mb MiB
 * of device N's VRAM, carved from the pool at probe.  mkswap and swapon on
 * it give swap in VRAM with no userspace daemon in the I/O path.  Requests
 * are copied synchronously by the CPU through the write-combined BAR
 * mapping with the NASM streaming routines, in process context
 * (BLK_MQ_F_BLOCKING, so the FPU sections may be entered and left freely).
 * Discard and write-zeroes both zero the range: VRAM has nothing to give
 * back, but discarded sectors then read as zeros, as on zram, and what swap
 * discards (old pages of processes) does not linger in the device.
 *
 * PCI remove cannot fail, and a disk still open then (swap, a mount) holds
 * data its users cannot lose: remove() copies the disk into RAM and the
 * disk stays, served from RAM, until its last close (swapoff opens it
 * too, so opens are still accepted); the disk and its RAM go after the
 * last close (a work item, since the close holds the disk's open_mutex
 * that del_gendisk() takes).  Its number N stays taken until then, so a device
 * bound meanwhile gets another.  Only a device found lost at removal
 * cannot be copied: its open disk fails every request from then on.
 */
#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include <pseudoscopic/iface/blkdev.h>
#include <pseudoscopic/core/compat.h>
#include <pseudoscopic/copy/copy_asm.h>
#include <pseudoscopic/core/device.h>

/* Requests of up to 512 KiB; swap writes clusters of pages. */
#define PS_BLK_MAX_SECTORS	1024
#define PS_BLK_QUEUE_DEPTH	64
/* Discard and write-zeroes requests of up to 32 MiB, zeroed 1 MiB at a time. */
#define PS_BLK_MAX_ZERO_SECTORS	65536
#define PS_BLK_ZERO_STEP	SZ_1M

/* Deletes disks served from RAM after their last close. */
static struct workqueue_struct *ps_blk_wq;

static bool ps_blk_in_range(struct ps_device *ps, struct request *rq)
{
	u64 pos = (u64)blk_rq_pos(rq) << SECTOR_SHIFT;

	return pos + blk_rq_bytes(rq) <= ps->blk.size;
}

/* Reads and writes: on VRAM through the WC mapping, or in @ram. */
static blk_status_t ps_blk_rw(struct ps_device *ps, struct request *rq,
			      void *ram)
{
	void __iomem *base = ps->bar.vaddr + ps->blk.offset;
	u64 pos = (u64)blk_rq_pos(rq) << SECTOR_SHIFT;
	bool write = op_is_write(req_op(rq));
	struct req_iterator iter;
	struct bio_vec bv;

	if (!ps_blk_in_range(ps, rq))
		return BLK_STS_IOERR;
	rq_for_each_segment(bv, rq, iter) {
		void *p = bvec_kmap_local(&bv);

		if (ram) {
			if (write)
				memcpy(ram + pos, p, bv.bv_len);
			else
				memcpy(p, ram + pos, bv.bv_len);
			if (!write)
				flush_dcache_page(bv.bv_page);
		} else if (write) {
			ps_copy_to_wc_fpu(base + pos, p, bv.bv_len);
		} else {
			ps_copy_from_wc_fpu(p, base + pos, bv.bv_len);
			flush_dcache_page(bv.bv_page);
		}
		kunmap_local(p);
		pos += bv.bv_len;
	}
	if (write && !ram)
		wmb();	/* drain the write-combining buffers to the device */
	return BLK_STS_OK;
}

/* Discard and write-zeroes: zero the range through the WC mapping. */
static blk_status_t ps_blk_zero(struct ps_device *ps, struct request *rq,
				void *ram)
{
	void __iomem *base = ps->bar.vaddr + ps->blk.offset;
	u64 pos = (u64)blk_rq_pos(rq) << SECTOR_SHIFT;
	u64 end = pos + blk_rq_bytes(rq);

	if (!ps_blk_in_range(ps, rq))
		return BLK_STS_IOERR;
	while (pos < end) {
		u64 n = min_t(u64, end - pos, PS_BLK_ZERO_STEP);

		if (ram)
			memset(ram + pos, 0, n);
		else
			memset_io(base + pos, 0, n);
		pos += n;
		cond_resched();
	}
	wmb();	/* drain the write-combining buffers to the device */
	return BLK_STS_OK;
}

static blk_status_t ps_blk_queue_rq(struct blk_mq_hw_ctx *hctx,
				    const struct blk_mq_queue_data *bd)
{
	struct ps_device *ps = hctx->queue->queuedata;
	struct request *rq = bd->rq;
	void *ram = READ_ONCE(ps->blk.ram);
	blk_status_t st;

	blk_mq_start_request(rq);
	if (!ram && ps_device_is_lost(ps)) {
		st = BLK_STS_IOERR;	/* never stale data */
	} else {
		switch (req_op(rq)) {
		case REQ_OP_READ:
		case REQ_OP_WRITE:
			st = ps_blk_rw(ps, rq, ram);
			break;
		case REQ_OP_DISCARD:
		case REQ_OP_WRITE_ZEROES:
			st = ps_blk_zero(ps, rq, ram);
			break;
		case REQ_OP_FLUSH:
			wmb();	/* writes are in VRAM once the WC buffers drain */
			st = BLK_STS_OK;
			break;
		default:
			st = BLK_STS_NOTSUPP;
		}
	}
	blk_mq_end_request(rq, st);
	return BLK_STS_OK;
}

static const struct blk_mq_ops ps_blk_mq_ops = {
	.queue_rq = ps_blk_queue_rq,
};

/* Under the disk's open_mutex, as is @closing's writer. */
static int ps_blk_open(struct gendisk *disk, blk_mode_t mode)
{
	struct ps_device *ps = disk->private_data;

	return ps->blk.closing ? -ENXIO : 0;
}

/* Under the disk's open_mutex, after the openers count went down. */
static void ps_blk_release(struct gendisk *disk)
{
	struct ps_device *ps = disk->private_data;

	if (ps->blk.ram && !disk_openers(disk))
		queue_work(ps_blk_wq, &ps->blk.release_work);
}

static const struct block_device_operations ps_blk_fops = {
	.owner = THIS_MODULE,
	.open = ps_blk_open,
	.release = ps_blk_release,
};

static struct gendisk *ps_blk_alloc_disk(struct ps_device *ps)
{
#ifdef PS_HAVE_BLK_MQ_ALLOC_DISK_LIMITS
	struct queue_limits lim = {
		.logical_block_size = SECTOR_SIZE,
		.physical_block_size = PAGE_SIZE,
		.io_min = PAGE_SIZE,
		.max_hw_sectors = PS_BLK_MAX_SECTORS,
		.discard_granularity = PAGE_SIZE,
		.max_hw_discard_sectors = PS_BLK_MAX_ZERO_SECTORS,
		.max_write_zeroes_sectors = PS_BLK_MAX_ZERO_SECTORS,
	};

	return blk_mq_alloc_disk(&ps->blk.tag_set, &lim, ps);
#else
	struct gendisk *disk = blk_mq_alloc_disk(&ps->blk.tag_set, ps);

	if (!IS_ERR(disk)) {
		blk_queue_logical_block_size(disk->queue, SECTOR_SIZE);
		blk_queue_physical_block_size(disk->queue, PAGE_SIZE);
		blk_queue_io_min(disk->queue, PAGE_SIZE);
		blk_queue_max_hw_sectors(disk->queue, PS_BLK_MAX_SECTORS);
		disk->queue->limits.discard_granularity = PAGE_SIZE;
		blk_queue_max_discard_sectors(disk->queue,
					      PS_BLK_MAX_ZERO_SECTORS);
		blk_queue_max_write_zeroes_sectors(disk->queue,
						   PS_BLK_MAX_ZERO_SECTORS);
	}
	return disk;
#endif
}

/**
 * ps_blkdev_add() - create /dev/psblkN on the carved part of VRAM
 * @ps: the device; ps->blk.offset and ps->blk.size are set (size 0: no
 *	disk), the BAR is mapped
 *
 * Context: process context (probe).
 * Return: 0 or a negative errno; nothing is left behind on failure.
 */
int ps_blkdev_add(struct ps_device *ps)
{
	struct gendisk *disk;
	int ret;

	if (!ps->blk.size)
		return 0;
	ret = blk_mq_alloc_sq_tag_set(&ps->blk.tag_set, &ps_blk_mq_ops,
				      PS_BLK_QUEUE_DEPTH, BLK_MQ_F_BLOCKING);
	if (ret)
		return ret;
	disk = ps_blk_alloc_disk(ps);
	if (IS_ERR(disk)) {
		ret = PTR_ERR(disk);
		goto err_free_tag_set;
	}
	/* major 0: the block layer hands out a dynamic device number */
	disk->fops = &ps_blk_fops;
	disk->flags |= GENHD_FL_NO_PART;
	disk->private_data = ps;
	snprintf(disk->disk_name, sizeof(disk->disk_name), "psblk%d", ps->id);
	set_capacity(disk, ps->blk.size >> SECTOR_SHIFT);
	ret = device_add_disk(&ps->pdev->dev, disk, NULL);
	if (ret)
		goto err_put_disk;
	ps->blk.disk = disk;
	pci_info(ps->pdev, "block device %s: %llu MiB at BAR%d offset %#llx\n",
		 disk->disk_name, ps->blk.size >> 20, ps->bar.index,
		 ps->blk.offset);
	return 0;

err_put_disk:
	put_disk(disk);
err_free_tag_set:
	blk_mq_free_tag_set(&ps->blk.tag_set);
	return ret;
}

/**
 * ps_blkdev_busy() - is /dev/psblkN open (swap, a mount, a reader)?
 * @ps: the device
 *
 * Return: true while anyone holds the disk open.
 */
bool ps_blkdev_busy(struct ps_device *ps)
{
	return ps->blk.disk && disk_openers(ps->blk.disk);
}

/**
 * ps_blkdev_in_ram() - is the disk served from RAM (the device is gone)?
 * @ps: the device
 *
 * Return: true from the removal of a device whose disk was open until the
 * disk's release.
 */
bool ps_blkdev_in_ram(struct ps_device *ps)
{
	return READ_ONCE(ps->blk.ram);
}

static void ps_blk_delete(struct ps_device *ps)
{
	struct gendisk *disk = ps->blk.disk;

	del_gendisk(disk);
	put_disk(disk);
	blk_mq_free_tag_set(&ps->blk.tag_set);
	ps->blk.disk = NULL;
}

/* The last close of a disk served from RAM: it goes, with its RAM. */
static void ps_blk_release_work(struct work_struct *work)
{
	struct ps_device *ps = container_of(work, struct ps_device,
					    blk.release_work);
	struct gendisk *disk = ps->blk.disk;
	struct pci_dev *pdev = ps->pdev;

	mutex_lock(&disk->open_mutex);
	if (disk_openers(disk)) {
		/* Opened again meanwhile: its own last close comes back here. */
		mutex_unlock(&disk->open_mutex);
		return;
	}
	ps->blk.closing = true;
	mutex_unlock(&disk->open_mutex);
	/*
	 * An open and close since this run began queued it again; no
	 * release can queue it from here on, and @ps goes below.
	 */
	cancel_work(&ps->blk.release_work);
	pci_info(pdev, "%s closed: deleted with its %llu MiB of RAM\n",
		 ps->blk.disk->disk_name, ps->blk.size >> 20);
	ps_blk_delete(ps);
	vfree(ps->blk.ram);
	ps_device_id_put(ps);
	ps_device_put(ps);
	pci_dev_put(pdev);
}

/*
 * The disk is open and the device goes: copy the disk into RAM and serve
 * it from there.  The RAM is allocated before the queue is quiesced, since
 * reclaim may write to this very disk (swap); remove() cannot fail, so the
 * allocation does not either.  Keeps @ps and its PCI device until the
 * release.  Under the disk's open_mutex.  Returns false (nothing kept) if
 * the device was found lost meanwhile.
 */
static bool ps_blk_to_ram(struct ps_device *ps)
{
	struct gendisk *disk = ps->blk.disk;
	void __iomem *base = ps->bar.vaddr + ps->blk.offset;
	ktime_t t0 = ktime_get();
	void *ram;
	u64 pos;

	ram = __vmalloc(ps->blk.size, GFP_KERNEL | __GFP_NOFAIL);
	blk_mq_quiesce_queue(disk->queue);	/* no request runs */
	for (pos = 0; pos < ps->blk.size; pos += SZ_2M) {
		ps_copy_from_wc_fpu(ram + pos, base + pos,
				    min_t(u64, SZ_2M, ps->blk.size - pos));
		cond_resched();
	}
	/* Gone meanwhile: what was read may be all ones (as for faults). */
	rmb();
	if (ps_device_is_lost(ps)) {
		blk_mq_unquiesce_queue(disk->queue);
		vfree(ram);
		return false;
	}
	WRITE_ONCE(ps->blk.ram, ram);
	blk_mq_unquiesce_queue(disk->queue);
	kref_get(&ps->ref);
	pci_dev_get(ps->pdev);
	INIT_WORK(&ps->blk.release_work, ps_blk_release_work);
	pci_info(ps->pdev, "%s is open: its %llu MiB were copied to RAM in %lld ms and are served from there until it is closed\n",
		 disk->disk_name, ps->blk.size >> 20,
		 ktime_ms_delta(ktime_get(), t0));
	return true;
}

/**
 * ps_blkdev_remove() - the device goes: delete /dev/psblkN or keep it in RAM
 * @ps: the device, its BAR still mapped
 *
 * A disk nobody holds open is deleted (del_gendisk() waits for requests in
 * flight); opens are refused from then on.  An open one (swap, a mount) is
 * copied to RAM and stays until its last close.  A lost device's
 * disk cannot be copied: it is deleted, and its users get I/O errors.
 *
 * Context: process context (remove or probe unwinding).
 */
void ps_blkdev_remove(struct ps_device *ps)
{
	struct gendisk *disk = ps->blk.disk;
	bool open;

	if (!disk)
		return;
	mutex_lock(&disk->open_mutex);
	open = disk_openers(disk);
	if (open && !ps_device_is_lost(ps) && ps_blk_to_ram(ps)) {
		mutex_unlock(&disk->open_mutex);
		return;
	}
	ps->blk.closing = true;
	mutex_unlock(&disk->open_mutex);
	if (open)
		pci_warn(ps->pdev, "%s is still open but the device is lost: its contents are gone\n",
			 disk->disk_name);
	ps_blk_delete(ps);
}

/**
 * ps_blkdev_init() - module init: the queue that deletes released disks
 *
 * Return: 0 or -ENOMEM.
 */
int ps_blkdev_init(void)
{
	ps_blk_wq = alloc_workqueue(PS_DRV_NAME "_blk", WQ_UNBOUND, 0);
	return ps_blk_wq ? 0 : -ENOMEM;
}

/**
 * ps_blkdev_exit() - module exit: every released disk is deleted
 *
 * A disk served from RAM holds the module while open (its fops' owner);
 * this waits for the deletion its last close queued.
 */
void ps_blkdev_exit(void)
{
	destroy_workqueue(ps_blk_wq);
}

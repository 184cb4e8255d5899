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
 */
#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/sizes.h>

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

static bool ps_blk_in_range(struct ps_device *ps, struct request *rq)
{
	u64 pos = (u64)blk_rq_pos(rq) << SECTOR_SHIFT;

	return pos + blk_rq_bytes(rq) <= ps->blk.size;
}

static blk_status_t ps_blk_rw(struct ps_device *ps, struct request *rq)
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

		if (write) {
			ps_copy_to_wc_fpu(base + pos, p, bv.bv_len);
		} else {
			ps_copy_from_wc_fpu(p, base + pos, bv.bv_len);
			flush_dcache_page(bv.bv_page);
		}
		kunmap_local(p);
		pos += bv.bv_len;
	}
	if (write)
		wmb();	/* drain the write-combining buffers to the device */
	return BLK_STS_OK;
}

/* Discard and write-zeroes: zero the range through the WC mapping. */
static blk_status_t ps_blk_zero(struct ps_device *ps, struct request *rq)
{
	void __iomem *base = ps->bar.vaddr + ps->blk.offset;
	u64 pos = (u64)blk_rq_pos(rq) << SECTOR_SHIFT;
	u64 end = pos + blk_rq_bytes(rq);

	if (!ps_blk_in_range(ps, rq))
		return BLK_STS_IOERR;
	while (pos < end) {
		u64 n = min_t(u64, end - pos, PS_BLK_ZERO_STEP);

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
	blk_status_t st;

	blk_mq_start_request(rq);
	if (ps_device_is_lost(ps)) {
		st = BLK_STS_IOERR;	/* never stale data */
	} else {
		switch (req_op(rq)) {
		case REQ_OP_READ:
		case REQ_OP_WRITE:
			st = ps_blk_rw(ps, rq);
			break;
		case REQ_OP_DISCARD:
		case REQ_OP_WRITE_ZEROES:
			st = ps_blk_zero(ps, rq);
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

static const struct block_device_operations ps_blk_fops = {
	.owner = THIS_MODULE,
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
 * ps_blkdev_remove() - delete /dev/psblkN
 * @ps: the device
 *
 * Waits for requests in flight; later ones fail.  Data on the disk does
 * not survive the device, so a disk still open (swap, say) is warned
 * about: swapoff must come before unbinding.
 *
 * Context: process context (remove or probe unwinding).
 */
void ps_blkdev_remove(struct ps_device *ps)
{
	struct gendisk *disk = ps->blk.disk;

	if (!disk)
		return;
	if (disk_openers(disk))
		pci_warn(ps->pdev, "%s is still open (swap?): its contents are lost with the device; swapoff before unbinding\n",
			 disk->disk_name);
	del_gendisk(disk);
	put_disk(disk);
	blk_mq_free_tag_set(&ps->blk.tag_set);
	ps->blk.disk = NULL;
}

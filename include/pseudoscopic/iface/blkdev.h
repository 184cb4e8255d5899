/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PS_BLKDEV_H
#define PS_BLKDEV_H

#include <linux/blk-mq.h>
#include <linux/types.h>

struct ps_device;

/**
 * struct ps_blkdev - the block device on part of a device's VRAM
 * @offset: BAR offset of its first byte (2 MiB aligned)
 * @size: bytes, 0 when the device has no disk (blkdev_mb=0)
 * @tag_set: its blk-mq tag set
 * @disk: /dev/psblkN, N being the device's number
 *
 * Written only in probe and remove; the disk's queue reaches the device
 * through queuedata, and del_gendisk() in remove waits for requests in
 * flight before the BAR goes.
 */
struct ps_blkdev {
	u64 offset;
	u64 size;
	struct blk_mq_tag_set tag_set;
	struct gendisk *disk;
};

int ps_blkdev_add(struct ps_device *ps);
void ps_blkdev_remove(struct ps_device *ps);
bool ps_blkdev_busy(struct ps_device *ps);

#endif /* PS_BLKDEV_H */

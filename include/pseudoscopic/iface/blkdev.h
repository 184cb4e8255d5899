/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PS_BLKDEV_H
#define PS_BLKDEV_H

#include <linux/blk-mq.h>
#include <linux/types.h>
#include <linux/workqueue.h>

struct ps_device;

/**
 * struct ps_blkdev - the block device on part of a device's VRAM
 * @offset: BAR offset of its first byte (2 MiB aligned)
 * @size: bytes, 0 when the device has no disk (blkdev_mb=0)
 * @tag_set: its blk-mq tag set
 * @disk: /dev/psblkN, N being the device's number
 * @ram: the disk's contents in RAM once the device was removed while the
 *	disk was open (NULL before): set once, with the queue quiesced and
 *	under @disk's open_mutex; requests read it with READ_ONCE()
 * @closing: new opens are refused (the disk is being deleted); under
 *	@disk's open_mutex
 * @release_work: deletes a disk served from @ram after its last close
 *
 * Written only in probe and remove, except as noted; the disk's queue
 * reaches the device through queuedata.  remove() either deletes the disk
 * (del_gendisk() waits for requests in flight before the BAR goes) or, if
 * the disk is open, moves it to @ram (src/iface/blkdev.c).
 */
struct ps_blkdev {
	u64 offset;
	u64 size;
	struct blk_mq_tag_set tag_set;
	struct gendisk *disk;
	void *ram;
	bool closing;
	struct work_struct release_work;
};

int ps_blkdev_add(struct ps_device *ps);
void ps_blkdev_remove(struct ps_device *ps);
bool ps_blkdev_busy(struct ps_device *ps);
bool ps_blkdev_in_ram(struct ps_device *ps);
int ps_blkdev_init(void);
void ps_blkdev_exit(void);

#endif /* PS_BLKDEV_H */

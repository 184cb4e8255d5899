// SPDX-License-Identifier: GPL-2.0
/* PS_HAVE_BLK_MQ_ALLOC_DISK_LIMITS: blk_mq_alloc_disk() takes queue_limits. */
#include <linux/blk-mq.h>
#include <linux/blkdev.h>

struct gendisk *probe(struct blk_mq_tag_set *set, void *data);
struct gendisk *probe(struct blk_mq_tag_set *set, void *data)
{
	struct queue_limits lim = { .logical_block_size = 512 };

	return blk_mq_alloc_disk(set, &lim, data);
}

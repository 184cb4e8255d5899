/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PS_LAYOUT_H
#define PS_LAYOUT_H

#include <linux/sizes.h>
#include <linux/types.h>

/* The pool is made of 2 MiB chunks; at least two of them. */
#define PS_POOL_ALIGN		SZ_2M
#define PS_POOL_MIN		(2 * PS_POOL_ALIGN)

/* Default reserves on NVIDIA GPUs (generic devices reserve nothing). */
#define PS_NV_RESERVE_START	SZ_16M	/* firmware framebuffer, VGA workspace */
#define PS_NV_RESERVE_END	SZ_64M	/* VBIOS and firmware (WPR) regions */

/**
 * struct ps_layout_req - inputs to the pool placement
 * @bar_size: size of the BAR
 * @vram_size: size of the memory behind it, 0 if unknown (= @bar_size)
 * @reserve_start: bytes kept out of the pool at the start of VRAM
 * @reserve_end: bytes kept out of the pool at the end of VRAM
 * @limit: maximum pool size, 0 for no limit
 */
struct ps_layout_req {
	u64 bar_size;
	u64 vram_size;
	u64 reserve_start;
	u64 reserve_end;
	u64 limit;
};

/**
 * struct ps_layout - where the pool sits in the BAR
 * @offset: BAR offset of the first pool byte (2 MiB aligned)
 * @size: pool bytes (a multiple of 2 MiB)
 * @usable: bytes that could hold a pool before @limit was applied
 */
struct ps_layout {
	u64 offset;
	u64 size;
	u64 usable;
};

int ps_layout_pool(const struct ps_layout_req *req, struct ps_layout *out);
int ps_layout_carve(struct ps_layout *pool, u64 bytes, u64 *offset,
		    u64 *size);
int ps_rebar_choose(u64 sizes, u64 cur_size, u64 vram_size);

#endif /* PS_LAYOUT_H */

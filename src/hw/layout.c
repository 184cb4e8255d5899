// SPDX-License-Identifier: GPL-2.0
/*
 * Placement of the pool inside the BAR: reserved ranges at both ends of
 * VRAM, 2 MiB alignment, the pool size limit, and the Resizable BAR size to
 * ask for.  Pure functions, covered by KUnit.
 */
#include <linux/align.h>
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/minmax.h>
#include <kunit/visibility.h>

#include <pseudoscopic/hw/layout.h>

/**
 * ps_layout_pool() - decide where the pool lives
 * @req: sizes and reserves
 * @out: the placement, on success
 *
 * The pool starts after @req->reserve_start and ends before the end
 * reserve of VRAM or the end of the BAR, whichever comes first (a BAR
 * smaller than VRAM never reaches the end reserve), rounded inwards to
 * 2 MiB.
 *
 * Context: any context; pure function.
 * Return: 0, or -ENOSPC if less than PS_POOL_MIN remains.
 */
VISIBLE_IF_KUNIT int ps_layout_pool(const struct ps_layout_req *req,
				    struct ps_layout *out)
{
	u64 vram = req->vram_size ? req->vram_size : req->bar_size;
	u64 start, end;

	if (req->reserve_start + req->reserve_end >= vram ||
	    req->reserve_start >= req->bar_size)
		return -ENOSPC;
	start = ALIGN(req->reserve_start, PS_POOL_ALIGN);
	end = ALIGN_DOWN(min(req->bar_size, vram - req->reserve_end),
			 PS_POOL_ALIGN);
	if (end < start + PS_POOL_MIN)
		return -ENOSPC;
	out->offset = start;
	out->usable = end - start;
	out->size = req->limit ? min(out->usable, req->limit) : out->usable;
	out->size = ALIGN_DOWN(out->size, PS_POOL_ALIGN);
	if (out->size < PS_POOL_MIN)
		return -ENOSPC;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ps_layout_pool);

/**
 * ps_layout_carve() - take the end of the pool for the block device
 * @pool: the pool's placement; shrinks by what is taken
 * @bytes: wanted size, rounded up to 2 MiB; 0 takes nothing
 * @offset: BAR offset of the part taken, on success
 * @size: its size, on success (0 if @bytes is 0)
 *
 * Context: any context; pure function.
 * Return: 0, or -ENOSPC if less than PS_POOL_MIN of pool would remain
 * (@pool is then unchanged).
 */
VISIBLE_IF_KUNIT int ps_layout_carve(struct ps_layout *pool, u64 bytes,
				     u64 *offset, u64 *size)
{
	u64 take = ALIGN(bytes, PS_POOL_ALIGN);

	if (take < bytes || take > pool->size ||
	    pool->size - take < PS_POOL_MIN)
		return -ENOSPC;
	pool->size -= take;
	*offset = pool->offset + pool->size;
	*size = take;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ps_layout_carve);

/**
 * ps_rebar_choose() - Resizable BAR size to request
 * @sizes: supported sizes, bit n meaning 2^(n + 20) bytes (as returned by
 *	pci_rebar_get_possible_sizes())
 * @cur_size: current BAR size in bytes
 * @vram_size: VRAM size in bytes
 *
 * Prefer the smallest supported size that covers all of VRAM; otherwise the
 * largest supported size, if it is larger than the current one.
 *
 * Context: any context; pure function.
 * Return: the size as the PCI core's index (log2(bytes) - 20), or -1 to
 * keep the BAR as it is.
 */
VISIBLE_IF_KUNIT int ps_rebar_choose(u64 sizes, u64 cur_size, u64 vram_size)
{
	int n, largest;

	if (!sizes || !vram_size || cur_size >= vram_size)
		return -1;
	for (n = 0; n < 64; n++)
		if ((sizes & BIT_ULL(n)) && n + 20 < 64 &&
		    BIT_ULL(n + 20) >= vram_size)
			return n;
	largest = fls64(sizes) - 1;
	if (largest + 20 < 64 && BIT_ULL(largest + 20) > cur_size)
		return largest;
	return -1;
}
EXPORT_SYMBOL_IF_KUNIT(ps_rebar_choose);

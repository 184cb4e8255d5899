// SPDX-License-Identifier: GPL-2.0
/*
 * Probe-time memory self-test.  Before a BAR becomes a pool it must behave
 * like memory: every address bit must select distinct cells (no aliasing,
 * which is what a BAR larger than the memory behind it looks like), and
 * patterns written at offsets across the whole pool must read back.
 */
#include <linux/errno.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include <pseudoscopic/hw/selftest.h>

#define PS_TAG_BASE	0x5053000000000000ULL	/* "PS" */

static bool ps_st_check(const struct ps_mem_ops *ops, void *ctx, u64 off,
			u64 want, struct ps_selftest_result *res, bool alias)
{
	u64 got = ops->read(ctx, off);

	res->checked++;
	if (got == want)
		return true;
	res->bad_offset = off;
	res->expected = want;
	res->found = got;
	res->aliasing = alias;
	return false;
}

/* Address lines: a distinct tag at offset 0 and at every power of two,
 * all written before any is read back.
 */
static int ps_st_address_lines(const struct ps_mem_ops *ops, void *ctx,
			       u64 len, struct ps_selftest_result *res)
{
	u64 off;
	int bit;

	ops->write(ctx, 0, PS_TAG_BASE);
	for (bit = 3, off = 8; off < len; bit++, off <<= 1)
		ops->write(ctx, off, PS_TAG_BASE | bit);
	if (!ps_st_check(ops, ctx, 0, PS_TAG_BASE, res, true))
		return -EIO;
	for (bit = 3, off = 8; off < len; bit++, off <<= 1)
		if (!ps_st_check(ops, ctx, off, PS_TAG_BASE | bit, res, true))
			return -EIO;
	return 0;
}

/* Data: four patterns at PS_SELFTEST_SAMPLES positions spread evenly over
 * the pool (each 8-byte aligned), plus the last word.
 */
static int ps_st_patterns(const struct ps_mem_ops *ops, void *ctx, u64 len,
			  struct ps_selftest_result *res)
{
	u64 step = max_t(u64, div_u64(len, PS_SELFTEST_SAMPLES) & ~7ULL, 8);
	u64 pat[4], off;
	int i, p;

	for (i = 0; i <= PS_SELFTEST_SAMPLES; i++) {
		off = min_t(u64, (u64)i * step, len - 8);
		if (i == PS_SELFTEST_SAMPLES)
			off = len - 8;
		pat[0] = 0x5555555555555555ULL;
		pat[1] = 0xaaaaaaaaaaaaaaaaULL;
		pat[2] = 1ULL << (i % 64);		/* walking one */
		pat[3] = ~off ^ PS_TAG_BASE;		/* unique per offset */
		for (p = 0; p < 4; p++) {
			ops->write(ctx, off, pat[p]);
			if (!ps_st_check(ops, ctx, off, pat[p], res, false))
				return -EIO;
		}
	}
	return 0;
}

/**
 * ps_selftest_run() - test that @len bytes behave like memory
 * @ops: accessors
 * @ctx: passed to @ops
 * @len: bytes to test, a multiple of 8 and at least 8
 * @res: result details (first failure)
 *
 * Overwrites the memory it tests.
 *
 * Context: process context; may take a while on a large pool (a few
 * thousand uncached accesses).
 * Return: 0 if the memory passed, -EIO on a failure described in @res,
 * -EINVAL for a bad @len.
 */
VISIBLE_IF_KUNIT int ps_selftest_run(const struct ps_mem_ops *ops, void *ctx,
				     u64 len, struct ps_selftest_result *res)
{
	int ret;

	memset(res, 0, sizeof(*res));
	if (len < 8 || len % 8)
		return -EINVAL;
	ret = ps_st_address_lines(ops, ctx, len, res);
	if (ret)
		return ret;
	return ps_st_patterns(ops, ctx, len, res);
}
EXPORT_SYMBOL_IF_KUNIT(ps_selftest_run);

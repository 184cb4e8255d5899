// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the cache maintenance routines of asm/cache_flush.asm (through
 * src/copy/cache_flush.c).  Each routine must process exactly the cache lines
 * a range touches, for every start alignment 0..63 and every size from 0
 * to 320 bytes (up to six lines) plus sizes around line and page
 * boundaries up to 64 KiB, and for 4 KiB and 2 MiB; and leave the data
 * as it was.  Every range ends at most at the end of a vmalloc area,
 * whose guard page would fault an overrun on hardware (QEMU TCG does not
 * access memory for these instructions, so there only the counts tell).
 * A routine the CPU lacks is skipped with the reason.
 */
#include <kunit/test.h>
#include <linux/random.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include <pseudoscopic/copy/cache_flush.h>

#define SWEEP_BUF	(SZ_64K + SZ_4K)
#define SMALL_MAX	320

static const size_t big_sizes[] = {
	511, 512, 513, 1000, 2047, 2048, 4031, 4032, 4033, 4095, 4096, 4097,
	8191, 8192, 8193, SZ_16K + 1, SZ_64K - 65, SZ_64K - 64, SZ_64K - 1,
	SZ_64K,
};

/* Lines [addr, addr + len) touches, computed independently of the asm. */
static u64 lines_touched(unsigned long addr, size_t len, unsigned int line)
{
	if (!len)
		return 0;
	return (addr + len - 1) / line - addr / line + 1;
}

/* @size random bytes and a copy of them to compare with later. */
static u8 *random_buf(struct kunit *test, size_t size, u8 **ref)
{
	u8 *buf = vmalloc(size);

	*ref = vmalloc(size);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, *ref);
	get_random_bytes(buf, size);
	memcpy(*ref, buf, size);
	return buf;
}

static enum ps_cache_insn param_insn(struct kunit *test)
{
	return *(const enum ps_cache_insn *)test->param_value;
}

/* Skips the test if this CPU lacks the routine's instruction. */
static void need_insn(struct kunit *test, enum ps_cache_insn insn)
{
	if (!ps_cache_supported(insn))
		kunit_skip(test, "no-cpu-feature: this CPU does not advertise %s (cpuid)",
			   ps_cache_insn_name(insn));
}

/* One range: the count must be exact; returns false on a mismatch. */
static bool check_range(struct kunit *test, enum ps_cache_insn insn,
			const u8 *p, size_t len, unsigned long *bad)
{
	u64 want = lines_touched((unsigned long)p, len, ps_cache_line_size());
	u64 got = ps_cache_run(insn, p, len);

	if (got == want)
		return true;
	if ((*bad)++ < 3)
		kunit_err(test, "%s: start +%lu len %zu: %llu lines, want %llu\n",
			  ps_cache_insn_name(insn),
			  (unsigned long)p % ps_cache_line_size(), len, got,
			  want);
	return false;
}

static void cache_sweep(struct kunit *test)
{
	enum ps_cache_insn insn = param_insn(test);
	u8 *buf, *ref;
	unsigned long bad = 0, n = 0;
	size_t len;
	int a, i;

	need_insn(test, insn);
	buf = random_buf(test, SWEEP_BUF, &ref);
	for (a = 0; a < 64; a++) {
		/* Small sizes from the start of the area, large ones ending
		 * exactly at its end (the guard page follows).
		 */
		for (len = 0; len <= SMALL_MAX; len++, n++)
			check_range(test, insn, buf + a, len, &bad);
		for (i = 0; i < ARRAY_SIZE(big_sizes); i++, n++)
			check_range(test, insn,
				    buf + SWEEP_BUF - big_sizes[i] - a,
				    big_sizes[i] + a, &bad);
		cond_resched();
	}
	kunit_info(test, "%s: %lu ranges checked, %u-byte lines\n",
		   ps_cache_insn_name(insn), n, ps_cache_line_size());
	KUNIT_EXPECT_EQ(test, bad, 0UL);
	KUNIT_EXPECT_EQ_MSG(test, memcmp(buf, ref, SWEEP_BUF), 0,
			    "cache maintenance changed the data");
	vfree(ref);
	vfree(buf);
}

static void cache_page_and_2m(struct kunit *test)
{
	enum ps_cache_insn insn = param_insn(test);
	unsigned int line;
	unsigned long bad = 0;
	u8 *buf, *ref;

	need_insn(test, insn);
	line = ps_cache_line_size();
	buf = random_buf(test, SZ_2M, &ref);
	KUNIT_EXPECT_EQ(test, ps_cache_run(insn, buf, SZ_4K), (u64)SZ_4K / line);
	KUNIT_EXPECT_EQ(test, ps_cache_run(insn, buf + SZ_2M - SZ_4K, SZ_4K),
			(u64)SZ_4K / line);
	KUNIT_EXPECT_EQ(test, ps_cache_run(insn, buf, SZ_2M), (u64)SZ_2M / line);
	/* Unaligned 2 MiB minus one byte ending at the area's end. */
	check_range(test, insn, buf + 1, SZ_2M - 1, &bad);
	KUNIT_EXPECT_EQ(test, bad, 0UL);
	KUNIT_EXPECT_EQ(test, memcmp(buf, ref, SZ_2M), 0);
	vfree(ref);
	vfree(buf);
}

/* The asm steps by any power-of-two line, not only the CPU's. */
static void cache_line_sizes(struct kunit *test)
{
	static const size_t lines[] = { 32, 64, 128, 256 };
	u8 *buf = vmalloc(SZ_8K);
	int i, a;

	need_insn(test, PS_CACHE_CLFLUSH);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < ARRAY_SIZE(lines); i++)
		for (a = 0; a < 300; a += 7)
			KUNIT_EXPECT_EQ(test,
					ps_cache_run_line(PS_CACHE_CLFLUSH, buf + a,
							  1000, lines[i]),
					lines_touched((unsigned long)buf + a, 1000,
						      lines[i]));
	vfree(buf);
}

/* The wrappers pick the best instruction the CPU has, in the documented
 * order, and run it.
 */
static void cache_choice(struct kunit *test)
{
	enum ps_cache_insn wb = ps_cache_writeback_insn();
	enum ps_cache_insn fl = ps_cache_flush_insn();
	u8 *buf = vmalloc(SZ_4K);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	if (!ps_cache_line_size())
		kunit_skip(test, "no-cpu-feature: the CPU reports no CLFLUSH line size");
	kunit_info(test, "write-back: %s, flush: %s, line %u bytes\n",
		   ps_cache_insn_name(wb), ps_cache_insn_name(fl),
		   ps_cache_line_size());
	KUNIT_EXPECT_TRUE(test, ps_cache_supported(wb));
	KUNIT_EXPECT_TRUE(test, ps_cache_supported(fl));
	KUNIT_EXPECT_NE(test, fl, PS_CACHE_CLWB);	/* CLWB does not evict */
	if (ps_cache_supported(PS_CACHE_CLWB))
		KUNIT_EXPECT_EQ(test, wb, PS_CACHE_CLWB);
	else if (ps_cache_supported(PS_CACHE_CLFLUSHOPT))
		KUNIT_EXPECT_EQ(test, wb, PS_CACHE_CLFLUSHOPT);
	if (ps_cache_supported(PS_CACHE_CLFLUSHOPT))
		KUNIT_EXPECT_EQ(test, fl, PS_CACHE_CLFLUSHOPT);
	KUNIT_EXPECT_EQ(test, ps_cache_writeback(buf + 1, 64),
			lines_touched((unsigned long)buf + 1, 64,
				      ps_cache_line_size()));
	KUNIT_EXPECT_EQ(test, ps_cache_flush(buf, SZ_4K),
			(u64)SZ_4K / ps_cache_line_size());
	vfree(buf);
}

static const enum ps_cache_insn cache_insns[] = {
	PS_CACHE_CLFLUSH, PS_CACHE_CLFLUSHOPT, PS_CACHE_CLWB,
};

static void cache_insn_desc(const enum ps_cache_insn *insn, char *desc)
{
	strscpy(desc, ps_cache_insn_name(*insn), KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(cache_insn, cache_insns, cache_insn_desc);

static struct kunit_case cache_cases[] = {
	KUNIT_CASE_PARAM(cache_sweep, cache_insn_gen_params),
	KUNIT_CASE_PARAM(cache_page_and_2m, cache_insn_gen_params),
	KUNIT_CASE(cache_line_sizes),
	KUNIT_CASE(cache_choice),
	{ }
};

static struct kunit_suite cache_suite = {
	.name = "pseudoscopic_cache",
	.test_cases = cache_cases,
};

kunit_test_suite(cache_suite);

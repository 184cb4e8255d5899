// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the probe-time memory self-test (src/hw/selftest.c) against RAM that
 * behaves, RAM that aliases (a BAR larger than the memory behind it) and
 * RAM with a stuck bit.
 */
#include <kunit/test.h>
#include <linux/sizes.h>
#include <linux/vmalloc.h>

#include <pseudoscopic/hw/selftest.h>

struct fake_mem {
	u64 *words;
	u64 real;		/* bytes really present */
	u64 stuck_off;		/* offset of a word with a stuck bit, or ~0 */
	u64 stuck_mask;		/* bits that always read as 0 there */
};

static u64 fake_read(void *ctx, u64 off)
{
	struct fake_mem *m = ctx;
	u64 v = m->words[(off % m->real) / 8];

	if (off == m->stuck_off)
		v &= ~m->stuck_mask;
	return v;
}

static void fake_write(void *ctx, u64 off, u64 val)
{
	struct fake_mem *m = ctx;

	m->words[(off % m->real) / 8] = val;	/* high address bits ignored */
}

static const struct ps_mem_ops fake_ops = { .read = fake_read, .write = fake_write };

static struct fake_mem *fake_new(struct kunit *test, u64 real)
{
	struct fake_mem *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, m);
	m->words = kunit_kzalloc(test, real, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m->words);
	m->real = real;
	m->stuck_off = ~0ULL;
	return m;
}

static void selftest_good_memory(struct kunit *test)
{
	struct fake_mem *m = fake_new(test, SZ_1M);
	struct ps_selftest_result r;

	KUNIT_EXPECT_EQ(test, ps_selftest_run(&fake_ops, m, SZ_1M, &r), 0);
	/* address tags (offset 0 + 17 powers of two) + 4 patterns x 257 */
	KUNIT_EXPECT_EQ(test, r.checked, 18ULL + 4 * (PS_SELFTEST_SAMPLES + 1));
}

static void selftest_detects_aliasing(struct kunit *test)
{
	/* 1 MiB of memory decoded into a 4 MiB window. */
	struct fake_mem *m = fake_new(test, SZ_1M);
	struct ps_selftest_result r;

	KUNIT_EXPECT_EQ(test, ps_selftest_run(&fake_ops, m, SZ_4M, &r), -EIO);
	KUNIT_EXPECT_TRUE(test, r.aliasing);
	/* Offset 1 MiB's tag landed on offset 0 and overwrote it. */
	KUNIT_EXPECT_EQ(test, r.bad_offset, 0ULL);
}

static void selftest_detects_stuck_bit(struct kunit *test)
{
	struct fake_mem *m = fake_new(test, SZ_1M);
	struct ps_selftest_result r;

	m->stuck_off = 0x40000;	/* one of the sampled offsets */
	m->stuck_mask = BIT_ULL(17);
	KUNIT_EXPECT_EQ(test, ps_selftest_run(&fake_ops, m, SZ_1M, &r), -EIO);
	KUNIT_EXPECT_FALSE(test, r.aliasing);
	KUNIT_EXPECT_EQ(test, r.bad_offset, 0x40000ULL);
	KUNIT_EXPECT_EQ(test, r.expected & ~r.found, BIT_ULL(17));
}

static void selftest_bad_length(struct kunit *test)
{
	struct fake_mem *m = fake_new(test, SZ_4K);
	struct ps_selftest_result r;

	KUNIT_EXPECT_EQ(test, ps_selftest_run(&fake_ops, m, 4, &r), -EINVAL);
	KUNIT_EXPECT_EQ(test, ps_selftest_run(&fake_ops, m, 4095, &r), -EINVAL);
}

static struct kunit_case selftest_cases[] = {
	KUNIT_CASE(selftest_good_memory),
	KUNIT_CASE(selftest_detects_aliasing),
	KUNIT_CASE(selftest_detects_stuck_bit),
	KUNIT_CASE(selftest_bad_length),
	{ }
};

static struct kunit_suite selftest_suite = {
	.name = "pseudoscopic_selftest",
	.test_cases = selftest_cases,
};

kunit_test_suite(selftest_suite);

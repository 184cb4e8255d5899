// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: pool placement and Resizable BAR decisions (src/hw/layout.c).
 */
#include <kunit/test.h>
#include <linux/sizes.h>

#include <pseudoscopic/hw/layout.h>

static void layout_generic_whole_bar(struct kunit *test)
{
	struct ps_layout_req req = { .bar_size = SZ_256M };
	struct ps_layout l;

	KUNIT_ASSERT_EQ(test, ps_layout_pool(&req, &l), 0);
	KUNIT_EXPECT_EQ(test, l.offset, 0ULL);
	KUNIT_EXPECT_EQ(test, l.size, (u64)SZ_256M);
}

/* 16 GiB card behind a 16 GiB BAR: both reserves apply. */
static void layout_nvidia_full_bar(struct kunit *test)
{
	struct ps_layout_req req = {
		.bar_size = 16ULL << 30, .vram_size = 16ULL << 30,
		.reserve_start = PS_NV_RESERVE_START,
		.reserve_end = PS_NV_RESERVE_END,
	};
	struct ps_layout l;

	KUNIT_ASSERT_EQ(test, ps_layout_pool(&req, &l), 0);
	KUNIT_EXPECT_EQ(test, l.offset, (u64)PS_NV_RESERVE_START);
	KUNIT_EXPECT_EQ(test, l.size, (16ULL << 30) - PS_NV_RESERVE_START -
			PS_NV_RESERVE_END);
}

/* Consumer card: 256 MiB BAR1 over 24 GiB VRAM never reaches the end. */
static void layout_small_window(struct kunit *test)
{
	struct ps_layout_req req = {
		.bar_size = SZ_256M, .vram_size = 24ULL << 30,
		.reserve_start = PS_NV_RESERVE_START,
		.reserve_end = PS_NV_RESERVE_END,
	};
	struct ps_layout l;

	KUNIT_ASSERT_EQ(test, ps_layout_pool(&req, &l), 0);
	KUNIT_EXPECT_EQ(test, l.offset, (u64)SZ_16M);
	KUNIT_EXPECT_EQ(test, l.size, (u64)SZ_256M - SZ_16M);
}

/* ECC VRAM (15 GiB) behind a 16 GiB BAR: the BAR's tail is not memory. */
static void layout_vram_smaller_than_bar(struct kunit *test)
{
	struct ps_layout_req req = {
		.bar_size = 16ULL << 30, .vram_size = 15ULL << 30,
		.reserve_end = SZ_64M,
	};
	struct ps_layout l;

	KUNIT_ASSERT_EQ(test, ps_layout_pool(&req, &l), 0);
	KUNIT_EXPECT_EQ(test, l.offset + l.size, (15ULL << 30) - SZ_64M);
}

static void layout_alignment_and_limit(struct kunit *test)
{
	struct ps_layout_req req = {
		.bar_size = SZ_256M, .reserve_start = SZ_1M + 4096,
		.reserve_end = SZ_1M, .limit = SZ_64M + SZ_1M,
	};
	struct ps_layout l;

	KUNIT_ASSERT_EQ(test, ps_layout_pool(&req, &l), 0);
	KUNIT_EXPECT_EQ(test, l.offset, (u64)SZ_2M);
	KUNIT_EXPECT_EQ(test, l.size, (u64)SZ_64M);
	KUNIT_EXPECT_EQ(test, l.usable, (u64)SZ_256M - SZ_4M);
}

static void layout_too_small(struct kunit *test)
{
	struct ps_layout_req req = { .bar_size = SZ_2M };
	struct ps_layout l;

	KUNIT_EXPECT_EQ(test, ps_layout_pool(&req, &l), -ENOSPC);
	req.bar_size = SZ_64M;
	req.reserve_start = SZ_32M;
	req.reserve_end = SZ_32M;
	KUNIT_EXPECT_EQ(test, ps_layout_pool(&req, &l), -ENOSPC);
	req.reserve_end = SZ_32M - SZ_2M;	/* 2 MiB left: below minimum */
	KUNIT_EXPECT_EQ(test, ps_layout_pool(&req, &l), -ENOSPC);
	req.reserve_end = SZ_32M - SZ_4M;	/* exactly the minimum */
	KUNIT_EXPECT_EQ(test, ps_layout_pool(&req, &l), 0);
	KUNIT_EXPECT_EQ(test, l.size, (u64)PS_POOL_MIN);
}

/* Resizable BAR: bit n of the capability means 2^(n+20) bytes. */
static void rebar_choices(struct kunit *test)
{
	u64 up_to_32g = GENMASK_ULL(15, 8);	/* 256 MiB .. 32 GiB */
	u64 up_to_8g = GENMASK_ULL(13, 8);	/* 256 MiB .. 8 GiB */

	/* 24 GiB card: smallest size covering it is 32 GiB (n = 15). */
	KUNIT_EXPECT_EQ(test, ps_rebar_choose(up_to_32g, SZ_256M, 24ULL << 30), 15);
	/* 16 GiB exactly: n = 14. */
	KUNIT_EXPECT_EQ(test, ps_rebar_choose(up_to_32g, SZ_256M, 16ULL << 30), 14);
	/* Cannot cover 24 GiB: take the largest, 8 GiB (n = 13). */
	KUNIT_EXPECT_EQ(test, ps_rebar_choose(up_to_8g, SZ_256M, 24ULL << 30), 13);
	/* Already large enough, no capability, unknown VRAM: keep. */
	KUNIT_EXPECT_EQ(test, ps_rebar_choose(up_to_32g, 32ULL << 30, 24ULL << 30), -1);
	KUNIT_EXPECT_EQ(test, ps_rebar_choose(0, SZ_256M, 24ULL << 30), -1);
	KUNIT_EXPECT_EQ(test, ps_rebar_choose(up_to_32g, SZ_256M, 0), -1);
	/* Largest supported is not larger than today's BAR: keep. */
	KUNIT_EXPECT_EQ(test, ps_rebar_choose(BIT_ULL(8), SZ_256M, 24ULL << 30), -1);
}

/* The disk takes the pool's end, 2 MiB aligned; the pool keeps the start. */
static void layout_carve_disk(struct kunit *test)
{
	struct ps_layout l = { .offset = SZ_16M, .size = SZ_256M };
	u64 off, size;

	KUNIT_ASSERT_EQ(test, ps_layout_carve(&l, SZ_32M + 1, &off, &size), 0);
	KUNIT_EXPECT_EQ(test, size, (u64)SZ_32M + SZ_2M);
	KUNIT_EXPECT_EQ(test, l.size, (u64)SZ_256M - SZ_32M - SZ_2M);
	KUNIT_EXPECT_EQ(test, off, (u64)SZ_16M + l.size);
	KUNIT_EXPECT_EQ(test, off + size, (u64)SZ_16M + SZ_256M);
	KUNIT_ASSERT_EQ(test, ps_layout_carve(&l, 0, &off, &size), 0);
	KUNIT_EXPECT_EQ(test, size, 0ULL);
}

/* A disk that leaves less than the minimum pool is refused, nothing moves. */
static void layout_carve_too_big(struct kunit *test)
{
	struct ps_layout l = { .offset = 0, .size = SZ_64M };
	u64 off = 1, size = 1;

	KUNIT_EXPECT_EQ(test, ps_layout_carve(&l, SZ_64M - PS_POOL_MIN + SZ_2M,
					      &off, &size), -ENOSPC);
	KUNIT_EXPECT_EQ(test, ps_layout_carve(&l, ~0ULL, &off, &size), -ENOSPC);
	KUNIT_EXPECT_EQ(test, l.size, (u64)SZ_64M);
	KUNIT_EXPECT_EQ(test, off, 1ULL);
	KUNIT_EXPECT_EQ(test, ps_layout_carve(&l, SZ_64M - PS_POOL_MIN, &off,
					      &size), 0);
	KUNIT_EXPECT_EQ(test, l.size, (u64)PS_POOL_MIN);
}

static struct kunit_case layout_cases[] = {
	KUNIT_CASE(layout_carve_disk),
	KUNIT_CASE(layout_carve_too_big),
	KUNIT_CASE(layout_generic_whole_bar),
	KUNIT_CASE(layout_nvidia_full_bar),
	KUNIT_CASE(layout_small_window),
	KUNIT_CASE(layout_vram_smaller_than_bar),
	KUNIT_CASE(layout_alignment_and_limit),
	KUNIT_CASE(layout_too_small),
	KUNIT_CASE(rebar_choices),
	{ }
};

static struct kunit_suite layout_suite = {
	.name = "pseudoscopic_layout",
	.test_cases = layout_cases,
};

kunit_test_suite(layout_suite);

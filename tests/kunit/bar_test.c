// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: BAR selection rules (ps_bar_choose).
 */
#include <kunit/test.h>
#include <linux/ioport.h>
#include <linux/sizes.h>

#include <pseudoscopic/hw/bar.h>

#define MEM32	IORESOURCE_MEM
#define MEM64P	(IORESOURCE_MEM | IORESOURCE_MEM_64 | IORESOURCE_PREFETCH)
#define MEM64	(IORESOURCE_MEM | IORESOURCE_MEM_64)

/* ivshmem-plain: BAR0 registers, BAR2 the shared memory (64-bit pref). */
static const struct ps_bar_desc ivshmem[PS_NUM_BARS] = {
	[0] = { SZ_256, MEM32 },
	[2] = { SZ_256M, MEM64P },
};

/* NVIDIA: BAR0 MMIO, BAR1 VRAM aperture, BAR3 RAMIN, BAR5 I/O. */
static const struct ps_bar_desc nvidia[PS_NUM_BARS] = {
	[0] = { SZ_16M, MEM32 },
	[1] = { SZ_256M, MEM64P },
	[3] = { SZ_32M, MEM64P },
	[5] = { 128, IORESOURCE_IO },
};

static void bar_generic_picks_64bit_prefetchable(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, ps_bar_choose(ivshmem, PS_NUM_BARS, -1, false), 2);
}

static void bar_generic_picks_largest(struct kunit *test)
{
	struct ps_bar_desc b[PS_NUM_BARS] = {
		[0] = { SZ_1G, MEM64 },		/* larger, not prefetchable */
		[2] = { SZ_64M, MEM64P },
		[4] = { SZ_512M, MEM64P },
	};

	KUNIT_EXPECT_EQ(test, ps_bar_choose(b, PS_NUM_BARS, -1, false), 4);
}

static void bar_generic_tie_takes_lowest(struct kunit *test)
{
	struct ps_bar_desc b[PS_NUM_BARS] = {
		[1] = { SZ_64M, MEM64P },
		[3] = { SZ_64M, MEM64P },
	};

	KUNIT_EXPECT_EQ(test, ps_bar_choose(b, PS_NUM_BARS, -1, false), 1);
}

static void bar_generic_none(struct kunit *test)
{
	struct ps_bar_desc b[PS_NUM_BARS] = {
		[0] = { SZ_256M, MEM32 | IORESOURCE_PREFETCH },
		[1] = { 256, IORESOURCE_IO },
	};

	KUNIT_EXPECT_EQ(test, ps_bar_choose(b, PS_NUM_BARS, -1, false), -ENODEV);
}

static void bar_nvidia_uses_bar1(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, ps_bar_choose(nvidia, PS_NUM_BARS, -1, true), 1);
	/* The generic rule would also find BAR1 here, so check one where it
	 * would not: a larger BAR3 must not win on NVIDIA.
	 */
	{
		struct ps_bar_desc b[PS_NUM_BARS] = {
			[1] = { SZ_256M, MEM64P },
			[3] = { SZ_1G, MEM64P },
		};

		KUNIT_EXPECT_EQ(test, ps_bar_choose(b, PS_NUM_BARS, -1, true), 1);
		KUNIT_EXPECT_EQ(test, ps_bar_choose(b, PS_NUM_BARS, -1, false), 3);
	}
}

static void bar_nvidia_without_bar1(struct kunit *test)
{
	struct ps_bar_desc b[PS_NUM_BARS] = {
		[0] = { SZ_16M, MEM32 },
	};

	KUNIT_EXPECT_EQ(test, ps_bar_choose(b, PS_NUM_BARS, -1, true), -ENODEV);
}

static void bar_forced(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, ps_bar_choose(ivshmem, PS_NUM_BARS, 0, false), 0);
	KUNIT_EXPECT_EQ(test, ps_bar_choose(nvidia, PS_NUM_BARS, 3, true), 3);
	/* unimplemented, I/O, out of range */
	KUNIT_EXPECT_EQ(test, ps_bar_choose(ivshmem, PS_NUM_BARS, 1, false), -EINVAL);
	KUNIT_EXPECT_EQ(test, ps_bar_choose(nvidia, PS_NUM_BARS, 5, true), -EINVAL);
	KUNIT_EXPECT_EQ(test, ps_bar_choose(ivshmem, PS_NUM_BARS, 6, false), -EINVAL);
}

static struct kunit_case bar_cases[] = {
	KUNIT_CASE(bar_generic_picks_64bit_prefetchable),
	KUNIT_CASE(bar_generic_picks_largest),
	KUNIT_CASE(bar_generic_tie_takes_lowest),
	KUNIT_CASE(bar_generic_none),
	KUNIT_CASE(bar_nvidia_uses_bar1),
	KUNIT_CASE(bar_nvidia_without_bar1),
	KUNIT_CASE(bar_forced),
	{ }
};

static struct kunit_suite bar_suite = {
	.name = "pseudoscopic_bar",
	.test_cases = bar_cases,
};

kunit_test_suite(bar_suite);

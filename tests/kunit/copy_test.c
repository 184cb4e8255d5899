// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the NASM streaming copies (asm/copy_nt.asm through
 * src/copy_cpu.c) against memcpy, for every source and destination
 * alignment 0..63 and many sizes up to 64 KiB, plus page and 2 MiB copies.
 * The routines are exercised on ordinary RAM here (any memory type is
 * valid for them); the VM migration scenarios run them on the emulated
 * BAR's write-combined mapping and check every byte.
 */
#include <kunit/test.h>
#include <linux/random.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include <pseudoscopic/copy_asm.h>

#define BUF (SZ_64K + 2 * 64)

static const size_t copy_sizes[] = {
	0, 1, 2, 3, 7, 8, 15, 16, 17, 31, 32, 33, 47, 48, 63, 64, 65, 79, 80,
	95, 96, 127, 128, 129, 191, 192, 255, 256, 257, 1000, 4095, 4096, 4097,
	SZ_64K - 1, SZ_64K,
};

/* Copy one way at every alignment pair and size, compare with memcpy. */
static void copy_sweep(struct kunit *test, bool to_wc)
{
	u8 *src = vmalloc(BUF), *dst = vmalloc(BUF), *ref = vmalloc(BUF);
	unsigned long bad = 0, n = 0;
	int s, d, i;

	KUNIT_ASSERT_NOT_NULL(test, src);
	KUNIT_ASSERT_NOT_NULL(test, dst);
	KUNIT_ASSERT_NOT_NULL(test, ref);
	get_random_bytes(src, BUF);
	for (i = 0; i < ARRAY_SIZE(copy_sizes); i++) {
		size_t len = copy_sizes[i];
		/* Large sizes: every alignment of one side, a few of the other. */
		int dstep = len > 4097 ? 7 : 1;

		for (s = 0; s < 64; s++) {
			for (d = 0; d < 64; d += dstep) {
				/* The copy plus a 64-byte guard on each side. */
				size_t span = d + len + 64;

				memset(dst, 0xa5, span);
				memset(ref, 0xa5, span);
				memcpy(ref + d, src + s, len);
				if (to_wc)
					ps_copy_to_wc_fpu((void __iomem __force *)(dst + d),
							  src + s, len);
				else
					ps_copy_from_wc_fpu(dst + d,
							    (void __iomem __force *)(src + s),
							    len);
				n++;
				/* Compare the guards too: catches overruns. */
				if (memcmp(dst, ref, span) && bad++ < 3)
					kunit_err(test, "len %zu src+%d dst+%d differs\n",
						  len, s, d);
			}
		}
		cond_resched();
	}
	kunit_info(test, "%lu copies checked\n", n);
	KUNIT_EXPECT_EQ(test, bad, 0UL);
	vfree(ref);
	vfree(dst);
	vfree(src);
}

static void copy_to_wc_sweep(struct kunit *test)
{
	copy_sweep(test, true);
}

static void copy_from_wc_sweep(struct kunit *test)
{
	copy_sweep(test, false);
}

static void copy_2m(struct kunit *test)
{
	u8 *a = vmalloc(SZ_2M), *b = vmalloc(SZ_2M), *c = vmalloc(SZ_2M);

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_NOT_NULL(test, c);
	get_random_bytes(a, SZ_2M);
	ps_copy_to_wc_fpu((void __iomem __force *)b, a, SZ_2M);
	KUNIT_EXPECT_EQ(test, memcmp(a, b, SZ_2M), 0);
	ps_copy_from_wc_fpu(c, (void __iomem __force *)b, SZ_2M);
	KUNIT_EXPECT_EQ(test, memcmp(a, c, SZ_2M), 0);
	vfree(c);
	vfree(b);
	vfree(a);
}

static struct kunit_case copy_cases[] = {
	KUNIT_CASE_SLOW(copy_to_wc_sweep),
	KUNIT_CASE_SLOW(copy_from_wc_sweep),
	KUNIT_CASE(copy_2m),
	{ }
};

static struct kunit_suite copy_suite = {
	.name = "pseudoscopic_copy",
	.test_cases = copy_cases,
};

kunit_test_suite(copy_suite);

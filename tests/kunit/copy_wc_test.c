// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the NASM streaming copies through the real write-combined
 * mapping of a bound device's BAR (the emulated VRAM in the test VM),
 * against memcpy, for every source and destination alignment 0..63 and
 * sizes up to 64 KiB, plus 4 KiB and 2 MiB.  The VRAM is a free pool chunk
 * borrowed through src/iface/vram_lease.c, so no resident data is touched.
 * Skipped when no device is bound.
 */
#include <kunit/test.h>
#include <linux/io.h>
#include <linux/random.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include <pseudoscopic/copy/copy_asm.h>
#include <pseudoscopic/core/device.h>
#include <pseudoscopic/iface/vram_lease.h>

#define WC_BUF (SZ_64K + 2 * 64)

static const size_t wc_sizes[] = {
	0, 1, 2, 3, 7, 8, 15, 16, 17, 31, 32, 33, 47, 48, 63, 64, 65, 79, 80,
	95, 96, 127, 128, 129, 191, 192, 255, 256, 257, 1000, 4095, 4096, 4097,
	SZ_64K - 1, SZ_64K,
};

/* Borrow VRAM or skip the test. */
static void lease_or_skip(struct kunit *test, struct ps_vram_lease *lease)
{
	int ret = ps_vram_lease_get(0, lease);

	if (ret == -ENODEV)
		kunit_skip(test, "no-device-bound: no pseudoscopic device bound");
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "no free 2 MiB chunk in the pool");
}

/* One direction at every alignment pair and size, against memcpy.  Into
 * the BAR, the result is read back with memcpy_fromio; out of it, the
 * source is put there first with memcpy_toio.
 */
static void wc_sweep(struct kunit *test, bool to_bar)
{
	u8 *rnd = vmalloc(WC_BUF), *out = vmalloc(WC_BUF), *ref = vmalloc(WC_BUF);
	struct ps_vram_lease lease;
	unsigned long bad = 0, n = 0;
	void __iomem *wc;
	int s, d, i;

	KUNIT_ASSERT_NOT_NULL(test, rnd);
	KUNIT_ASSERT_NOT_NULL(test, out);
	KUNIT_ASSERT_NOT_NULL(test, ref);
	lease_or_skip(test, &lease);
	wc = lease.vaddr;
	get_random_bytes(rnd, WC_BUF);
	if (!to_bar) {
		memcpy_toio(wc, rnd, WC_BUF);
		wmb();	/* the data is in VRAM before the streaming loads */
	}
	for (i = 0; i < ARRAY_SIZE(wc_sizes); i++) {
		size_t len = wc_sizes[i];
		int dstep = len > 4097 ? 7 : 1;

		for (s = 0; s < 64; s++) {
			for (d = 0; d < 64; d += dstep) {
				/* The copy plus a 64-byte guard on each side. */
				size_t span = d + len + 64;

				memset(ref, 0xa5, span);
				memcpy(ref + d, rnd + s, len);
				if (to_bar) {
					memset_io(wc, 0xa5, span);
					ps_copy_to_wc_fpu(wc + d, rnd + s, len);
					memcpy_fromio(out, wc, span);
				} else {
					memset(out, 0xa5, span);
					ps_copy_from_wc_fpu(out + d, wc + s, len);
				}
				n++;
				if (memcmp(out, ref, span) && bad++ < 3)
					kunit_err(test, "len %zu src+%d dst+%d differs\n",
						  len, s, d);
			}
		}
		cond_resched();
	}
	kunit_info(test, "%lu copies %s %s's BAR checked\n", n,
		   to_bar ? "into" : "out of", ps_vram_lease_name(&lease));
	ps_vram_lease_put(&lease);
	KUNIT_EXPECT_EQ(test, bad, 0UL);
	vfree(ref);
	vfree(out);
	vfree(rnd);
}

static void copy_wc_to_bar(struct kunit *test)
{
	wc_sweep(test, true);
}

static void copy_wc_from_bar(struct kunit *test)
{
	wc_sweep(test, false);
}

/* 4 KiB pages and the whole 2 MiB chunk, there and back. */
static void copy_wc_page_and_2m(struct kunit *test)
{
	u8 *a = vmalloc(SZ_2M), *b = vzalloc(SZ_2M);
	struct ps_vram_lease lease;

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	lease_or_skip(test, &lease);
	get_random_bytes(a, SZ_2M);
	ps_copy_to_wc_fpu(lease.vaddr + SZ_4K, a, SZ_4K);
	ps_copy_from_wc_fpu(b, lease.vaddr + SZ_4K, SZ_4K);
	KUNIT_EXPECT_EQ(test, memcmp(a, b, SZ_4K), 0);
	ps_copy_to_wc_fpu(lease.vaddr, a, SZ_2M);
	memset(b, 0, SZ_2M);
	ps_copy_from_wc_fpu(b, lease.vaddr, SZ_2M);
	KUNIT_EXPECT_EQ(test, memcmp(a, b, SZ_2M), 0);
	/* An independent read of what landed in VRAM. */
	memcpy_fromio(b, lease.vaddr, SZ_2M);
	KUNIT_EXPECT_EQ(test, memcmp(a, b, SZ_2M), 0);
	ps_vram_lease_put(&lease);
	vfree(b);
	vfree(a);
}

/* A lease takes one whole chunk from the allocator and gives it back. */
static void copy_wc_lease_accounting(struct kunit *test)
{
	struct ps_vram_lease lease;
	struct ps_pool *pool;
	unsigned long before;

	lease_or_skip(test, &lease);
	pool = &lease.ps->pool;
	before = ps_pool_nr_free(pool);
	ps_vram_lease_put(&lease);
	KUNIT_EXPECT_EQ(test, ps_pool_nr_free(pool), before + PS_CHUNK_PAGES);
	KUNIT_ASSERT_EQ(test, ps_vram_lease_get(0, &lease), 0);
	KUNIT_EXPECT_EQ(test, ps_pool_nr_free(pool), before);
	KUNIT_EXPECT_EQ(test, lease.first % PS_CHUNK_PAGES, 0U);
	ps_vram_lease_put(&lease);
	KUNIT_EXPECT_EQ(test, ps_vram_lease_get(1000, &lease), -ENODEV);
}

static struct kunit_case copy_wc_cases[] = {
	KUNIT_CASE_SLOW(copy_wc_to_bar),
	KUNIT_CASE_SLOW(copy_wc_from_bar),
	KUNIT_CASE(copy_wc_page_and_2m),
	KUNIT_CASE(copy_wc_lease_accounting),
	{ }
};

static struct kunit_suite copy_wc_suite = {
	.name = "pseudoscopic_copy_wc",
	.test_cases = copy_wc_cases,
};

kunit_test_suite(copy_wc_suite);

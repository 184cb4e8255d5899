// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: where a device page's data sits (include/pseudoscopic/mem/vram_addr.h).
 * Pools may exceed 4 GiB, so pool page 2^20 and beyond must not wrap
 * around in 32 bits (the DMA path once shifted a u32 index).
 */
#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/sizes.h>

#include <pseudoscopic/core/device.h>
#include <pseudoscopic/mem/vram_addr.h>

/* A device whose pool page @idx is backed by @page's struct page. */
static struct ps_device *vram_addr_device(struct kunit *test,
					  struct page *page, u64 idx)
{
	struct ps_device *ps = kunit_kzalloc(test, sizeof(*ps), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, ps);
	/* Unsigned arithmetic: page_to_pfn(page) - pfn_first == idx. */
	ps->devmem.pfn_first = page_to_pfn(page) - idx;
	ps->layout.offset = SZ_16M;
	return ps;
}

static void vram_addr_first_page(struct kunit *test)
{
	struct page *page = virt_to_page(test);
	struct ps_device *ps = vram_addr_device(test, page, 0);

	KUNIT_EXPECT_EQ(test, ps_page_pool_offset(ps, page), 0ULL);
	KUNIT_EXPECT_EQ(test, ps_page_bar_offset(ps, page), (u64)SZ_16M);
}

static void vram_addr_beyond_4g(struct kunit *test)
{
	struct page *page = virt_to_page(test);
	u64 idx = (1ULL << (32 - PAGE_SHIFT)) + 3;	/* 4 GiB + 3 pages */
	struct ps_device *ps = vram_addr_device(test, page, idx);

	KUNIT_EXPECT_EQ(test, ps_page_pool_offset(ps, page),
			SZ_4G + 3 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, ps_page_bar_offset(ps, page),
			SZ_16M + SZ_4G + 3 * PAGE_SIZE);
}

static struct kunit_case vram_addr_cases[] = {
	KUNIT_CASE(vram_addr_first_page),
	KUNIT_CASE(vram_addr_beyond_4g),
	{}
};

static struct kunit_suite vram_addr_suite = {
	.name = "pseudoscopic_vram_addr",
	.test_cases = vram_addr_cases,
};

kunit_test_suite(vram_addr_suite);

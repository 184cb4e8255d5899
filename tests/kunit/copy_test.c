// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the NASM streaming copies (asm/copy_nt.asm through
 * src/copy/copy_cpu.c) against memcpy: every size 0..192 (every mix of
 * head, 64-byte body and tail) at every source and destination alignment
 * 0..63; every size up to 4 KiB and every 61st size up to 64 KiB at an
 * alignment pair that changes with the size; a list of edge sizes up to
 * 64 KiB at all alignments (the largest at every 7th destination
 * alignment); plus page and 2 MiB copies.  The SSE2 fallback of the copy
 * from VRAM (CPUs without SSE4.1) gets the same sweep, whatever the CPU.
 * A 64-byte guard on both sides of every destination catches overruns.
 * The routines are exercised on ordinary RAM here (any memory type is
 * valid for them); copy_wc_test.c runs them on the emulated BAR's
 * write-combined mapping.
 */
#include <kunit/test.h>
#include <linux/random.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#ifdef CONFIG_X86_64
#include <asm/fpu/api.h>
#endif

#include <pseudoscopic/copy/copy_asm.h>

#define GUARD 64
#define BUF (SZ_64K + 3 * 64)

static const size_t copy_sizes[] = {
	255, 256, 257, 1000, 4095, 4096, 4097, SZ_64K - 1, SZ_64K,
};

enum copy_kind { COPY_TO_WC, COPY_FROM_WC, COPY_FROM_WC_SSE2 };

struct sweep {
	struct kunit *test;
	u8 *src, *dst, *ref;
	enum copy_kind kind;
	unsigned long n, bad;
};

/* One copy of @len bytes from src + @s to dst + @d, compared with memcpy. */
static void copy_one(struct sweep *w, size_t len, int s, int d)
{
	/* The copy plus a guard on each side. */
	size_t span = GUARD + d + len + GUARD;
	u8 *to = w->dst + GUARD + d;

	memset(w->dst, 0xa5, span);
	memset(w->ref, 0xa5, span);
	memcpy(w->ref + GUARD + d, w->src + s, len);
	switch (w->kind) {
	case COPY_TO_WC:
		ps_copy_to_wc_fpu((void __iomem __force *)to, w->src + s, len);
		break;
	case COPY_FROM_WC:
		ps_copy_from_wc_fpu(to, (void __iomem __force *)(w->src + s),
				    len);
		break;
	case COPY_FROM_WC_SSE2:
#ifdef CONFIG_X86_64
		/* The fallback itself, on any CPU (at most 64 KiB here). */
		kernel_fpu_begin();
		ps_copy_from_wc_sse2(to, w->src + s, len);
		kernel_fpu_end();
#else
		ps_copy_from_wc_fpu(to, (void __iomem __force *)(w->src + s),
				    len);
#endif
		break;
	}
	w->n++;
	if (memcmp(w->dst, w->ref, span) && w->bad++ < 3)
		kunit_err(w->test, "len %zu src+%d dst+%d differs\n",
			  len, s, d);
}

/* Every alignment pair; @dstep > 1 samples the destination side. */
static void copy_all_alignments(struct sweep *w, size_t len, int dstep)
{
	int s, d;

	for (s = 0; s < 64; s++)
		for (d = 0; d < 64; d += dstep)
			copy_one(w, len, s, d);
}

static void copy_sweep(struct kunit *test, enum copy_kind kind)
{
	struct sweep w = {
		.test = test, .kind = kind,
		.src = kunit_kmalloc(test, BUF, GFP_KERNEL),
		.dst = kunit_kmalloc(test, BUF, GFP_KERNEL),
		.ref = kunit_kmalloc(test, BUF, GFP_KERNEL),
	};
	size_t len;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, w.src);
	KUNIT_ASSERT_NOT_NULL(test, w.dst);
	KUNIT_ASSERT_NOT_NULL(test, w.ref);
	get_random_bytes(w.src, BUF);
	for (len = 0; len <= 192; len++) {
		copy_all_alignments(&w, len, 1);
		cond_resched();
	}
	for (len = 193; len <= SZ_64K; len += len < SZ_4K ? 1 : 61) {
		copy_one(&w, len, len % 64, (len * 7 + 3) % 64);
		cond_resched();
	}
	for (i = 0; i < ARRAY_SIZE(copy_sizes); i++) {
		copy_all_alignments(&w, copy_sizes[i],
				    copy_sizes[i] > 4097 ? 7 : 1);
		cond_resched();
	}
	kunit_info(test, "%lu copies checked\n", w.n);
	KUNIT_EXPECT_EQ(test, w.bad, 0UL);
}

static void copy_to_wc_sweep(struct kunit *test)
{
	copy_sweep(test, COPY_TO_WC);
}

static void copy_from_wc_sweep(struct kunit *test)
{
	copy_sweep(test, COPY_FROM_WC);
}

static void copy_from_wc_sse2_sweep(struct kunit *test)
{
	copy_sweep(test, COPY_FROM_WC_SSE2);
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
	KUNIT_CASE_SLOW(copy_from_wc_sse2_sweep),
	KUNIT_CASE(copy_2m),
	{ }
};

static struct kunit_suite copy_suite = {
	.name = "pseudoscopic_copy",
	.test_cases = copy_cases,
};

kunit_test_suite(copy_suite);

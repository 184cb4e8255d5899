// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the adaptive fault-around window (src/move/fault_window.c):
 * sequential faults grow a stream's window up to the cap, random faults
 * get one page, and streams of different processes or addresses do not
 * disturb each other.
 */
#include <kunit/test.h>
#include <linux/mm.h>

#include <pseudoscopic/move/fault_window.h>

#define MM_A	((const void *)0x1000)
#define MM_B	((const void *)0x2000)

/* One fault at @addr that brings back the whole window; its size. */
static unsigned int fault_hits(struct ps_fault_streams *fs, const void *mm,
			       unsigned long addr, unsigned int max,
			       unsigned int *hits)
{
	unsigned int slot, w;

	w = ps_fault_stream_begin(fs, mm, addr, max, &slot, hits);
	ps_fault_stream_end(fs, slot, mm, addr + ((unsigned long)w << PAGE_SHIFT),
			    w - 1);
	return w;
}

static unsigned int fault(struct ps_fault_streams *fs, const void *mm,
			  unsigned long addr, unsigned int max)
{
	unsigned int hits;

	return fault_hits(fs, mm, addr, max, &hits);
}

static void fault_window_sequential_grows(struct kunit *test)
{
	static const unsigned int want[] = { 1, 2, 4, 8, 16, 16, 16 };
	struct ps_fault_streams fs;
	unsigned long addr = 0x100000;
	int i;

	ps_fault_streams_init(&fs);
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		unsigned int w = fault(&fs, MM_A, addr, 16);

		KUNIT_EXPECT_EQ_MSG(test, w, want[i], "fault %d", i);
		addr += (unsigned long)w << PAGE_SHIFT;
	}
}

static void fault_window_random_stays_small(struct kunit *test)
{
	struct ps_fault_streams fs;
	int i;

	ps_fault_streams_init(&fs);
	for (i = 0; i < 50; i++)
		KUNIT_EXPECT_EQ(test, fault(&fs, MM_A, (unsigned long)(i * 37 % 50) << 21, 16), 1U);
}

/* Two processes scanning at once each keep their own growing window. */
static void fault_window_interleaved_streams(struct kunit *test)
{
	struct ps_fault_streams fs;
	unsigned long a = 0x100000, b = 0x100000;
	unsigned int wa = 0, wb = 0;
	int i;

	ps_fault_streams_init(&fs);
	for (i = 0; i < 6; i++) {
		wa = fault(&fs, MM_A, a, 32);
		a += (unsigned long)wa << PAGE_SHIFT;
		wb = fault(&fs, MM_B, b, 32);
		b += (unsigned long)wb << PAGE_SHIFT;
	}
	KUNIT_EXPECT_EQ(test, wa, 32U);
	KUNIT_EXPECT_EQ(test, wb, 32U);
}

/* A stray fault in between does not reset a sequential stream. */
static void fault_window_stray_fault(struct kunit *test)
{
	struct ps_fault_streams fs;
	unsigned long addr = 0x100000;
	unsigned int w;
	int i;

	ps_fault_streams_init(&fs);
	for (i = 0; i < 3; i++)
		addr += (unsigned long)fault(&fs, MM_A, addr, 64) << PAGE_SHIFT;
	KUNIT_EXPECT_EQ(test, fault(&fs, MM_A, 0x40000000, 64), 1U);
	w = fault(&fs, MM_A, addr, 64);
	KUNIT_EXPECT_EQ(test, w, 8U);
}

/* The same address in another process is not the same stream. */
static void fault_window_other_mm(struct kunit *test)
{
	struct ps_fault_streams fs;
	unsigned long next;

	ps_fault_streams_init(&fs);
	next = 0x100000 + ((unsigned long)fault(&fs, MM_A, 0x100000, 16) << PAGE_SHIFT);
	KUNIT_EXPECT_EQ(test, fault(&fs, MM_B, next, 16), 1U);
	KUNIT_EXPECT_EQ(test, fault(&fs, MM_A, next, 16), 2U);
}

/*
 * More streams than slots: the least recently used one is forgotten, the
 * busy ones survive.  The end of a window that was clipped is where the
 * next sequential fault is expected.
 */
static void fault_window_lru_and_clip(struct kunit *test)
{
	struct ps_fault_streams fs;
	unsigned long hot = 0x100000, old = 0x200000;
	unsigned int slot, w, hits;
	int i;

	ps_fault_streams_init(&fs);
	old += (unsigned long)fault(&fs, MM_B, old, 16) << PAGE_SHIFT;
	for (i = 0; i < 2 * PS_FAULT_STREAMS; i++) {
		hot += (unsigned long)fault(&fs, MM_A, hot, 16) << PAGE_SHIFT;
		fault(&fs, MM_A, 0x80000000UL + ((unsigned long)i << 30), 16);
	}
	KUNIT_EXPECT_EQ(test, fault(&fs, MM_B, old, 16), 1U);	/* forgotten */
	w = ps_fault_stream_begin(&fs, MM_A, hot, 16, &slot, &hits);
	KUNIT_EXPECT_EQ(test, w, 16U);				/* survived */
	KUNIT_EXPECT_EQ(test, hits, 15U);
	/* Clipped to 3 pages (end of the mapping, say). */
	ps_fault_stream_end(&fs, slot, MM_A, hot + 3 * PAGE_SIZE, 2);
	KUNIT_EXPECT_EQ(test, fault_hits(&fs, MM_A, hot + 3 * PAGE_SIZE, 16, &hits), 16U);
	KUNIT_EXPECT_EQ(test, hits, 2U);
}

/* A cap lowered after a stream grew applies at once. */
static void fault_window_cap_lowered(struct kunit *test)
{
	struct ps_fault_streams fs;
	unsigned long addr = 0x100000;
	int i;

	ps_fault_streams_init(&fs);
	for (i = 0; i < 6; i++)
		addr += (unsigned long)fault(&fs, MM_A, addr, 64) << PAGE_SHIFT;
	KUNIT_EXPECT_EQ(test, fault(&fs, MM_A, addr, 4), 4U);
	KUNIT_EXPECT_EQ(test, fault(&fs, MM_A, 0x50000000, 1), 1U);
}

/*
 * Hits: a window's extra pages count once the stream goes on right after
 * them; a stray fault proves nothing, and the last window of a stream
 * never counts.
 */
static void fault_window_hits(struct kunit *test)
{
	struct ps_fault_streams fs;
	unsigned long addr = 0x100000;
	unsigned int w, hits, total = 0, around = 0;
	int i;

	ps_fault_streams_init(&fs);
	for (i = 0; i < 5; i++) {		/* windows 1, 2, 4, 8, 16 */
		w = fault_hits(&fs, MM_A, addr, 16, &hits);
		total += hits;
		around += w - 1;
		addr += (unsigned long)w << PAGE_SHIFT;
	}
	/* All but the last window's 15 extra pages were passed over. */
	KUNIT_EXPECT_EQ(test, around, 0U + 1 + 3 + 7 + 15);
	KUNIT_EXPECT_EQ(test, total, around - 15);
	fault_hits(&fs, MM_A, 0x40000000, 16, &hits);
	KUNIT_EXPECT_EQ(test, hits, 0U);
	fault_hits(&fs, MM_B, addr, 16, &hits);	/* another process */
	KUNIT_EXPECT_EQ(test, hits, 0U);
	fault_hits(&fs, MM_A, addr, 16, &hits);	/* the stream goes on */
	KUNIT_EXPECT_EQ(test, hits, 15U);
}

static struct kunit_case fault_window_cases[] = {
	KUNIT_CASE(fault_window_sequential_grows),
	KUNIT_CASE(fault_window_random_stays_small),
	KUNIT_CASE(fault_window_interleaved_streams),
	KUNIT_CASE(fault_window_stray_fault),
	KUNIT_CASE(fault_window_other_mm),
	KUNIT_CASE(fault_window_lru_and_clip),
	KUNIT_CASE(fault_window_cap_lowered),
	KUNIT_CASE(fault_window_hits),
	{ }
};

static struct kunit_suite fault_window_suite = {
	.name = "pseudoscopic_fault_window",
	.test_cases = fault_window_cases,
};

kunit_test_suite(fault_window_suite);

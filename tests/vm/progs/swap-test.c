// SPDX-License-Identifier: GPL-2.0
/*
 * swap-test: PS_IOC_RESIDENCY with PS_RES_SWAP tells swapped-out pages
 * from unpopulated ones, page for page as /proc/self/pagemap does, without
 * bringing anything back in.  Needs an active swap device (the scenario
 * sets up zram).  Prints TAP lines on stdout.
 *
 * usage: swap-test DEVICE
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/pseudoscopic.h>

#include "testlib.h"

#define NPAGES		512	/* the private region */
#define FILLED		384	/* pages 0..383 hold data, the rest never touched */
#define OUT		256	/* pages 0..255 are paged out */
#define DEV_FIRST	256	/* pages 256..319 go to VRAM */
#define DEV_PAGES	64

static int fd, pagemap;
static uint8_t states[NPAGES];

static int query(void *p, size_t pages, uint32_t flags, struct ps_residency *r)
{
	memset(states, 0xff, sizeof(states));
	*r = (struct ps_residency){ .start = (uintptr_t)p, .length = pages * PG,
				    .states = (uintptr_t)states, .flags = flags };
	return ioctl(fd, PS_IOC_RESIDENCY, r);
}

/* Pages of [p, p + pages) whose pagemap entry is a swap entry. */
static size_t pagemap_swapped(const char *p, size_t pages, uint8_t *each)
{
	uint64_t e[NPAGES];
	size_t n = 0;

	if (pread(pagemap, e, pages * 8, (uintptr_t)p / PG * 8) != (ssize_t)(pages * 8))
		return (size_t)-1;
	for (size_t i = 0; i < pages; i++) {
		/* bit 62 swap, bit 63 present; device pages also set 62 */
		each[i] = (e[i] >> 62) == 1;
		n += each[i];
	}
	return n;
}

static void test_private(void)
{
	char *p = anon(NPAGES, MAP_PRIVATE);
	struct ps_migrate m = { .start = (uintptr_t)(p + DEV_FIRST * PG),
				.length = DEV_PAGES * PG, .direction = PS_TO_VRAM };
	uint8_t swp[NPAGES], swp_after[NPAGES];
	struct ps_residency r;
	size_t nswap, agree = 0, fours = 0;
	int ret;

	/* Small pages only: a THP would populate the untouched pages too. */
	madvise(p, NPAGES * PG, MADV_NOHUGEPAGE);
	fill(p, FILLED, 11);
	ret = ioctl(fd, PS_IOC_MIGRATE, &m);
	ok(ret == 0 && m.migrated == DEV_PAGES,
	   "%d pages moved to VRAM (%llu)", DEV_PAGES, (unsigned long long)m.migrated);
	ok(madvise(p, OUT * PG, MADV_PAGEOUT) == 0, "MADV_PAGEOUT of %d pages", OUT);
	nswap = pagemap_swapped(p, NPAGES, swp);
	/* device pages read as swap entries in pagemap: leave them out */
	for (size_t i = DEV_FIRST; i < DEV_FIRST + DEV_PAGES; i++)
		nswap -= swp[i], swp[i] = 0;
	ok(nswap >= OUT / 2 && nswap <= OUT, "pagemap: %zu of %d pages swapped out", nswap, OUT);

	ret = query(p, NPAGES, 0, &r);
	ok(ret == 0, "RESIDENCY without PS_RES_SWAP");
	for (size_t i = 0; i < NPAGES; i++)
		fours += states[i] == PS_RES_SWAPPED;
	ok(fours == 0 && r.swapped == 0 &&
	   r.counts[PS_RES_ABSENT] == NPAGES - FILLED + nswap,
	   "without the flag swapped pages read as absent (%llu absent, %zu state 4, swapped %llu)",
	   (unsigned long long)r.counts[PS_RES_ABSENT], fours, (unsigned long long)r.swapped);

	ret = query(p, NPAGES, PS_RES_SWAP, &r);
	ok(ret == 0, "RESIDENCY with PS_RES_SWAP");
	for (size_t i = 0; i < NPAGES; i++)
		agree += (states[i] == PS_RES_SWAPPED) == swp[i];
	ok(agree == NPAGES, "every page's state agrees with pagemap (%zu of %d)", agree, NPAGES);
	ok(r.swapped == nswap && r.counts[PS_RES_ABSENT] == NPAGES - FILLED &&
	   r.counts[PS_RES_DEVICE] == DEV_PAGES &&
	   r.counts[PS_RES_RAM] == FILLED - DEV_PAGES - nswap,
	   "counts: %llu swapped, %llu absent, %llu VRAM, %llu RAM",
	   (unsigned long long)r.swapped, (unsigned long long)r.counts[PS_RES_ABSENT],
	   (unsigned long long)r.counts[PS_RES_DEVICE], (unsigned long long)r.counts[PS_RES_RAM]);
	fours = 0;
	for (size_t i = FILLED; i < NPAGES; i++)
		fours += states[i] == PS_RES_ABSENT;
	ok(fours == NPAGES - FILLED, "never-touched pages stay absent (%zu)", fours);

	ok(pagemap_swapped(p, NPAGES, swp_after) != (size_t)-1 &&
	   !memcmp(swp, swp_after, DEV_FIRST) &&
	   !memcmp(swp + DEV_FIRST + DEV_PAGES, swp_after + DEV_FIRST + DEV_PAGES,
		   NPAGES - DEV_FIRST - DEV_PAGES),
	   "the query brought nothing back in");
	ret = query(p, NPAGES, PS_RES_SWAP, &r);
	ok(ret == 0 && r.counts[PS_RES_DEVICE] == DEV_PAGES,
	   "the query moved nothing out of VRAM (%llu in VRAM)",
	   (unsigned long long)r.counts[PS_RES_DEVICE]);

	/* A hole in the middle: unmapped pages are absent, never swapped. */
	munmap(p + 64 * PG, 32 * PG);
	ret = query(p, 128, PS_RES_SWAP, &r);
	ok(ret == 0 &&
	   states[64] == PS_RES_ABSENT && states[95] == PS_RES_ABSENT &&
	   r.counts[PS_RES_ABSENT] + r.swapped + r.counts[PS_RES_RAM] == 128,
	   "an unmapped hole reads as absent");
	ok(verify_at(p, 0, 64, 11) == 0 && verify_at(p, 96, FILLED - 96, 11) == 0,
	   "every byte intact after swap-in and faults");
	munmap(p, NPAGES * PG);
}

/* Shared anonymous memory keeps its swap entries in the page cache, not in
 * the page table: its pages are never reported as swapped, and its empty
 * entries must not be mistaken for swapped ones either.
 */
static void test_shared(void)
{
	const size_t n = 64;
	char *p = anon(n, MAP_SHARED);
	struct ps_residency r;
	int ret;

	fill(p, n / 2, 12);
	madvise(p, n / 2 * PG, MADV_PAGEOUT);
	ret = query(p, n, PS_RES_SWAP, &r);
	ok(ret == 0 && r.swapped == 0 &&
	   r.counts[PS_RES_ABSENT] + r.counts[PS_RES_RAM] == n &&
	   r.counts[PS_RES_ABSENT] >= n / 2,
	   "MAP_SHARED: nothing reported swapped (%llu absent, %llu RAM)",
	   (unsigned long long)r.counts[PS_RES_ABSENT], (unsigned long long)r.counts[PS_RES_RAM]);
	ok(verify(p, n / 2, 12) == 0, "shared data intact");
	munmap(p, n * PG);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: swap-test DEVICE\n");
		return 2;
	}
	fd = open(argv[1], O_RDWR);
	pagemap = open("/proc/self/pagemap", O_RDONLY);
	if (fd < 0 || pagemap < 0) {
		perror("open");
		return 2;
	}
	test_private();
	test_shared();
	printf("# swap-test: %d tests, %d failed\n", tests, failed);
	return failed ? 1 : 0;
}

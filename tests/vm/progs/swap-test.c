// SPDX-License-Identifier: GPL-2.0
/*
 * swap-test: PS_IOC_RESIDENCY with PS_RES_SWAP tells swapped-out pages
 * from unpopulated ones, page for page as /proc/self/pagemap does, without
 * bringing anything back in.  The query is a pure read: pages of a
 * PROT_NONE mapping are reported where they are (a page in VRAM is not
 * "swapped"), and a THP is never split by it.  Needs an active swap device
 * (the scenario sets up zram) and THPs for MADV_HUGEPAGE.  Prints TAP
 * lines on stdout.
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
static uint8_t states[NPAGES];	/* at least a THP's pages */

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

/* A PROT_NONE mapping: its pages in VRAM and in RAM read as such. */
static void test_protnone(void)
{
	const size_t n = 64, dev = 32;
	char *p = anon(n, MAP_PRIVATE);
	struct ps_migrate m = { .start = (uintptr_t)p, .length = dev * PG,
				.direction = PS_TO_VRAM };
	struct ps_residency r;
	int ret;

	madvise(p, n * PG, MADV_NOHUGEPAGE);
	fill(p, n, 13);
	ret = ioctl(fd, PS_IOC_MIGRATE, &m);
	ok(ret == 0 && m.migrated == dev, "PROT_NONE: %zu pages moved to VRAM (%llu)", dev,
	   (unsigned long long)m.migrated);
	ok(mprotect(p, n * PG, PROT_NONE) == 0, "PROT_NONE: mprotect");
	ret = query(p, n, 0, &r);
	ok(ret == 0 && r.counts[PS_RES_DEVICE] == dev && r.counts[PS_RES_RAM] == n - dev &&
	   states[0] == PS_RES_DEVICE && states[n - 1] == PS_RES_RAM,
	   "PROT_NONE: %llu pages in VRAM, %llu in RAM, %llu absent (want %zu, %zu, 0)",
	   (unsigned long long)r.counts[PS_RES_DEVICE], (unsigned long long)r.counts[PS_RES_RAM],
	   (unsigned long long)r.counts[PS_RES_ABSENT], dev, n - dev);
	ret = query(p, n, PS_RES_SWAP, &r);
	ok(ret == 0 && r.swapped == 0 && r.counts[PS_RES_DEVICE] == dev &&
	   r.counts[PS_RES_RAM] == n - dev,
	   "PROT_NONE with PS_RES_SWAP: VRAM pages not reported swapped (%llu swapped, %llu VRAM, %llu RAM)",
	   (unsigned long long)r.swapped, (unsigned long long)r.counts[PS_RES_DEVICE],
	   (unsigned long long)r.counts[PS_RES_RAM]);
	mprotect(p, n * PG, PROT_READ | PROT_WRITE);
	ret = query(p, n, 0, &r);
	ok(ret == 0 && r.counts[PS_RES_DEVICE] == dev, "PROT_NONE: the query moved nothing (%llu in VRAM)",
	   (unsigned long long)r.counts[PS_RES_DEVICE]);
	ok(verify(p, n, 13) == 0, "PROT_NONE: data intact");
	munmap(p, n * PG);
}

static unsigned long long vmstat(const char *name)
{
	unsigned long long v, found = 0;
	char key[64];
	FILE *f = fopen("/proc/vmstat", "r");

	while (f && fscanf(f, "%63s %llu", key, &v) == 2)
		if (!strcmp(key, name))
			found = v;
	if (f)
		fclose(f);
	return found;
}

/* A THP, plain and PROT_NONE: the query reads it whole and never splits it. */
static void test_thp(void)
{
	const size_t huge = 2UL << 20, hp = huge / PG;
	char *raw = mmap(NULL, 2 * huge, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *p = (char *)(((uintptr_t)raw + huge - 1) & ~(huge - 1));
	unsigned long long split_pmd, split_page;
	struct ps_residency r;
	int ret, prot;

	madvise(p, huge, MADV_HUGEPAGE);
	fill(p, hp, 14);
	ok(anon_huge_kb(p) == 2048, "THP: the area is one THP (AnonHugePages %lu kB)", anon_huge_kb(p));
	split_pmd = vmstat("thp_split_pmd");
	split_page = vmstat("thp_split_page");
	for (prot = 0; prot < 2; prot++) {
		if (prot)
			mprotect(p, huge, PROT_NONE);
		ret = query(p, hp, PS_RES_SWAP, &r);
		ok(ret == 0 && r.counts[PS_RES_RAM] == hp && r.swapped == 0,
		   "THP%s: %llu of %zu pages in RAM, %llu swapped, %llu absent", prot ? " PROT_NONE" : "",
		   (unsigned long long)r.counts[PS_RES_RAM], hp, (unsigned long long)r.swapped,
		   (unsigned long long)r.counts[PS_RES_ABSENT]);
	}
	ok(vmstat("thp_split_pmd") == split_pmd && vmstat("thp_split_page") == split_page &&
	   anon_huge_kb(p) == 2048,
	   "THP: not split by the queries (thp_split_pmd +%llu, thp_split_page +%llu, AnonHugePages %lu kB)",
	   vmstat("thp_split_pmd") - split_pmd, vmstat("thp_split_page") - split_page, anon_huge_kb(p));
	mprotect(p, huge, PROT_READ | PROT_WRITE);
	ok(verify(p, hp, 14) == 0, "THP: data intact");
	munmap(raw, 2 * huge);
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
	test_protnone();
	test_thp();
	printf("# swap-test: %d tests, %d failed\n", tests, failed);
	return failed ? 1 : 0;
}

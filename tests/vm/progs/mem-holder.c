// SPDX-License-Identifier: GPL-2.0
/*
 * mem-holder: a process whose memory another tool (ps-migrate) moves.
 * It fills tagged pages in its heap (brk) and in an anonymous mapping,
 * prints where they are, waits, then checks every byte.
 *
 * usage: mem-holder [-h HEAP_PAGES] [-a ANON_PAGES] [-H HOT_PAGES] [-n]
 *                   [-p PAGEOUT_PAGES] [-x SECONDS] SEED
 *   -h  pages to add to the heap with sbrk (default 0)
 *   -a  pages of a private anonymous mapping (default 0)
 *   -H  keep the first HOT_PAGES of the mapping in use: read them every
 *       50 ms (and make the CPU walk the page tables again, so the accessed
 *       bits that idle page tracking reads are really set)
 *   -n  no transparent huge pages in the mapping (MADV_NOHUGEPAGE)
 *   -p  page out the last PAGEOUT_PAGES of the mapping (MADV_PAGEOUT; they
 *       go to swap if there is any)
 *   -x  check and exit after SECONDS instead of waiting for SIGUSR1
 *
 * Prints "heap START END", "anon START END", "hot START END", "cold START
 * END" (hex, END exclusive), then "ready".  On SIGUSR1 (or after -x) it
 * checks every word of every page, prints "verified N pages, B bad" and
 * exits 0 only if none is bad.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PG 4096UL

static uint64_t tag(uint64_t seed, uint64_t region, uint64_t page, uint64_t word)
{
	uint64_t x = seed * 0x9e3779b97f4a7c15ULL + region * 0xbf58476d1ce4e5b9ULL +
		     page * 0x100000001b3ULL + word;

	x ^= x >> 31;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 29);
}

static void fill(char *p, size_t pages, uint64_t seed, uint64_t region)
{
	for (size_t i = 0; i < pages; i++)
		for (size_t w = 0; w < PG / 8; w++)
			((uint64_t *)(p + i * PG))[w] = tag(seed, region, i, w);
}

static size_t verify(const char *p, size_t pages, uint64_t seed, uint64_t region)
{
	size_t bad = 0;

	for (size_t i = 0; i < pages; i++)
		for (size_t w = 0; w < PG / 8; w++)
			if (((const uint64_t *)(p + i * PG))[w] != tag(seed, region, i, w)) {
				bad++;
				break;
			}
	return bad;
}

int main(int argc, char **argv)
{
	size_t heap_pages = 0, anon_pages = 0, hot = 0, pageout = 0, bad;
	double exit_after = 0;
	char *heap = NULL, *anon = NULL;
	struct timespec tick = { 0, 50 * 1000 * 1000 }, start, now;
	volatile uint64_t sink = 0;
	uint64_t seed;
	sigset_t set;
	int opt, nohuge = 0;

	while ((opt = getopt(argc, argv, "h:a:H:np:x:")) != -1) {
		switch (opt) {
		case 'h': heap_pages = strtoul(optarg, NULL, 0); break;
		case 'a': anon_pages = strtoul(optarg, NULL, 0); break;
		case 'H': hot = strtoul(optarg, NULL, 0); break;
		case 'n': nohuge = 1; break;
		case 'p': pageout = strtoul(optarg, NULL, 0); break;
		case 'x': exit_after = strtod(optarg, NULL); break;
		default: goto usage;
		}
	}
	if (optind != argc - 1 || hot > anon_pages || pageout > anon_pages)
		goto usage;
	seed = strtoull(argv[optind], NULL, 0);

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);

	if (heap_pages) {
		uintptr_t brk0 = (uintptr_t)sbrk(0);

		if (sbrk((PG - brk0 % PG) % PG) == (void *)-1 ||
		    (heap = sbrk(heap_pages * PG)) == (void *)-1) {
			perror("sbrk");
			return 2;
		}
		fill(heap, heap_pages, seed, 1);
		printf("heap %#lx %#lx\n", (unsigned long)heap, (unsigned long)(heap + heap_pages * PG));
	}
	if (anon_pages) {
		anon = mmap(NULL, anon_pages * PG, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (anon == MAP_FAILED) {
			perror("mmap");
			return 2;
		}
		if (nohuge && madvise(anon, anon_pages * PG, MADV_NOHUGEPAGE)) {
			perror("madvise");
			return 2;
		}
		fill(anon, anon_pages, seed, 2);
		if (pageout && madvise(anon + (anon_pages - pageout) * PG, pageout * PG, MADV_PAGEOUT)) {
			perror("madvise(MADV_PAGEOUT)");
			return 2;
		}
		printf("anon %#lx %#lx\n", (unsigned long)anon, (unsigned long)(anon + anon_pages * PG));
		printf("hot %#lx %#lx\n", (unsigned long)anon, (unsigned long)(anon + hot * PG));
		printf("cold %#lx %#lx\n", (unsigned long)(anon + hot * PG),
		       (unsigned long)(anon + anon_pages * PG));
	}
	printf("ready\n");
	fflush(stdout);

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		if (sigtimedwait(&set, NULL, &tick) == SIGUSR1)
			break;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (exit_after > 0 && now.tv_sec - start.tv_sec +
		    (now.tv_nsec - start.tv_nsec) / 1e9 >= exit_after)
			break;
		if (!hot)
			continue;
		/* A write-protect flushes the TLB entries of the hot pages, so
		 * the reads below walk the page tables and set accessed bits. */
		mprotect(anon, hot * PG, PROT_READ);
		for (size_t i = 0; i < hot; i++)
			sink += ((volatile uint64_t *)(anon + i * PG))[0];
		mprotect(anon, hot * PG, PROT_READ | PROT_WRITE);
	}
	bad = verify(heap, heap_pages, seed, 1) + verify(anon, anon_pages, seed, 2);
	printf("verified %zu pages, %zu bad\n", heap_pages + anon_pages, bad);
	return bad ? 1 : 0;
usage:
	fprintf(stderr, "usage: mem-holder [-h HEAP_PAGES] [-a ANON_PAGES] [-H HOT_PAGES] [-n] [-p PAGEOUT_PAGES]\n"
		"                  [-x SECONDS] SEED\n");
	return 2;
}

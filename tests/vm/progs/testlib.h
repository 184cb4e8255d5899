/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the guest test programs: TAP output and the per-page tag
 * pattern (the host's tests/vm/vram-peek.py knows it too).
 */
#ifndef PS_TESTLIB_H
#define PS_TESTLIB_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define PG 4096UL

static int tests, failed;

static void ok(int cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void ok(int cond, const char *fmt, ...)
{
	va_list ap;

	tests++;
	if (!cond)
		failed++;
	printf("%s %d - ", cond ? "ok" : "not ok", tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static inline uint64_t tag(uint64_t seed, uint64_t page, uint64_t word)
{
	uint64_t x = seed * 0x9e3779b97f4a7c15ULL + page * 0x100000001b3ULL + word;

	x ^= x >> 31;
	x *= 0xbf58476d1ce4e5b9ULL;
	return x ^ (x >> 29);
}

static inline void fill(char *p, size_t pages, uint64_t seed)
{
	for (size_t i = 0; i < pages; i++)
		for (size_t w = 0; w < PG / 8; w++)
			((uint64_t *)(p + i * PG))[w] = tag(seed, i, w);
}

/* Pages of p[first..first + pages) that differ from fill(p, ..., seed). */
static inline size_t verify_at(const char *p, size_t first, size_t pages, uint64_t seed)
{
	size_t bad = 0;

	for (size_t i = first; i < first + pages; i++)
		for (size_t w = 0; w < PG / 8; w++)
			if (((const uint64_t *)(p + i * PG))[w] != tag(seed, i, w)) {
				bad++;
				break;
			}
	return bad;
}

/* Number of pages whose content differs from the pattern. */
static inline size_t verify(const char *p, size_t pages, uint64_t seed)
{
	return verify_at(p, 0, pages, seed);
}

static inline void *anon(size_t pages, int flags)
{
	void *p = mmap(NULL, pages * PG, PROT_READ | PROT_WRITE,
		       flags | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	return p;
}

/* AnonHugePages of the mapping that contains @p, in kB. */
static inline unsigned long anon_huge_kb(const void *p)
{
	unsigned long lo, hi, kb = 0, in = 0;
	char line[512];
	FILE *f = fopen("/proc/self/smaps", "r");

	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' '))
			in = (uintptr_t)p >= lo && (uintptr_t)p < hi;
		else if (in && sscanf(line, "AnonHugePages: %lu kB", &kb) == 1)
			break;
	}
	if (f)
		fclose(f);
	return in ? kb : 0;
}

#endif /* PS_TESTLIB_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * ps-bench-vm: migration and fault throughput of pseudoscopic against the
 * references in the same guest: plain memcpy, the kernel's test_hmm
 * (dmirror, system RAM posing as device memory) and zram swap.
 *
 * usage: ps-bench-vm MIB           (needs /dev/pseudoscopic0, /dev/hmm_dmirror0
 *                                   and an active zram swap)
 * Prints "bench: NAME VALUE UNIT" lines.  Every buffer is verified after
 * its round trip; a mismatch exits 1.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/pseudoscopic.h>
#include <lib/test_hmm_uapi.h>

#define PG 4096UL

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static char *buffer(size_t len, int seed)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t x = seed * 0x9e3779b97f4a7c15ULL + 1;

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	/* Incompressible contents: zram gets no free ride. */
	for (size_t i = 0; i < len / 8; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		((uint64_t *)p)[i] = x;
	}
	return p;
}

static void check(const char *what, const char *p, const char *ref, size_t len)
{
	if (memcmp(p, ref, len)) {
		printf("bench: FAILED %s: data differs after the round trip\n", what);
		exit(1);
	}
}

static void report(const char *name, size_t bytes, double secs)
{
	printf("bench: %s %.1f MB/s\n", name, bytes / secs / 1e6);
}

/* Read one byte per page, in order: every page faults back. */
static double touch_all(volatile char *p, size_t len)
{
	double t = now();

	for (size_t i = 0; i < len; i += PG)
		(void)p[i];
	return now() - t;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Random single-page faults: latency percentiles in microseconds. */
static void fault_latency(const char *name, volatile char *p, size_t pages)
{
	size_t n = pages < 2000 ? pages : 2000;
	double *lat = calloc(n, sizeof(*lat));
	unsigned int seed = 7;

	for (size_t i = 0; i < n; i++) {
		size_t pg = rand_r(&seed) % pages;
		double t = now();

		(void)p[pg * PG];
		lat[i] = (now() - t) * 1e6;
	}
	qsort(lat, n, sizeof(*lat), cmp_double);
	printf("bench: %s_fault_p50 %.1f us\n", name, lat[n / 2]);
	printf("bench: %s_fault_p99 %.1f us\n", name, lat[n * 99 / 100]);
	free(lat);
}

int main(int argc, char **argv)
{
	size_t len = (argc > 1 ? strtoul(argv[1], NULL, 0) : 64) << 20, pages = len / PG;
	char *ref = buffer(len, 1), *p;
	int ps = open("/dev/pseudoscopic0", O_RDWR), hmm = open("/dev/hmm_dmirror0", O_RDWR);
	double t;

	if (ps < 0 || hmm < 0) {
		perror("open /dev/pseudoscopic0 or /dev/hmm_dmirror0");
		return 2;
	}

	/* memcpy: the ceiling for any copy in this guest. */
	p = buffer(len, 2);
	t = now();
	memcpy(p, ref, len);
	report("memcpy", len, now() - t);
	munmap(p, len);

	/* pseudoscopic: to VRAM, back by prefetch, back by faults. */
	p = buffer(len, 1);
	struct ps_migrate m = { .start = (uintptr_t)p, .length = len, .direction = PS_TO_VRAM };
	t = now();
	ioctl(ps, PS_IOC_MIGRATE, &m);
	report("pseudoscopic_to_vram", m.migrated * PG, now() - t);
	m.direction = PS_TO_RAM;
	t = now();
	ioctl(ps, PS_IOC_MIGRATE, &m);
	report("pseudoscopic_to_ram", m.migrated * PG, now() - t);
	check("pseudoscopic prefetch", p, ref, len);
	m.direction = PS_TO_VRAM;
	ioctl(ps, PS_IOC_MIGRATE, &m);
	report("pseudoscopic_fault_seq", len, touch_all(p, len));
	check("pseudoscopic faults", p, ref, len);
	ioctl(ps, PS_IOC_MIGRATE, &m);
	fault_latency("pseudoscopic", p, pages);
	munmap(p, len);

	/* test_hmm dmirror: the in-tree reference driver.  Its migration
	 * ioctls also copy the range into cmd.ptr ("the device's view").
	 */
	char *mirror = malloc(len);

	p = buffer(len, 1);
	struct hmm_dmirror_cmd c = { .addr = (uintptr_t)p, .ptr = (uintptr_t)mirror, .npages = pages };
	t = now();
	if (ioctl(hmm, HMM_DMIRROR_MIGRATE_TO_DEV, &c)) {
		perror("HMM_DMIRROR_MIGRATE_TO_DEV");
		return 2;
	}
	/* With device THP (7.x) cpages counts folios, not pages: use len. */
	report("dmirror_to_dev", len, now() - t);
	c = (struct hmm_dmirror_cmd){ .addr = (uintptr_t)p, .ptr = (uintptr_t)mirror, .npages = pages };
	t = now();
	ioctl(hmm, HMM_DMIRROR_MIGRATE_TO_SYS, &c);
	report("dmirror_to_sys", len, now() - t);
	check("dmirror migrate back", p, ref, len);
	c = (struct hmm_dmirror_cmd){ .addr = (uintptr_t)p, .ptr = (uintptr_t)mirror, .npages = pages };
	ioctl(hmm, HMM_DMIRROR_MIGRATE_TO_DEV, &c);
	report("dmirror_fault_seq", len, touch_all(p, len));
	check("dmirror faults", p, ref, len);
	c = (struct hmm_dmirror_cmd){ .addr = (uintptr_t)p, .ptr = (uintptr_t)mirror, .npages = pages };
	ioctl(hmm, HMM_DMIRROR_MIGRATE_TO_DEV, &c);
	fault_latency("dmirror", p, pages);
	munmap(p, len);

	/* zram swap: page out with MADV_PAGEOUT, fault back in. */
	p = buffer(len, 1);
	t = now();
	if (madvise(p, len, MADV_PAGEOUT)) {
		perror("MADV_PAGEOUT");
		return 2;
	}
	report("zram_pageout", len, now() - t);
	report("zram_fault_seq", len, touch_all(p, len));
	check("zram", p, ref, len);
	madvise(p, len, MADV_PAGEOUT);
	fault_latency("zram", p, pages);
	munmap(p, len);
	return 0;
}

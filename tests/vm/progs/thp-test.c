// SPDX-License-Identifier: GPL-2.0
/*
 * thp-test: transparent huge pages through /dev/pseudoscopicN.  Prints TAP.
 *
 * Where the driver reports PS_INFO_DEVICE_THP, a 2 MiB THP must move to VRAM
 * as one compound device folio and come back as one THP (sysfs thp_to_vram,
 * thp_to_ram; AnonHugePages in smaps); elsewhere it is split and moves page
 * by page.  Either way every byte must survive, under partial munmap,
 * mprotect, fork and eviction.
 *
 * usage: thp-test DEVICE all
 *        thp-test DEVICE hold THPS SEED   move THPS huge pages to VRAM,
 *                print "# ready", wait for SIGUSR1 (the caller unbinds),
 *                verify
 *        thp-test DEVICE pressure THPS SEED   move THPS huge pages into a
 *                pool too small for them (eviction makes room), verify
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/pseudoscopic.h>

#include "testlib.h"

#define HUGE (2UL << 20)
#define HPAGES (HUGE / PG)

static int fd, device_thp;
static char sysdir[256];

static uint64_t stat_of(const char *name)
{
	char path[320];
	unsigned long long v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", sysdir, name);
	f = fopen(path, "r");
	if (!f || fscanf(f, "%llu", &v) != 1)
		fprintf(stderr, "thp-test: cannot read %s\n", path);
	if (f)
		fclose(f);
	return v;
}

/* @n 2 MiB-aligned huge pages, populated with tags of @seed. */
static char *huge_area(size_t n, uint64_t seed)
{
	char *raw = mmap(NULL, (n + 1) * HUGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *p;

	if (raw == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	p = (char *)(((uintptr_t)raw + HUGE - 1) & ~(HUGE - 1));
	madvise(p, n * HUGE, MADV_HUGEPAGE);
	fill(p, n * HPAGES, seed);
	return p;
}

static int migrate(void *p, size_t bytes, int dir, struct ps_migrate *m)
{
	*m = (struct ps_migrate){ .start = (uintptr_t)p, .length = bytes,
				  .direction = dir };
	return ioctl(fd, PS_IOC_MIGRATE, m);
}

static uint64_t resident(void *p, size_t bytes, int state)
{
	static uint8_t st[1 << 14];
	struct ps_residency r = { .start = (uintptr_t)p, .length = bytes,
				  .states = (uintptr_t)st };

	return ioctl(fd, PS_IOC_RESIDENCY, &r) ? ~0ULL : r.counts[state];
}

static void test_round_trip(void)
{
	char *p = huge_area(2, 51);
	uint64_t v0 = stat_of("thp_to_vram"), r0 = stat_of("thp_to_ram");
	struct ps_migrate m;
	int ret;

	ok(anon_huge_kb(p) >= 4096, "the test area is backed by THPs (%lu kB)",
	   anon_huge_kb(p));
	ret = migrate(p, 2 * HUGE, PS_TO_VRAM, &m);
	ok(ret == 0 && m.migrated == 2 * HPAGES, "2 THPs to VRAM: %llu pages",
	   (unsigned long long)m.migrated);
	ok(stat_of("thp_to_vram") - v0 == (device_thp ? 2 : 0),
	   "%s", device_thp ? "as 2 compound device folios" :
			      "split into pages (no device THP here)");
	ok(resident(p, 2 * HUGE, PS_RES_DEVICE) == 2 * HPAGES,
	   "RESIDENCY sees all 1024 pages in VRAM");
	ok(*(volatile uint64_t *)(p + 12345 * 8) == tag(51, 12345 * 8 / PG, (12345 * 8 % PG) / 8),
	   "a CPU read in the first THP returns its data");
	if (device_thp)
		ok(resident(p, HUGE, PS_RES_RAM) == HPAGES &&
		   resident(p + HUGE, HUGE, PS_RES_DEVICE) == HPAGES,
		   "the fault brought back the whole first THP, not the second");
	else
		ok(resident(p, HUGE, PS_RES_RAM) >= 1 &&
		   resident(p + HUGE, HUGE, PS_RES_DEVICE) == HPAGES,
		   "the fault brought back pages of the first 2 MiB only");
	if (device_thp) {
		ok(stat_of("thp_to_ram") - r0 == 1, "as one compound folio");
		ok(anon_huge_kb(p) >= 2048, "mapped huge again (%lu kB)", anon_huge_kb(p));
	}
	ret = migrate(p + HUGE, HUGE, PS_TO_RAM, &m);
	ok(ret == 0 && m.migrated == HPAGES, "MIGRATE to RAM of the second THP");
	if (device_thp)
		ok(stat_of("thp_to_ram") - r0 == 2, "also as one compound folio");
	ok(verify(p, 2 * HPAGES, 51) == 0, "every byte intact");
	munmap(p, 2 * HUGE);
}

static void test_split(void)
{
	char *p = huge_area(2, 52);
	uint64_t free0 = stat_of("free_pages");
	struct ps_migrate m;
	size_t bad = 0;

	migrate(p, 2 * HUGE, PS_TO_VRAM, &m);
	ok(m.migrated == 2 * HPAGES, "2 THPs in VRAM for splitting");
	ok(munmap(p + HUGE + HUGE / 2, HUGE / 2) == 0,
	   "munmap the second half of a device THP");
	ok(mprotect(p, HUGE / 2, PROT_READ) == 0,
	   "mprotect the first half of the other one read-only");
	ok(resident(p, HUGE + HUGE / 2, PS_RES_DEVICE) == HPAGES + HPAGES / 2,
	   "the rest is still in VRAM");
	bad = verify(p, HPAGES + HPAGES / 2, 52);
	ok(bad == 0, "the split pieces fault back intact (%zu bad pages)", bad);
	munmap(p, HUGE + HUGE / 2);
	ok(stat_of("free_pages") == free0, "pool pages all returned (%llu of %llu)",
	   (unsigned long long)stat_of("free_pages"), (unsigned long long)free0);
}

static void test_fork(void)
{
	char *p = huge_area(1, 53);
	struct ps_migrate m;
	pid_t pid;
	int st = -1;

	migrate(p, HUGE, PS_TO_VRAM, &m);
	ok(m.migrated == HPAGES, "a THP in VRAM before fork");
	pid = fork();
	if (pid == 0) {
		size_t bad = verify(p, HPAGES, 53);

		p[0] ^= 1;	/* COW in the child only */
		_exit(bad ? 3 : 0);
	}
	waitpid(pid, &st, 0);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the child reads it intact");
	ok(verify(p, HPAGES, 53) == 0, "the parent's copy is untouched");
	munmap(p, HUGE);
}

static int hold(size_t n, uint64_t seed)
{
	char *p = huge_area(n, seed);
	struct ps_migrate m;
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	ok(migrate(p, n * HUGE, PS_TO_VRAM, &m) == 0 && m.migrated == n * HPAGES,
	   "hold: %zu THPs in VRAM", n);
	close(fd);
	printf("# ready\n");
	fflush(stdout);
	sigwait(&set, &sig);
	ok(verify(p, n * HPAGES, seed) == 0, "hold: all %zu THPs intact after unbind", n);
	ok(anon_huge_kb(p) >= (device_thp ? n * 2048 : 0),
	   "hold: %lu kB mapped huge after eviction", anon_huge_kb(p));
	return failed ? 1 : 0;
}

static int pressure(size_t n, uint64_t seed)
{
	char *p = huge_area(n, seed);
	uint64_t ev0 = stat_of("evicted_pages");
	struct ps_migrate m;
	size_t i;

	for (i = 0; i < n; i++) {
		migrate(p + i * HUGE, HUGE, PS_TO_VRAM, &m);
		ok(m.migrated == HPAGES, "pressure: THP %zu moved (%llu pages, %llu no space)",
		   i, (unsigned long long)m.migrated, (unsigned long long)m.skipped_no_space);
		printf("# pool %llu free of %llu, thp_to_vram %llu, thp_to_ram %llu, evicted %llu\n",
		       (unsigned long long)stat_of("free_pages"),
		       (unsigned long long)stat_of("pool_pages"),
		       (unsigned long long)stat_of("thp_to_vram"),
		       (unsigned long long)stat_of("thp_to_ram"),
		       (unsigned long long)stat_of("evicted_pages"));
	}
	ok(stat_of("evicted_pages") - ev0 >= HPAGES, "older pages were evicted to make room (%llu)",
	   (unsigned long long)(stat_of("evicted_pages") - ev0));
	ok(verify(p, n * HPAGES, seed) == 0, "pressure: every byte intact");
	return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct ps_info info;

	if (argc < 3) {
		fprintf(stderr, "usage: thp-test DEVICE all | hold THPS SEED | pressure THPS SEED\n");
		return 2;
	}
	fd = open(argv[1], O_RDWR);
	if (fd < 0 || ioctl(fd, PS_IOC_INFO, &info)) {
		perror(argv[1]);
		return 2;
	}
	device_thp = !!(info.flags & PS_INFO_DEVICE_THP);
	snprintf(sysdir, sizeof(sysdir), "/sys/class/misc/%s/device/pseudoscopic",
		 basename(argv[1]));
	printf("# device THP: %s\n", device_thp ? "yes" : "no");
	if (!strcmp(argv[2], "hold") && argc == 5)
		return hold(strtoul(argv[3], NULL, 0), strtoull(argv[4], NULL, 0));
	if (!strcmp(argv[2], "pressure") && argc == 5)
		return pressure(strtoul(argv[3], NULL, 0), strtoull(argv[4], NULL, 0));
	test_round_trip();
	test_split();
	test_fork();
	printf("# %d tests, %d failed\n", tests, failed);
	return failed ? 1 : 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * copy-test: move tagged pages to VRAM and back with PS_IOC_MIGRATE (both
 * directions go through the device's copy engine; CPU faults do not) and
 * check every byte.  Prints TAP lines; exits 1 on any failure.
 *
 * usage: copy-test DEVICE info
 *                print "copy_engine=N copy_mode=N dma_flag=N" from INFO
 *        copy-test DEVICE roundtrip PAGES SEED
 *                to VRAM, back to RAM by MIGRATE, verify
 *        copy-test DEVICE split PAGES SEED
 *                to VRAM, print "# in-vram", wait for SIGUSR1 (the caller
 *                changes the copy engine meanwhile), back by MIGRATE, verify
 */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/pseudoscopic.h>

#define PG 4096UL

static int fd, failed;

static void ok(int cond, const char *what, size_t n)
{
	printf("%s - %s (%zu pages)\n", cond ? "ok" : "not ok", what, n);
	failed |= !cond;
}

/* Every 8-byte word names its page, offset and seed. */
static uint64_t word(uint64_t seed, size_t page, size_t w)
{
	return (seed << 40) ^ (page << 12) ^ w ^ 0x5eed0000c0ffeeULL;
}

static size_t verify(const uint64_t *p, size_t pages, uint64_t seed)
{
	size_t bad = 0;

	for (size_t i = 0; i < pages; i++)
		for (size_t w = 0; w < PG / 8; w++)
			if (p[i * PG / 8 + w] != word(seed, i, w)) {
				bad++;
				break;
			}
	return bad;
}

static int migrate(void *p, size_t pages, int dir, uint64_t *moved)
{
	struct ps_migrate m = { .start = (uintptr_t)p, .length = pages * PG,
				.direction = dir };
	int r = ioctl(fd, PS_IOC_MIGRATE, &m);

	*moved = m.migrated;
	return r;
}

static uint64_t resident(void *p, size_t pages, int state)
{
	static uint8_t states[1 << 16];
	struct ps_residency r = { .start = (uintptr_t)p, .length = pages * PG,
				  .states = (uintptr_t)states };

	if (pages > sizeof(states) || ioctl(fd, PS_IOC_RESIDENCY, &r))
		return UINT64_MAX;
	return r.counts[state];
}

static int roundtrip(size_t n, uint64_t seed, int wait)
{
	uint64_t *p, moved = 0;
	sigset_t set;
	int sig;

	p = mmap(NULL, n * PG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 2;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (size_t i = 0; i < n; i++)
		for (size_t w = 0; w < PG / 8; w++)
			p[i * PG / 8 + w] = word(seed, i, w);
	ok(migrate(p, n, PS_TO_VRAM, &moved) == 0 && moved == n,
	   "MIGRATE to VRAM moved every page", n);
	ok(resident(p, n, PS_RES_DEVICE) == n, "RESIDENCY: all in VRAM", n);
	if (wait) {
		printf("# in-vram\n");
		fflush(stdout);
		sigwait(&set, &sig);
	}
	ok(migrate(p, n, PS_TO_RAM, &moved) == 0 && moved == n,
	   "MIGRATE to RAM moved every page back", n);
	ok(resident(p, n, PS_RES_RAM) == n, "RESIDENCY: all in RAM", n);
	ok(verify(p, n, seed) == 0, "every byte intact after the round trip", n);
	munmap(p, n * PG);
	return failed;
}

int main(int argc, char **argv)
{
	struct ps_info info;

	if (argc < 3) {
		fprintf(stderr, "usage: copy-test DEVICE info | roundtrip PAGES SEED | split PAGES SEED\n");
		return 2;
	}
	fd = open(argv[1], O_RDWR);
	if (fd < 0) {
		perror(argv[1]);
		return 2;
	}
	if (!strcmp(argv[2], "info")) {
		if (ioctl(fd, PS_IOC_INFO, &info))
			return 1;
		printf("copy_engine=%u copy_mode=%u dma_flag=%u\n",
		       info.copy_engine, info.copy_mode,
		       !!(info.flags & PS_INFO_DMA));
		return 0;
	}
	if (argc == 5 && (!strcmp(argv[2], "roundtrip") || !strcmp(argv[2], "split")))
		return roundtrip(strtoul(argv[3], NULL, 0),
				 strtoull(argv[4], NULL, 0),
				 !strcmp(argv[2], "split"));
	fprintf(stderr, "copy-test: unknown command '%s'\n", argv[2]);
	return 2;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * lost-test: what a process sees when the device holding its pages is gone.
 * Prints TAP on stdout.
 *
 * usage: lost-test DEVICE PAGES SEED
 *   1. fills PAGES tagged pages, moves them to VRAM, prints "# ready" and
 *      waits for SIGUSR1 (the caller marks the device lost meanwhile);
 *   2. checks that MIGRATE now fails with EIO and that touching each page
 *      raises SIGBUS: no page may read back as stale or zero data; prints
 *      "# touched" and waits for SIGUSR1 (the caller unbinds, tries rmmod);
 *   3. unmaps the pages (which lets the driver release the lost device) and
 *      exits.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/pseudoscopic.h>

#include "testlib.h"

static sigjmp_buf jump;
static volatile sig_atomic_t usr1;

static void on_sigbus(int sig)
{
	(void)sig;
	siglongjmp(jump, 1);
}

static void on_usr1(int sig)
{
	(void)sig;
	usr1 = 1;
}

static void wait_usr1(const char *say)
{
	sigset_t none;

	printf("# %s\n", say);
	fflush(stdout);
	sigemptyset(&none);
	while (!usr1)
		sigsuspend(&none);
	usr1 = 0;
}

int main(int argc, char **argv)
{
	struct sigaction bus = { .sa_handler = on_sigbus };
	struct sigaction u1 = { .sa_handler = on_usr1 };
	volatile size_t sigbus = 0, readable = 0;
	size_t n;
	struct ps_migrate m = { 0 };
	uint64_t seed;
	char *p, *q;
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: lost-test DEVICE PAGES SEED\n");
		return 2;
	}
	n = strtoul(argv[2], NULL, 0);
	seed = strtoull(argv[3], NULL, 0);
	fd = open(argv[1], O_RDWR);
	if (fd < 0) {
		perror(argv[1]);
		return 2;
	}
	sigaction(SIGBUS, &bus, NULL);
	sigaction(SIGUSR1, &u1, NULL);

	p = anon(n, MAP_PRIVATE);
	fill(p, n, seed);
	m = (struct ps_migrate){ .start = (uintptr_t)p, .length = n * PG,
				 .direction = PS_TO_VRAM };
	ok(ioctl(fd, PS_IOC_MIGRATE, &m) == 0 && m.migrated == n,
	   "%zu tagged pages moved to VRAM", n);
	wait_usr1("ready");

	q = anon(1, MAP_PRIVATE);
	q[0] = 1;
	m = (struct ps_migrate){ .start = (uintptr_t)q, .length = PG,
				 .direction = PS_TO_VRAM };
	ok(ioctl(fd, PS_IOC_MIGRATE, &m) == -1 && errno == EIO,
	   "MIGRATE on a lost device: EIO");

	for (size_t i = 0; i < n; i++) {
		volatile uint64_t *w = (volatile uint64_t *)(p + i * PG);

		if (sigsetjmp(jump, 1)) {
			sigbus++;
			continue;
		}
		(void)*w;
		readable++;	/* reached only without SIGBUS */
	}
	ok(sigbus == n && readable == 0,
	   "every page of the lost device raises SIGBUS (%zu SIGBUS, %zu read back)",
	   sigbus, readable);
	wait_usr1("touched");

	ok(munmap(p, n * PG) == 0, "the lost pages can be unmapped");
	printf("# %d tests, %d failed\n", tests, failed);
	return failed ? 1 : 0;
}

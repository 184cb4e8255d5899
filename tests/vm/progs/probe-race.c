// SPDX-License-Identifier: GPL-2.0
/*
 * probe-race: the fast opener of a device whose probe then fails (the
 * module's test-only test_probe_fail_ms).  Prints TAP on stdout.
 *
 * usage: probe-race DEVICE PAGES SEED
 *   1. opens DEVICE as soon as it appears (within 30 s), moves PAGES
 *      tagged pages to VRAM, prints "# ready" and waits for SIGUSR1 (the
 *      probe fails meanwhile; its unwinding must bring the pages home
 *      without waiting for this process);
 *   2. checks that the node no longer answers and that every page reads
 *      back intact.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/pseudoscopic.h>

#include "testlib.h"

static volatile sig_atomic_t usr1;

static void on_usr1(int sig)
{
	(void)sig;
	usr1 = 1;
}

int main(int argc, char **argv)
{
	struct sigaction u1 = { .sa_handler = on_usr1 };
	struct ps_migrate m;
	sigset_t none;
	uint64_t seed;
	size_t n;
	char *p;
	int fd = -1, i, rc, err;

	if (argc != 4) {
		fprintf(stderr, "usage: probe-race DEVICE PAGES SEED\n");
		return 2;
	}
	n = strtoul(argv[2], NULL, 0);
	seed = strtoull(argv[3], NULL, 0);
	sigaction(SIGUSR1, &u1, NULL);
	p = anon(n, MAP_PRIVATE);
	fill(p, n, seed);
	for (i = 0; i < 30000 && fd < 0; i++) {
		fd = open(argv[1], O_RDWR);
		if (fd < 0)
			usleep(1000);
	}
	if (fd < 0) {
		perror(argv[1]);
		return 2;
	}
	m = (struct ps_migrate){ .start = (uintptr_t)p, .length = n * PG,
				 .direction = PS_TO_VRAM };
	rc = ioctl(fd, PS_IOC_MIGRATE, &m);
	ok(rc == 0 && m.migrated == n,
	   "opened as soon as it appeared; %llu of %zu tagged pages moved to VRAM",
	   (unsigned long long)m.migrated, n);
	printf("# ready\n");
	fflush(stdout);
	sigemptyset(&none);
	while (!usr1)
		sigsuspend(&none);

	m = (struct ps_migrate){ .start = (uintptr_t)p, .length = n * PG,
				 .direction = PS_TO_VRAM };
	rc = ioctl(fd, PS_IOC_MIGRATE, &m);
	err = errno;
	ok(rc == -1 && err == ENODEV,
	   "the node of the failed probe answers ENODEV (%s)",
	   rc ? strerror(err) : "succeeded");
	ok(verify(p, n, seed) == 0, "every page reads back intact");
	close(fd);
	printf("# %d tests, %d failed\n", tests, failed);
	return failed ? 1 : 0;
}

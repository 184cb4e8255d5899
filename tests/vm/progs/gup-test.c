// SPDX-License-Identifier: GPL-2.0
/*
 * gup-test: pages the kernel holds through get_user_pages() are not moved
 * and are counted unmovable; once released they move.  vmsplice() into a
 * pipe is the holder: the pipe keeps references to the pages until it is
 * read.  Prints TAP lines on stdout.
 *
 * usage: gup-test DEVICE
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include <linux/pseudoscopic.h>

#include "testlib.h"

#define HELD	8	/* pages referenced by the pipe */
#define NPAGES	16	/* the range: HELD held, the rest free to move */

static int migrate(int fd, void *p, size_t pages, struct ps_migrate *m)
{
	*m = (struct ps_migrate){ .start = (uintptr_t)p, .length = pages * PG,
				  .direction = PS_TO_VRAM };
	return ioctl(fd, PS_IOC_MIGRATE, m);
}

int main(int argc, char **argv)
{
	char *p, back[PG];
	struct ps_migrate m;
	struct iovec iov;
	int fd, pipefd[2], ret;
	size_t bad = 0;
	ssize_t n;

	if (argc != 2) {
		fprintf(stderr, "usage: gup-test DEVICE\n");
		return 2;
	}
	fd = open(argv[1], O_RDWR);
	if (fd < 0 || pipe(pipefd)) {
		perror("open");
		return 2;
	}
	p = anon(NPAGES, MAP_PRIVATE);
	madvise(p, NPAGES * PG, MADV_NOHUGEPAGE);
	fill(p, NPAGES, 31);
	iov = (struct iovec){ .iov_base = p, .iov_len = HELD * PG };
	n = vmsplice(pipefd[1], &iov, 1, 0);
	ok(n == (ssize_t)(HELD * PG), "vmsplice: the pipe holds %d pages (%zd bytes)", HELD, n);

	ret = migrate(fd, p, NPAGES, &m);
	ok(ret == 0 && m.migrated == NPAGES - HELD && m.skipped_unmovable == HELD &&
	   m.skipped_absent == 0,
	   "held pages stay, counted unmovable (%llu moved, %llu unmovable, %llu absent)",
	   (unsigned long long)m.migrated, (unsigned long long)m.skipped_unmovable,
	   (unsigned long long)m.skipped_absent);

	for (int i = 0; i < HELD; i++) {
		if (read(pipefd[0], back, PG) != (ssize_t)PG)
			bad++;
		else
			for (size_t w = 0; w < PG / 8; w++)
				if (((uint64_t *)back)[w] != tag(31, i, w)) {
					bad++;
					break;
				}
	}
	ok(bad == 0, "the pipe read back the held pages' data");

	ret = migrate(fd, p, NPAGES, &m);
	ok(ret == 0 && m.migrated == HELD && m.skipped_elsewhere == NPAGES - HELD,
	   "released, they move (%llu moved, %llu already in VRAM)",
	   (unsigned long long)m.migrated, (unsigned long long)m.skipped_elsewhere);
	ok(verify(p, NPAGES, 31) == 0, "every byte intact");
	munmap(p, NPAGES * PG);
	printf("# gup-test: %d tests, %d failed\n", tests, failed);
	return failed ? 1 : 0;
}

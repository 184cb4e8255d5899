// SPDX-License-Identifier: GPL-2.0
/*
 * blk-zero DEVICE OFFSET LENGTH: fallocate(PUNCH_HOLE) on a block device,
 * which the kernel turns into REQ_OP_WRITE_ZEROES without a fallback
 * (BLKDEV_ZERO_NOFALLBACK): it fails with EOPNOTSUPP unless the driver
 * zeroes the range itself.  busybox's fallocate cannot punch holes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long long off, len;
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: blk-zero DEVICE OFFSET LENGTH\n");
		return 2;
	}
	off = strtoll(argv[2], NULL, 0);
	len = strtoll(argv[3], NULL, 0);
	fd = open(argv[1], O_RDWR);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, off, len)) {
		fprintf(stderr, "blk-zero: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	close(fd);
	return 0;
}

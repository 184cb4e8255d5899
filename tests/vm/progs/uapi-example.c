// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The example from Documentation/uapi.md: move a buffer to VRAM, look at
 * where it is, touch it (which brings it back), and check it.
 * Build: cc -I include/uapi -o uapi-example tests/vm/progs/uapi-example.c
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/pseudoscopic.h>

int main(int argc, char **argv)
{
	const char *node = argc > 1 ? argv[1] : "/dev/pseudoscopic0";
	size_t len = 64 << 20, pages = len / 4096;
	static uint8_t state[(64 << 20) / 4096];
	struct ps_migrate mig = { 0 };
	struct ps_residency res = { 0 };
	char *buf;
	int fd;

	fd = open(node, O_RDWR);
	if (fd < 0) {
		perror(node);
		return 1;
	}
	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		return 1;
	memset(buf, 0x5a, len);			/* populate it */

	mig.start = (uintptr_t)buf;
	mig.length = len;
	mig.direction = PS_TO_VRAM;
	if (ioctl(fd, PS_IOC_MIGRATE, &mig)) {
		perror("PS_IOC_MIGRATE");
		return 1;
	}
	printf("moved %llu of %zu pages to VRAM (%llu absent, %llu unmovable, %llu no space)\n",
	       (unsigned long long)mig.migrated, pages,
	       (unsigned long long)mig.skipped_absent,
	       (unsigned long long)mig.skipped_unmovable,
	       (unsigned long long)mig.skipped_no_space);

	res.start = (uintptr_t)buf;
	res.length = len;
	res.states = (uintptr_t)state;
	if (ioctl(fd, PS_IOC_RESIDENCY, &res)) {
		perror("PS_IOC_RESIDENCY");
		return 1;
	}
	printf("in VRAM: %llu pages, in RAM: %llu pages\n",
	       (unsigned long long)res.counts[PS_RES_DEVICE],
	       (unsigned long long)res.counts[PS_RES_RAM]);

	/* An ordinary read faults each page back to RAM. */
	for (size_t i = 0; i < len; i++)
		if (buf[i] != 0x5a) {
			printf("byte %zu is wrong\n", i);
			return 1;
		}
	printf("all %zu bytes intact after the round trip\n", len);
	return 0;
}

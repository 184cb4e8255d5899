// SPDX-License-Identifier: GPL-2.0
/*
 * old-abi: a program built against uapi version 3 or older issues the
 * ioctl numbers of magic 0xb5 (which belongs to rpmsg).  The driver must
 * answer each with EBADRQC and do nothing, an unrelated 0xb5 number with
 * ENOTTY, and the version 4 numbers must work.  Prints TAP lines.
 *
 * usage: old-abi DEVICE
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/pseudoscopic.h>

#include "testlib.h"

/* The numbers of uapi versions 1-3, as their header defined them. */
#define OLD_INFO	_IOR(0xb5, 0x00, struct ps_info)
#define OLD_MIGRATE	_IOWR(0xb5, 0x01, struct ps_migrate)
#define OLD_RESIDENCY	_IOWR(0xb5, 0x02, struct ps_residency)
/* rpmsg's RPMSG_GET_OUTGOING_FLOWCONTROL: not ours at all */
#define RPMSG_NR	_IOR(0xb5, 0x05, int)

int main(int argc, char **argv)
{
	struct ps_info info;
	struct ps_migrate m;
	struct ps_residency r;
	uint8_t states[16];
	char *p;
	int fd, ret, err;

	if (argc != 2) {
		fprintf(stderr, "usage: old-abi DEVICE\n");
		return 2;
	}
	fd = open(argv[1], O_RDWR);
	if (fd < 0) {
		perror(argv[1]);
		return 2;
	}
	p = anon(16, MAP_PRIVATE);
	fill(p, 16, 7);

	memset(&info, 0x5a, sizeof(info));
	ret = ioctl(fd, OLD_INFO, &info);
	err = errno;
	ok(ret == -1 && err == EBADRQC && info.version == 0x5a5a5a5a,
	   "old PS_IOC_INFO (0x%08lx): EBADRQC, nothing written (ret %d, %s)",
	   (unsigned long)OLD_INFO, ret, strerror(err));

	m = (struct ps_migrate){ .start = (uintptr_t)p, .length = 16 * PG,
				 .direction = PS_TO_VRAM };
	ret = ioctl(fd, OLD_MIGRATE, &m);
	err = errno;
	ok(ret == -1 && err == EBADRQC && m.migrated == 0,
	   "old PS_IOC_MIGRATE: EBADRQC (ret %d, %s)", ret, strerror(err));

	r = (struct ps_residency){ .start = (uintptr_t)p, .length = 16 * PG,
				   .states = (uintptr_t)states };
	ret = ioctl(fd, OLD_RESIDENCY, &r);
	err = errno;
	ok(ret == -1 && err == EBADRQC, "old PS_IOC_RESIDENCY: EBADRQC (ret %d, %s)",
	   ret, strerror(err));

	ret = ioctl(fd, RPMSG_NR, &err);
	err = errno;
	ok(ret == -1 && err == ENOTTY, "an rpmsg number: ENOTTY (ret %d, %s)", ret,
	   strerror(err));

	ret = ioctl(fd, PS_IOC_INFO, &info);
	ok(ret == 0 && info.version == PS_UAPI_VERSION && PS_UAPI_VERSION >= 4,
	   "PS_IOC_INFO (0x%08lx) answers version %u",
	   (unsigned long)PS_IOC_INFO, ret == 0 ? info.version : 0);

	ret = ioctl(fd, PS_IOC_RESIDENCY, &r);
	ok(ret == 0 && r.counts[PS_RES_RAM] == 16,
	   "the old MIGRATE moved nothing: %llu of 16 pages in RAM",
	   (unsigned long long)r.counts[PS_RES_RAM]);
	ret = ioctl(fd, PS_IOC_MIGRATE, &m);
	ok(ret == 0 && m.migrated == 16, "PS_IOC_MIGRATE moves 16 pages (%llu)",
	   (unsigned long long)m.migrated);
	ok(verify(p, 16, 7) == 0, "data intact");
	printf("# old-abi: %d tests, %d failed\n", tests, failed);
	return failed ? 1 : 0;
}

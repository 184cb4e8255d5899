// SPDX-License-Identifier: GPL-2.0
/*
 * res-pure: PS_IOC_RESIDENCY fires no MMU notifier invalidation.  The
 * kernel's test driver (test_hmm, /dev/hmm_dmirror0) keeps a mirror of the
 * pages it migrated to its own device memory and drops mirror entries on
 * every invalidation of their range; a dmirror read then has to fault
 * them back in (hmm_dmirror_cmd.faults).  So: migrate pages to dmirror,
 * read them (no faults), query our residency over them, read again: still
 * no faults.  The query also reports those pages as another device's
 * (PS_RES_OTHER), never as swapped.  Prints TAP lines.
 *
 * usage: res-pure DEVICE DMIRROR
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

/* lib/test_hmm_uapi.h (the same in 6.12 and 7.3) */
struct hmm_dmirror_cmd {
	uint64_t addr;
	uint64_t ptr;
	uint64_t npages;
	uint64_t cpages;
	uint64_t faults;
};
#define HMM_DMIRROR_READ		_IOWR('H', 0x00, struct hmm_dmirror_cmd)
#define HMM_DMIRROR_MIGRATE_TO_DEV	_IOWR('H', 0x02, struct hmm_dmirror_cmd)

#define N	64
#define DM	32	/* pages 0..31 go to dmirror's memory */

static int dm;
static char bounce[DM * PG];

static int dm_cmd(unsigned long req, void *p, size_t pages, struct hmm_dmirror_cmd *c)
{
	*c = (struct hmm_dmirror_cmd){ .addr = (uintptr_t)p, .ptr = (uintptr_t)bounce,
				       .npages = pages };
	return ioctl(dm, req, c);
}

int main(int argc, char **argv)
{
	struct hmm_dmirror_cmd c;
	struct ps_residency r;
	uint8_t states[N];
	char *p;
	int fd, ret;

	if (argc != 3) {
		fprintf(stderr, "usage: res-pure DEVICE DMIRROR\n");
		return 2;
	}
	fd = open(argv[1], O_RDWR);
	dm = open(argv[2], O_RDWR);
	if (fd < 0 || dm < 0) {
		perror("open");
		return 2;
	}
	p = anon(N, MAP_PRIVATE);
	madvise(p, N * PG, MADV_NOHUGEPAGE);
	fill(p, N, 31);
	ret = dm_cmd(HMM_DMIRROR_MIGRATE_TO_DEV, p, DM, &c);
	ok(ret == 0 && c.cpages == DM, "%d pages migrated to dmirror's memory (%llu)", DM,
	   (unsigned long long)c.cpages);
	ret = dm_cmd(HMM_DMIRROR_READ, p, DM, &c);
	ok(ret == 0 && c.faults == 0,
	   "dmirror reads them from its mirror without faulting (faults %llu)",
	   (unsigned long long)c.faults);

	r = (struct ps_residency){ .start = (uintptr_t)p, .length = N * PG,
				   .states = (uintptr_t)states, .flags = PS_RES_SWAP };
	ret = ioctl(fd, PS_IOC_RESIDENCY, &r);
	ok(ret == 0 && r.counts[PS_RES_OTHER] == DM && r.counts[PS_RES_RAM] == N - DM &&
	   r.swapped == 0,
	   "residency: %llu pages on another device, %llu in RAM, %llu swapped, %llu absent",
	   (unsigned long long)r.counts[PS_RES_OTHER], (unsigned long long)r.counts[PS_RES_RAM],
	   (unsigned long long)r.swapped, (unsigned long long)r.counts[PS_RES_ABSENT]);

	ret = dm_cmd(HMM_DMIRROR_READ, p, DM, &c);
	ok(ret == 0 && c.faults == 0,
	   "after the query dmirror still reads without faulting: no invalidation (faults %llu)",
	   (unsigned long long)c.faults);
	ok(ret == 0 && verify(bounce, DM, 31) == 0, "dmirror's copy is intact");
	ok(verify(p, N, 31) == 0, "data intact (read back by the CPU)");
	printf("# res-pure: %d tests, %d failed\n", tests, failed);
	return failed ? 1 : 0;
}

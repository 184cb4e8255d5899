// SPDX-License-Identifier: GPL-2.0
/*
 * pin-test: the limits on PS_MIGRATE_PIN and PS_MIGRATE_ASYNC, and
 * PS_MIGRATE_UNPIN.  The scenario loads the module with max_async=2 and
 * sets the device's max_pinned_pages to 1000 first.
 *   - past the device's limit a pin fails with ENOSPC after pinning
 *     exactly the limit;
 *   - pins are charged to the process (VmPin) against RLIMIT_MEMLOCK:
 *     without CAP_IPC_LOCK a pin past it fails with ENOMEM;
 *   - UNPIN and munmap return the pins and their charge;
 *   - more than max_async queued prefetches get EAGAIN.
 * Prints TAP lines.
 *
 * usage: pin-test DEVICE SYSFS_DIR
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/pseudoscopic.h>

#include "testlib.h"

#define NPAGES	2048	/* 8 MiB */
#define DEVMAX	1000	/* max_pinned_pages, set by the scenario */
#define LOCKMAX	256	/* RLIMIT_MEMLOCK in pages (1 MiB) */

static int fd;
static const char *sysdir;

static unsigned long long sysval(const char *name)
{
	char path[512];
	unsigned long long v = ~0ULL;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", sysdir, name);
	f = fopen(path, "r");
	if (!f || fscanf(f, "%llu", &v) != 1)
		fprintf(stderr, "pin-test: cannot read %s\n", path);
	if (f)
		fclose(f);
	return v;
}

/* VmPin of this process in kB. */
static long vmpin_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmPin: %ld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

static int mig(void *p, size_t pages, int dir, uint32_t flags, struct ps_migrate *m)
{
	*m = (struct ps_migrate){ .start = (uintptr_t)p, .length = pages * PG,
				  .direction = dir, .flags = flags };
	return ioctl(fd, PS_IOC_MIGRATE, m);
}

static int drop_cap_ipc_lock(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -1;
	d[CAP_IPC_LOCK / 32].effective &= ~(1U << (CAP_IPC_LOCK % 32));
	d[CAP_IPC_LOCK / 32].permitted &= ~(1U << (CAP_IPC_LOCK % 32));
	d[CAP_IPC_LOCK / 32].inheritable &= ~(1U << (CAP_IPC_LOCK % 32));
	return syscall(SYS_capset, &h, d);
}

static void test_device_limit(char *p)
{
	struct ps_migrate m;
	int ret, err;

	ret = mig(p, NPAGES, PS_TO_VRAM, PS_MIGRATE_PIN, &m);
	err = errno;
	ok(ret == -1 && err == ENOSPC && m.pinned == DEVMAX,
	   "pin of %d pages past max_pinned_pages=%d: ENOSPC after %llu pinned (ret %d, %s)",
	   NPAGES, DEVMAX, (unsigned long long)m.pinned, ret, strerror(err));
	ok(sysval("pinned_pages") == DEVMAX, "sysfs pinned_pages %llu", sysval("pinned_pages"));
	ok(vmpin_kb() == DEVMAX * 4, "charged to the process: VmPin %ld kB", vmpin_kb());
	ret = mig(p, NPAGES, PS_TO_VRAM, PS_MIGRATE_UNPIN, &m);
	ok(ret == 0 && m.pinned == DEVMAX && m.migrated == 0,
	   "UNPIN: %llu pages unpinned, %llu moved", (unsigned long long)m.pinned,
	   (unsigned long long)m.migrated);
	ok(sysval("pinned_pages") == 0 && vmpin_kb() == 0,
	   "after UNPIN: pinned_pages %llu, VmPin %ld kB", sysval("pinned_pages"), vmpin_kb());
}

static void test_rlimit(char *p)
{
	struct rlimit rl = { LOCKMAX * PG, LOCKMAX * PG };
	struct ps_migrate m;
	int ret, err;

	ok(setrlimit(RLIMIT_MEMLOCK, &rl) == 0 && drop_cap_ipc_lock() == 0,
	   "RLIMIT_MEMLOCK %d pages, CAP_IPC_LOCK dropped", LOCKMAX);
	/* The pages are in VRAM already: they are pinned in place. */
	ret = mig(p, 512, PS_TO_VRAM, PS_MIGRATE_PIN, &m);
	err = errno;
	ok(ret == -1 && err == ENOMEM && m.pinned == LOCKMAX,
	   "pin of 512 pages past RLIMIT_MEMLOCK: ENOMEM after %llu pinned (ret %d, %s)",
	   (unsigned long long)m.pinned, ret, strerror(err));
	ok(vmpin_kb() == LOCKMAX * 4 && sysval("pinned_pages") == LOCKMAX,
	   "VmPin %ld kB, pinned_pages %llu", vmpin_kb(), sysval("pinned_pages"));
	ret = mig(p, 512, PS_TO_VRAM, PS_MIGRATE_UNPIN, &m);
	ok(ret == 0 && m.pinned == LOCKMAX && vmpin_kb() == 0, "UNPIN returns the charge (VmPin %ld kB)",
	   vmpin_kb());
	ret = mig(p, 200, PS_TO_VRAM, PS_MIGRATE_PIN, &m);
	ok(ret == 0 && m.pinned == 200, "within the limit a pin works (%llu pinned)",
	   (unsigned long long)m.pinned);
	/* Freed pages give their pins back: munmap the pinned pages. */
	munmap(p, 200 * PG);
	ok(vmpin_kb() == 0 && sysval("pinned_pages") == 0,
	   "munmap of pinned pages: VmPin %ld kB, pinned_pages %llu", vmpin_kb(),
	   sysval("pinned_pages"));
}

static void test_async(void)
{
	const size_t n = 4096;	/* 16 MiB */
	char *q = anon(n, MAP_PRIVATE);
	struct ps_migrate m;
	int i, queued = 0, again = 0, other = 0, ret;
	struct timespec ts = { 0, 50 * 1000 * 1000 };

	madvise(q, n * PG, MADV_NOHUGEPAGE);
	fill(q, n, 22);
	ret = mig(q, n, PS_TO_VRAM, 0, &m);
	ok(ret == 0 && m.migrated == n, "%zu pages to VRAM for the prefetches", n);
	for (i = 0; i < 32; i++) {
		/* Each request covers a different eighth: all have work. */
		ret = mig(q + (i % 8) * (n / 8) * PG, n / 8, PS_TO_RAM, PS_MIGRATE_ASYNC, &m);
		if (!ret)
			queued++;
		else if (errno == EAGAIN)
			again++;
		else
			other++;
	}
	ok(queued >= 2 && again > 0 && other == 0,
	   "32 prefetches with max_async=2: %d queued, %d EAGAIN, %d other errors", queued,
	   again, other);
	for (i = 0; i < 600 && sysval("async_queued"); i++)
		nanosleep(&ts, NULL);
	ok(sysval("async_queued") == 0, "the queue drains (async_queued %llu)", sysval("async_queued"));
	ok(verify(q, n, 22) == 0, "prefetched data intact");
	munmap(q, n * PG);
}

int main(int argc, char **argv)
{
	char *p;

	if (argc != 3) {
		fprintf(stderr, "usage: pin-test DEVICE SYSFS_DIR\n");
		return 2;
	}
	sysdir = argv[2];
	fd = open(argv[1], O_RDWR);
	if (fd < 0) {
		perror(argv[1]);
		return 2;
	}
	p = anon(NPAGES, MAP_PRIVATE);
	madvise(p, NPAGES * PG, MADV_NOHUGEPAGE);
	fill(p, NPAGES, 21);
	test_device_limit(p);
	test_async();
	test_rlimit(p);
	ok(verify_at(p, 200, NPAGES - 200, 21) == 0, "pinned and unpinned data intact");
	printf("# pin-test: %d tests, %d failed\n", tests, failed);
	return failed ? 1 : 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * migrate-test: exercise /dev/pseudoscopicN from a process and verify every
 * byte.  Prints TAP lines on stdout.
 *
 * usage: migrate-test DEVICE all          the whole correctness suite
 *        migrate-test DEVICE cycles N [OFFSET]
 *                N migrate/fault cycles, no leak, on 16 pages that start
 *                OFFSET pages (0) into a 2 MiB page table of their own
 *        migrate-test DEVICE other DEVICE2   pages spread over two devices
 *        migrate-test DEVICE hold PAGES SEED
 *                migrate PAGES tagged pages to VRAM, print "# ready", wait
 *                for SIGUSR1 (the caller unbinds the device meanwhile), then
 *                verify every byte and print one TAP line
 *        migrate-test DEVICE churn PAGES SEED
 *                migrate PAGES tagged pages to VRAM and fault them back in a
 *                loop, printing "# ready" after two rounds, until MIGRATE
 *                fails (the caller unbinds the device meanwhile); then
 *                verify every byte
 *        migrate-test DEVICE evictable ROUNDS
 *                every resident page stays evictable: half of a 2 MiB
 *                window to VRAM, the rest of the pool filled, the whole
 *                window moved (its eviction meets the window's own locked
 *                pages), then a pool-sized buffer: no older page may stay
 *                in VRAM
 *        migrate-test DEVICE keep PAGES SEED
 *                leave PAGES tagged pages in VRAM and exit 0 with them still
 *                mapped (the caller ends the VM; the host then looks for the
 *                tags in the ivshmem backing file)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pthread.h>

#include <linux/pseudoscopic.h>

#include "testlib.h"

static int fd;

static int migrate(void *p, size_t pages, int dir, struct ps_migrate *out)
{
	struct ps_migrate m = { .start = (uintptr_t)p, .length = pages * PG,
				.direction = dir };
	int r = ioctl(fd, PS_IOC_MIGRATE, &m);

	if (out)
		*out = m;
	return r;
}

static int residency(void *p, size_t pages, uint64_t counts[PS_RES_NR_STATES])
{
	static uint8_t states[1 << 16];
	struct ps_residency r = { .start = (uintptr_t)p, .length = pages * PG,
				  .states = (uintptr_t)states };
	int ret = ioctl(fd, PS_IOC_RESIDENCY, &r);

	memcpy(counts, r.counts, sizeof(r.counts));
	return ret;
}

/* MIGRATE to VRAM moved every one of the @pages pages. */
static int to_vram_all(void *p, size_t pages)
{
	struct ps_migrate m = { 0 };

	return migrate(p, pages, PS_TO_VRAM, &m) == 0 && m.migrated == pages;
}

static uint64_t free_pages(void)
{
	struct ps_info info;

	return ioctl(fd, PS_IOC_INFO, &info) ? 0 : info.free_pages;
}

static void test_info(void)
{
	struct ps_info info;

	ok(ioctl(fd, PS_IOC_INFO, &info) == 0, "INFO succeeds");
	ok(info.version == PS_UAPI_VERSION && info.page_size == PG, "INFO version %u, page size %u",
	   info.version, info.page_size);
	ok(info.free_pages == info.pool_pages && info.pool_pages > 0,
	   "INFO: pool of %llu pages, all free", (unsigned long long)info.pool_pages);
}

static void test_roundtrip(void)
{
	int r;

	const size_t n = 1024;	/* 4 MiB: spans several PMD windows */
	char *p = anon(n, MAP_PRIVATE);
	uint64_t before = free_pages(), c[PS_RES_NR_STATES] = { 0 };
	struct ps_migrate m = { 0 };

	fill(p, n, 1);
	r = migrate(p, n, PS_TO_VRAM, &m);
	ok(r == 0 && m.migrated == n,
	   "MIGRATE to VRAM moves all %zu pages (moved %llu)", n, (unsigned long long)m.migrated);
	ok(free_pages() == before - n, "pool free count drops by %zu", n);
	r = residency(p, n, c);
	ok(r == 0 && c[PS_RES_DEVICE] == n, "RESIDENCY: %llu of %zu pages in VRAM",
	   (unsigned long long)c[PS_RES_DEVICE], n);
	r = migrate(p, n, PS_TO_VRAM, &m);
	ok(r == 0 && m.migrated == 0 && m.skipped_elsewhere == n,
	   "second MIGRATE to VRAM: nothing to do, %llu already there",
	   (unsigned long long)m.skipped_elsewhere);
	ok(verify(p, n, 1) == 0, "CPU reads fault every page back intact");
	r = residency(p, n, c);
	ok(r == 0 && c[PS_RES_RAM] == n, "RESIDENCY after faults: all in RAM");
	ok(free_pages() == before, "pool whole again after faults");

	/* Writes after a round trip, then prefetch back with MIGRATE to RAM. */
	fill(p, n, 2);
	r = migrate(p, n, PS_TO_VRAM, &m);
	ok(r == 0 && m.migrated == n, "MIGRATE to VRAM again");
	r = migrate(p, n, PS_TO_RAM, &m);
	ok(r == 0 && m.migrated == n, "MIGRATE to RAM (prefetch) moves %llu",
	   (unsigned long long)m.migrated);
	r = residency(p, n, c);
	ok(r == 0 && c[PS_RES_RAM] == n, "RESIDENCY after prefetch: all in RAM");
	ok(verify(p, n, 2) == 0, "prefetched data intact");
	munmap(p, n * PG);
}

static void test_partial_and_holes(void)
{
	int r;

	const size_t n = 64;
	char *p = anon(n, MAP_PRIVATE);
	struct ps_migrate m = { 0 };

	fill(p, n / 2, 3);	/* second half never touched */
	r = migrate(p, n, PS_TO_VRAM, &m);
	ok(r == 0 && m.migrated == n / 2 && m.skipped_absent == n / 2,
	   "unpopulated pages are skipped as absent (%llu moved, %llu absent)",
	   (unsigned long long)m.migrated, (unsigned long long)m.skipped_absent);
	p[(n - 1) * PG] = 7;	/* populate one more page */
	ok(verify(p, n / 2, 3) == 0 && p[(n - 1) * PG] == 7, "data intact");
	munmap(p, n * PG);
}

static void test_shared_unmovable(void)
{
	int r;

	const size_t n = 16;
	char *p = anon(n, MAP_SHARED);
	struct ps_migrate m = { 0 };

	fill(p, n, 4);
	r = migrate(p, n, PS_TO_VRAM, &m);
	ok(r == 0 && m.migrated == 0 && m.skipped_unmovable == n,
	   "MAP_SHARED pages are not moved and counted unmovable (%llu)",
	   (unsigned long long)m.skipped_unmovable);
	ok(verify(p, n, 4) == 0, "shared data intact");
	munmap(p, n * PG);
}

/* Child exit status bits of test_fork_cow(). */
#define CHILD_BAD_DATA		1	/* it read wrong data or lost its writes */
#define CHILD_NOT_IN_VRAM	2	/* its inherited pages were not in VRAM */

static void test_fork_cow(void)
{
	const size_t n = 128;
	char *p = anon(n, MAP_PRIVATE);
	uint64_t c[PS_RES_NR_STATES] = { 0 };
	int status, r;
	pid_t pid;

	fill(p, n, 5);
	ok(to_vram_all(p, n), "migrate before fork: all %zu pages moved", n);
	pid = fork();
	if (pid == 0) {
		/*
		 * Child: fork shared the parent's VRAM pages with it; it
		 * reads the parent's data (faulting them back), then writes
		 * its own copy.
		 */
		int bad = 0;

		if (residency(p, n, c) || c[PS_RES_DEVICE] != n)
			bad |= CHILD_NOT_IN_VRAM;
		if (verify(p, n, 5) != 0)
			bad |= CHILD_BAD_DATA;
		fill(p, n, 6);
		if (verify(p, n, 6) != 0)
			bad |= CHILD_BAD_DATA;
		_exit(bad);
	}
	r = waitpid(pid, &status, 0) == pid && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	ok(r >= 0 && !(r & CHILD_NOT_IN_VRAM), "the child inherits all %zu pages in VRAM", n);
	ok(r >= 0 && !(r & CHILD_BAD_DATA), "child reads parent data and writes its own");
	ok(verify(p, n, 5) == 0, "parent's data unchanged by the child's writes (COW)");
	munmap(p, n * PG);
}

static void test_munmap_and_exit(void)
{
	const size_t n = 256;
	uint64_t before = free_pages();
	char *p = anon(n, MAP_PRIVATE);
	int status;
	pid_t pid;

	fill(p, n, 7);
	ok(to_vram_all(p, n) && free_pages() == before - n, "%zu pages resident before munmap", n);
	munmap(p, n * PG);
	ok(free_pages() == before, "munmap of resident pages returns them to the pool");

	pid = fork();
	if (pid == 0) {
		char *q = anon(n, MAP_PRIVATE);

		fill(q, n, 8);
		_exit(!to_vram_all(q, n));	/* exit with pages resident */
	}
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0 && free_pages() == before,
	   "process exit with resident pages returns them to the pool");
}

static void test_mremap_mprotect(void)
{
	const size_t n = 64;
	char *p = anon(n, MAP_PRIVATE), *q;

	fill(p, n, 9);
	ok(to_vram_all(p, n / 2), "half of the range resident before mremap");
	q = mremap(p, n * PG, 2 * n * PG, MREMAP_MAYMOVE);
	ok(q != MAP_FAILED && verify(q, n, 9) == 0, "mremap of a half-resident range keeps the data");
	ok(to_vram_all(q, n), "all resident before mprotect");
	ok(mprotect(q, n * PG, PROT_READ) == 0 && verify(q, n, 9) == 0,
	   "read-only after mprotect: faults back intact");
	ok(to_vram_all(q, n), "all resident before MADV_DONTNEED");
	ok(madvise(q, n * PG, MADV_DONTNEED) == 0 && q[0] == 0 && q[(n - 1) * PG] == 0,
	   "MADV_DONTNEED drops resident pages (zero-filled again)");
	munmap(q, 2 * n * PG);

	/* MADV_PAGEOUT must not lose resident data. */
	p = anon(n, MAP_PRIVATE);
	fill(p, n, 12);
	ok(to_vram_all(p, n), "all resident before MADV_PAGEOUT");
	ok(madvise(p, n * PG, MADV_PAGEOUT) == 0 && verify(p, n, 12) == 0,
	   "MADV_PAGEOUT on resident pages keeps the data");
	/* MADV_FREE: each page reads back either its data or zeros. */
	ok(to_vram_all(p, n), "all resident before MADV_FREE");
	{
		size_t bad = 0;

		ok(madvise(p, n * PG, MADV_FREE) == 0, "MADV_FREE on resident pages");
		for (size_t i = 0; i < n; i++) {
			uint64_t w = ((uint64_t *)(p + i * PG))[1];

			bad += w != 0 && w != tag(12, i, 1);
		}
		ok(bad == 0, "after MADV_FREE every page holds its data or zeros (%zu bad)", bad);
	}
	munmap(p, n * PG);
}

static void test_bad_input(void)
{
	char *p = anon(4, MAP_PRIVATE);
	struct ps_migrate m = { .start = (uintptr_t)p, .length = PG, .direction = PS_TO_VRAM };
	struct ps_residency r = { .start = (uintptr_t)p, .length = PG };

	m.start++;
	ok(ioctl(fd, PS_IOC_MIGRATE, &m) == -1 && errno == EINVAL, "unaligned start: EINVAL");
	m.start--; m.length = 0;
	ok(ioctl(fd, PS_IOC_MIGRATE, &m) == -1 && errno == EINVAL, "zero length: EINVAL");
	m.length = PG; m.direction = 3;
	ok(ioctl(fd, PS_IOC_MIGRATE, &m) == -1 && errno == EINVAL, "bad direction: EINVAL");
	m.direction = PS_TO_VRAM; m.flags = 1U << 7;
	ok(ioctl(fd, PS_IOC_MIGRATE, &m) == -1 && errno == EINVAL, "unknown flag: EINVAL");
	m.flags = 0; m.reserved[3] = 1;
	ok(ioctl(fd, PS_IOC_MIGRATE, &m) == -1 && errno == EINVAL, "non-zero reserved: EINVAL");
	m.reserved[3] = 0; m.reserved32 = 1;
	ok(ioctl(fd, PS_IOC_MIGRATE, &m) == -1 && errno == EINVAL, "non-zero reserved32: EINVAL");
	m.reserved32 = 0; m.pidfd = 3;
	ok(ioctl(fd, PS_IOC_MIGRATE, &m) == -1 && errno == EINVAL, "pidfd without PS_MIGRATE_PIDFD: EINVAL");
	m.pidfd = 0; m.start = ~0ULL << 12; m.length = 1ULL << 20;
	ok(ioctl(fd, PS_IOC_MIGRATE, &m) == -1 && errno == EINVAL, "wrapping range: EINVAL");
	ok(ioctl(fd, PS_IOC_MIGRATE, (void *)8) == -1 && errno == EFAULT, "bad argument pointer: EFAULT");
	ok(ioctl(fd, PS_IOC_RESIDENCY, &r) == -1 && errno == EINVAL, "RESIDENCY without states: EINVAL");
	r.states = 8;
	ok(ioctl(fd, PS_IOC_RESIDENCY, &r) == -1 && errno == EFAULT, "RESIDENCY bad states pointer: EFAULT");
	r.flags = PS_RES_OFFSETS;
	ok(ioctl(fd, PS_IOC_RESIDENCY, &r) == -1 && errno == EINVAL, "RESIDENCY offsets flag without a pointer: EINVAL");
	r.flags = 1U << 9; r.offsets = 0;
	ok(ioctl(fd, PS_IOC_RESIDENCY, &r) == -1 && errno == EINVAL, "RESIDENCY unknown flag: EINVAL");
	r.flags = 0; r.reserved = 1;
	ok(ioctl(fd, PS_IOC_RESIDENCY, &r) == -1 && errno == EINVAL, "RESIDENCY non-zero reserved: EINVAL");
	r.reserved = 0; r.swapped = 1;
	ok(ioctl(fd, PS_IOC_RESIDENCY, &r) == -1 && errno == EINVAL, "RESIDENCY non-zero swapped (an output): EINVAL");
	r.swapped = 0;
	ok(ioctl(fd, _IO(PS_IOC_MAGIC, 0x7f)) == -1 && errno == ENOTTY, "unknown ioctl: ENOTTY");
	munmap(p, 4 * PG);
}

static uint64_t pool_pages(void)
{
	struct ps_info info;

	return ioctl(fd, PS_IOC_INFO, &info) ? 0 : info.pool_pages;
}

/* More data than the pool holds: older pages are evicted, pinned ones are
 * not, NO_EVICT skips instead, and the watermark worker restores headroom.
 */
static void test_pool_pressure(void)
{
	size_t pool = pool_pages(), pin = 512, big = pool + pool / 4;
	char *pinned = anon(pin, MAP_PRIVATE), *p = anon(big, MAP_PRIVATE), *q;
	uint64_t c[PS_RES_NR_STATES] = { 0 };
	struct ps_migrate m = { .start = (uintptr_t)pinned, .length = pin * PG,
				.direction = PS_TO_VRAM, .flags = PS_MIGRATE_PIN };
	int r;

	fill(pinned, pin, 20);
	/* The older half is resident and unpinned first: PIN must pin it in
	 * place, or it would be the first to go.
	 */
	ok(to_vram_all(pinned, pin / 2), "half of the pages to VRAM, unpinned");
	r = ioctl(fd, PS_IOC_MIGRATE, &m);
	ok(r == 0 && m.migrated == pin / 2 && m.skipped_elsewhere == pin / 2,
	   "PIN: %zu pages pinned in VRAM (%llu moved, %llu pinned in place)", pin,
	   (unsigned long long)m.migrated, (unsigned long long)m.skipped_elsewhere);
	fill(p, big, 21);
	r = migrate(p, big, PS_TO_VRAM, &m);
	ok(r == 0 && m.migrated == big, "%zu pages into a %zu-page pool: all moved (%llu), older ones evicted",
	   big, pool, (unsigned long long)m.migrated);
	r = residency(pinned, pin, c);
	ok(r == 0 && c[PS_RES_DEVICE] == pin, "pinned pages were never evicted (%llu of %zu still in VRAM)",
	   (unsigned long long)c[PS_RES_DEVICE], pin);
	ok(verify(p, big, 21) == 0 && verify(pinned, pin, 20) == 0, "all data intact after eviction");

	/* Fill the pool again, then ask for more without eviction. */
	r = migrate(p, big, PS_TO_VRAM, NULL);
	q = anon(256, MAP_PRIVATE);
	fill(q, 256, 22);
	usleep(300000);		/* let the watermark worker finish */
	m = (struct ps_migrate){ .start = (uintptr_t)p, .length = big * PG,
				 .direction = PS_TO_VRAM, .flags = PS_MIGRATE_NO_EVICT };
	r = ioctl(fd, PS_IOC_MIGRATE, &m);
	ok(r == 0 && m.skipped_no_space > 0,
	   "NO_EVICT on a full pool: %llu pages skipped for space, none evicted",
	   (unsigned long long)m.skipped_no_space);
	r = migrate(q, 256, PS_TO_VRAM, &m);	/* this one may evict */
	ok(r == 0 && m.migrated == 256, "a normal MIGRATE still gets room");
	usleep(500000);
	ok(free_pages() > 0, "watermark worker restored free pages (%llu)", (unsigned long long)free_pages());
	ok(verify(p, big, 21) == 0 && verify(q, 256, 22) == 0 && verify(pinned, pin, 20) == 0,
	   "data intact");
	munmap(q, 256 * PG);
	munmap(p, big * PG);
	munmap(pinned, pin * PG);
	ok(free_pages() == pool, "pool whole again");
}

/* PS_MIGRATE_ASYNC prefetch returns at once and the pages arrive. */
static void test_async_prefetch(void)
{
	const size_t n = 512;
	char *p = anon(n, MAP_PRIVATE);
	uint64_t c[PS_RES_NR_STATES] = { 0 };
	struct ps_migrate m = { .start = (uintptr_t)p, .length = n * PG,
				.direction = PS_TO_RAM, .flags = PS_MIGRATE_ASYNC };
	int r, i;

	fill(p, n, 30);
	r = to_vram_all(p, n) && residency(p, n, c) == 0 && c[PS_RES_DEVICE] == n;
	ok(r, "all %zu pages in VRAM before the prefetch (%llu)", n,
	   (unsigned long long)c[PS_RES_DEVICE]);
	r = ioctl(fd, PS_IOC_MIGRATE, &m);
	ok(r == 0 && m.migrated == 0, "ASYNC prefetch returns at once");
	for (i = 0; i < 100; i++) {
		residency(p, n, c);
		if (c[PS_RES_RAM] == n)
			break;
		usleep(20000);
	}
	ok(c[PS_RES_RAM] == n, "the prefetch brought all %zu pages to RAM (%llu)", n,
	   (unsigned long long)c[PS_RES_RAM]);
	ok(verify(p, n, 30) == 0, "prefetched data intact");
	m.direction = PS_TO_VRAM;
	ok(ioctl(fd, PS_IOC_MIGRATE, &m) == -1 && errno == EINVAL, "ASYNC with PS_TO_VRAM: EINVAL");
	m.direction = PS_TO_RAM;
	m.flags = PS_MIGRATE_PIN;
	ok(ioctl(fd, PS_IOC_MIGRATE, &m) == -1 && errno == EINVAL, "PIN with PS_TO_RAM: EINVAL");
	munmap(p, n * PG);
}

/*
 * @pages private pages that start @offset pages into a 2 MiB-aligned page
 * table, in a mapping of their own (PROT_NONE around them, so it merges with
 * nothing).  Fault-around never crosses a page table: where the pages sit
 * decides where windows are clipped, so tests that count windows say where.
 */
static char *anon_in_page_table(size_t pages, size_t offset)
{
	const uintptr_t pmd = 2UL << 20;
	char *r = mmap(NULL, 2 * pmd + pages * PG, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	char *p;

	if (r == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	p = (char *)(((uintptr_t)r + pmd - 1) & ~(pmd - 1)) + offset % (pmd / PG) * PG;
	if (mmap(p, pages * PG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != p) {
		perror("mmap");
		exit(2);
	}
	return p;
}

/* Small pages only: a THP would move as one 2 MiB folio. */
static char *anon_small(size_t pages)
{
	char *p = anon(pages, MAP_PRIVATE);

	madvise(p, pages * PG, MADV_NOHUGEPAGE);
	return p;
}

/* Pages of [p, p + pages) in this device's VRAM. */
static uint64_t in_vram(void *p, size_t pages)
{
	uint64_t c[PS_RES_NR_STATES] = { 0 };

	return residency(p, pages, c) ? ~0ULL : c[PS_RES_DEVICE];
}

/*
 * Eviction must never lose track of a resident page (issue 12, item 8).
 * The half of a 2 MiB window that went first is the oldest on the LRU, and
 * the request that moves the whole window holds those pages locked (it
 * collected them) when the full pool makes it evict: they cannot move
 * then, and must stay evictable.  A pool-sized buffer moved afterwards
 * needs every older page out of VRAM.
 */
static void test_evictable(int rounds)
{
	const size_t win = 512, half = win / 2;
	size_t pool = pool_pages(), fill_n = pool - half;
	int r, bad_fill = 0, bad_win = 0, bad_big = 0, bad_data = 0, bad_pool = 0;
	uint64_t left = 0;
	struct ps_migrate m = { 0 };

	for (int k = 0; k < rounds; k++) {
		char *w = anon_in_page_table(win, 0);
		char *b = anon_small(fill_n), *c = anon_small(pool);

		madvise(w, win * PG, MADV_NOHUGEPAGE);
		fill(w, win, 60 + k);
		fill(b, fill_n, 70 + k);
		fill(c, pool, 80 + k);
		bad_pool += free_pages() != pool;
		bad_fill += !to_vram_all(w, half);
		/*
		 * A page the other CPU faulted in a moment before can sit in
		 * its LRU batch, where migration cannot isolate it: the pool
		 * may end a few pages short of full.  Not asked again: a
		 * request below the low watermark starts the watermark worker,
		 * which would evict the first half before the test needs it.
		 */
		migrate(b, fill_n, PS_TO_VRAM, NULL);
		printf("# round %d: pool filled, %llu pages free\n", k,
		       (unsigned long long)free_pages());
		r = migrate(w, win, PS_TO_VRAM, &m);
		/*
		 * The watermark worker evicts concurrently: it may have moved
		 * some of the first half out (they move again) or hold one
		 * locked at that moment (skipped as unmovable).  Room for the
		 * second half there must be.
		 */
		bad_win += r || m.migrated < half || m.skipped_no_space;
		if (r || m.migrated < half || m.skipped_no_space)
			printf("# round %d: whole window: %d, %llu moved, %llu elsewhere, %llu unmovable, %llu no space\n",
			       k, r, (unsigned long long)m.migrated,
			       (unsigned long long)m.skipped_elsewhere,
			       (unsigned long long)m.skipped_unmovable,
			       (unsigned long long)m.skipped_no_space);
		r = migrate(c, pool, PS_TO_VRAM, &m);
		bad_big += r || m.migrated != pool;
		left += in_vram(w, win) + in_vram(b, fill_n);
		printf("# round %d: pool-sized buffer: %llu of %zu moved, %llu of the window and %llu of the filler still in VRAM\n",
		       k, (unsigned long long)m.migrated, pool,
		       (unsigned long long)in_vram(w, win),
		       (unsigned long long)in_vram(b, fill_n));
		bad_data += verify(w, win, 60 + k) != 0 ||
			    verify(b, fill_n, 70 + k) != 0 ||
			    verify(c, pool, 80 + k) != 0;
		munmap(w, win * PG);
		munmap(b, fill_n * PG);
		munmap(c, pool * PG);
	}
	ok(bad_pool == 0 && bad_fill == 0,
	   "%d rounds: half a 2 MiB window moved, then the rest of the %zu-page pool (%d bad)",
	   rounds, pool, bad_fill + bad_pool);
	ok(bad_win == 0, "the whole window then moves its other %zu pages, evicting older ones (%d bad rounds)",
	   half, bad_win);
	ok(bad_big == 0, "a pool-sized buffer then moves whole (%d bad rounds)", bad_big);
	ok(left == 0, "every older page was evictable: %llu left in VRAM behind it",
	   (unsigned long long)left);
	ok(bad_data == 0, "every byte intact (%d bad rounds)", bad_data);
	ok(free_pages() == pool, "pool whole again (%llu of %zu free)",
	   (unsigned long long)free_pages(), pool);
}

/* N migrate/fault cycles on a small range; the pool must end whole. */
static void test_cycles(long cycles, size_t offset)
{
	const size_t n = 16;
	uint64_t before = free_pages();
	char *p = anon_in_page_table(n, offset);
	long i, bad = 0, moved = 0;
	struct ps_migrate m = { 0 };

	for (i = 0; i < cycles; i++) {
		fill(p, n, 100 + i);
		if (migrate(p, n, PS_TO_VRAM, &m) == 0)
			moved += m.migrated;
		bad += verify(p, n, 100 + i) != 0;
	}
	ok(bad == 0 && moved == (long)n * cycles, "%ld migrate/fault cycles: %ld pages moved, %ld bad",
	   cycles, moved, bad);
	munmap(p, n * PG);
	ok(free_pages() == before, "pool back to %llu free pages after %ld cycles",
	   (unsigned long long)before, cycles);
}

/* Threads migrating and reading the same range at once. */
static char *shared_region;
#define SHARED_PAGES 256

static void *hammer(void *arg)
{
	long id = (long)arg, bad = 0;
	unsigned int r = id;

	for (int k = 0; k < 40; k++) {
		size_t first = rand_r(&r) % (SHARED_PAGES - 32);

		migrate(shared_region + first * PG, 32, (k & 3) == 3 ? PS_TO_RAM : PS_TO_VRAM, NULL);
		for (int j = 0; j < 8; j++) {
			size_t pg = rand_r(&r) % SHARED_PAGES;

			if (((uint64_t *)(shared_region + pg * PG))[5] != tag(11, pg, 5))
				bad++;
		}
	}
	return (void *)bad;
}

static void test_threads(int nthreads)
{
	pthread_t t[16];
	long bad = 0;
	uint64_t before = free_pages();

	shared_region = anon(SHARED_PAGES, MAP_PRIVATE);
	fill(shared_region, SHARED_PAGES, 11);
	for (long i = 0; i < nthreads; i++)
		pthread_create(&t[i], NULL, hammer, (void *)i);
	for (int i = 0; i < nthreads; i++) {
		void *ret;

		pthread_join(t[i], &ret);
		bad += (long)ret;
	}
	ok(bad == 0 && verify(shared_region, SHARED_PAGES, 11) == 0,
	   "%d threads with overlapping MIGRATE calls and reads: data intact", nthreads);
	munmap(shared_region, SHARED_PAGES * PG);
	ok(free_pages() == before, "pool whole after the threads");
}

/*
 * Migrate and fault back the same pages over and over until the device
 * goes away (the caller unbinds it meanwhile), so teardown's eviction races
 * with CPU faults holding pages; every byte must survive.
 */
static void test_churn(size_t n, uint64_t seed)
{
	char *p = anon(n, MAP_PRIVATE);
	unsigned long rounds = 0, stopped = 0;
	size_t bad = 0;
	int err = 0;

	fill(p, n, seed);
	for (;;) {
		if (migrate(p, n, PS_TO_VRAM, NULL)) {
			err = errno;
			/*
			 * The request the unbind stops between windows ends
			 * with EBUSY (uapi.md); the next one must see the
			 * device gone.  A few in a row at most.
			 */
			if (err == EBUSY && ++stopped < 100)
				continue;
			break;
		}
		bad += verify(p, n, seed);	/* faults every page back */
		if (++rounds == 2) {
			printf("# ready\n");
			fflush(stdout);
		}
	}
	ok(err == ENODEV, "churn: MIGRATE fails with ENODEV once the device is unbound (%s, after %lu rounds, %lu stopped with EBUSY)",
	   strerror(err), rounds, stopped);
	bad += verify(p, n, seed);
	ok(bad == 0 && rounds >= 2, "churn: every byte intact through %lu rounds and the unbind", rounds);
	munmap(p, n * PG);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: migrate-test DEVICE all | cycles N [OFFSET] | evictable ROUNDS | hold PAGES SEED | keep PAGES SEED\n");
		return 2;
	}
	fd = open(argv[1], O_RDWR);
	if (fd < 0) {
		perror(argv[1]);
		return 2;
	}
	if (!strcmp(argv[2], "other") && argc == 4) {
		/* Half a range on this device, half on another one. */
		const size_t n = 256;
		int fd1 = fd, fd2 = open(argv[3], O_RDWR);
		char *p = anon(n, MAP_PRIVATE);
		uint64_t c[PS_RES_NR_STATES] = { 0 };
		struct ps_migrate m = { 0 };
		int r;

		if (fd2 < 0) {
			perror(argv[3]);
			return 2;
		}
		fill(p, n, 40);
		r = migrate(p, n / 2, PS_TO_VRAM, &m);
		ok(r == 0 && m.migrated == n / 2, "first half to the first device");
		fd = fd2;
		r = migrate(p, n, PS_TO_VRAM, &m);
		ok(r == 0 && m.migrated == n / 2 && m.skipped_elsewhere == n / 2,
		   "second device moves the other half, counts %llu as elsewhere",
		   (unsigned long long)m.skipped_elsewhere);
		fd = fd1;
		r = residency(p, n, c);
		ok(r == 0 && c[PS_RES_DEVICE] == n / 2 && c[PS_RES_OTHER] == n / 2,
		   "RESIDENCY from the first device: %llu here, %llu on another device",
		   (unsigned long long)c[PS_RES_DEVICE], (unsigned long long)c[PS_RES_OTHER]);
		ok(verify(p, n, 40) == 0, "both halves fault back intact");
		return failed ? 1 : 0;
	}
	if (!strcmp(argv[2], "cycles") && (argc == 4 || argc == 5)) {
		test_cycles(strtol(argv[3], NULL, 0), argc == 5 ? strtoul(argv[4], NULL, 0) : 0);
		return failed ? 1 : 0;
	}
	if (!strcmp(argv[2], "hold") && argc == 5) {
		size_t n = strtoul(argv[3], NULL, 0);
		uint64_t seed = strtoull(argv[4], NULL, 0);
		char *p = anon(n, MAP_PRIVATE);
		sigset_t set;
		int sig;

		sigemptyset(&set);
		sigaddset(&set, SIGUSR1);
		sigprocmask(SIG_BLOCK, &set, NULL);
		fill(p, n, seed);
		ok(migrate(p, n, PS_TO_VRAM, NULL) == 0, "hold: %zu pages moved to VRAM", n);
		close(fd);	/* the pages stay; the module may now be unloaded */
		printf("# ready\n");
		fflush(stdout);
		sigwait(&set, &sig);
		ok(verify(p, n, seed) == 0, "hold: all %zu pages intact after the device went away", n);
		return failed ? 1 : 0;
	}
	if (!strcmp(argv[2], "evictable") && argc == 4) {
		test_evictable(strtol(argv[3], NULL, 0));
		return failed ? 1 : 0;
	}
	if (!strcmp(argv[2], "churn") && argc == 5) {
		test_churn(strtoul(argv[3], NULL, 0), strtoull(argv[4], NULL, 0));
		return failed ? 1 : 0;
	}
	if (!strcmp(argv[2], "keep") && argc == 5) {
		size_t n = strtoul(argv[3], NULL, 0);
		uint64_t seed = strtoull(argv[4], NULL, 0);
		char *p = anon(n, MAP_PRIVATE);
		struct ps_migrate m = { 0 };

		fill(p, n, seed);
		int r = migrate(p, n, PS_TO_VRAM, &m);
		ok(r == 0 && m.migrated == n, "%zu tagged pages left in VRAM", n);
		printf("# pool free after keep: %llu\n", (unsigned long long)free_pages());
		fflush(stdout);
		pause();	/* keep them mapped until the VM ends */
		return 0;
	}
	test_info();
	test_roundtrip();
	test_partial_and_holes();
	test_shared_unmovable();
	test_fork_cow();
	test_munmap_and_exit();
	test_mremap_mprotect();
	test_bad_input();
	test_threads(8);
	test_async_prefetch();
	test_pool_pressure();
	printf("# %d tests, %d failed\n", tests, failed);
	return failed ? 1 : 0;
}

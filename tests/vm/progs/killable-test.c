// SPDX-License-Identifier: GPL-2.0
/*
 * killable-test: a MIGRATE over a huge range must not hold everyone up.
 * The range is 64 TiB of MAP_NORESERVE anonymous memory, nearly all of it
 * never touched: walking it window by window takes minutes, so without
 * the driver's checks between windows the waits below would too.
 * Prints TAP on stdout.
 *
 * usage: killable-test DEVICE kill    a child migrates; SIGKILL reaps it
 *                                     within 5 s
 *        killable-test DEVICE mmap    while one thread migrates, another
 *                                     thread's mmap() and munmap() of the
 *                                     same process return within 5 s
 *        killable-test DEVICE busy    print "# migrating", then migrate
 *                                     until the device goes away (the
 *                                     scenario unbinds it): EBUSY, with
 *                                     the counters of what moved so far
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/pseudoscopic.h>

#include "testlib.h"

#define HUGE_LEN	(64ULL << 40)	/* 64 TiB */
#define BOUND_S		5.0

static int fd;
static char *huge;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int migrate_huge(struct ps_migrate *out)
{
	struct ps_migrate m = { .start = (uintptr_t)huge, .length = HUGE_LEN,
				.direction = PS_TO_VRAM };
	int r = ioctl(fd, PS_IOC_MIGRATE, &m);

	if (out)
		*out = m;
	return r;
}

static void *migrator(void *arg)
{
	(void)arg;
	migrate_huge(NULL);
	return NULL;
}

static void test_kill(void)
{
	pid_t pid = fork();
	double t0;
	int st;

	if (pid == 0) {
		migrate_huge(NULL);
		_exit(0);
	}
	usleep(500 * 1000);
	t0 = now();
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	ok(WIFSIGNALED(st) && now() - t0 < BOUND_S,
	   "kill -9 during a 64 TiB MIGRATE: reaped in %.2f s", now() - t0);
}

static void test_mmap(void)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		pthread_t t;
		double t0, dt;
		void *p;

		pthread_create(&t, NULL, migrator, NULL);
		usleep(500 * 1000);
		t0 = now();
		p = mmap(NULL, PG, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		dt = now() - t0;
		printf("# mmap during the MIGRATE took %.3f s\n", dt);
		fflush(stdout);
		_exit(p != MAP_FAILED && munmap(p, PG) == 0 && now() - t0 < BOUND_S ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "mmap and munmap by another thread during a 64 TiB MIGRATE return within %.0f s",
	   BOUND_S);
}

static void test_busy(void)
{
	struct ps_migrate m;
	int r;

	printf("# migrating\n");
	fflush(stdout);
	r = migrate_huge(&m);
	ok(r == -1 && errno == EBUSY,
	   "the MIGRATE stopped when the device went away: %s (%llu skipped as absent so far)",
	   r ? strerror(errno) : "completed", (unsigned long long)m.skipped_absent);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: killable-test DEVICE kill|mmap|busy\n");
		return 2;
	}
	fd = open(argv[1], O_RDWR);
	if (fd < 0) {
		perror(argv[1]);
		return 2;
	}
	huge = mmap(NULL, HUGE_LEN, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (huge == MAP_FAILED) {
		perror("mmap 64 TiB");
		return 2;
	}
	huge[0] = 1;	/* one page to move, the rest never touched */
	if (!strcmp(argv[2], "kill"))
		test_kill();
	else if (!strcmp(argv[2], "mmap"))
		test_mmap();
	else if (!strcmp(argv[2], "busy"))
		test_busy();
	else
		return 2;
	return failed ? 1 : 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * onepage-test: many threads fault on the same page in VRAM at once.
 *
 * usage: onepage-test DEVICE THREADS ROUNDS
 *
 * Each round moves one tagged page to VRAM, then releases THREADS threads
 * together to read all of it.  Every fault holds a reference on the device
 * page while it runs, so a driver whose migration gives up on the others'
 * references sends every thread back to fault again, over and over: a
 * livelock no kernel detector reports (each thread returns to user space
 * between faults).  A round that has not ended within STALL_SECONDS fails
 * the test with the round number; otherwise every byte must read right.
 * Prints TAP.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/pseudoscopic.h>

#include "testlib.h"

#define STALL_SECONDS 60
#define MAX_THREADS 256

static char *page;
static pthread_barrier_t start, done;
static volatile sig_atomic_t round_now;
static unsigned long bad_reads;
static pthread_mutex_t bad_lock = PTHREAD_MUTEX_INITIALIZER;
static long rounds;

static void stalled(int sig)
{
	char msg[128];
	int n;

	(void)sig;
	n = snprintf(msg, sizeof(msg),
		     "not ok %d - %ld rounds of concurrent faults on one page (stalled in round %d for %d s: livelock)\n",
		     tests + 1, rounds, (int)round_now, STALL_SECONDS);
	if (write(STDOUT_FILENO, msg, n) < 0)
		_exit(2);
	_exit(1);
}

static void *reader(void *arg)
{
	(void)arg;
	for (long r = 0; r < rounds; r++) {
		pthread_barrier_wait(&start);
		if (verify(page, 1, (uint64_t)r + 1)) {
			pthread_mutex_lock(&bad_lock);
			bad_reads++;
			pthread_mutex_unlock(&bad_lock);
		}
		pthread_barrier_wait(&done);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[MAX_THREADS];
	unsigned long not_moved = 0;
	struct timespec t0, t1;
	int fd, nthreads;

	if (argc != 4) {
		fprintf(stderr, "usage: onepage-test DEVICE THREADS ROUNDS\n");
		return 2;
	}
	fd = open(argv[1], O_RDWR);
	if (fd < 0) {
		perror(argv[1]);
		return 2;
	}
	nthreads = atoi(argv[2]);
	rounds = atol(argv[3]);
	if (nthreads < 1 || nthreads > MAX_THREADS || rounds < 1) {
		fprintf(stderr, "onepage-test: 1..%d threads, at least one round\n",
			MAX_THREADS);
		return 2;
	}
	page = anon(1, MAP_PRIVATE);
	pthread_barrier_init(&start, NULL, nthreads + 1);
	pthread_barrier_init(&done, NULL, nthreads + 1);
	for (int i = 0; i < nthreads; i++)
		pthread_create(&t[i], NULL, reader, NULL);
	signal(SIGALRM, stalled);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long r = 0; r < rounds; r++) {
		struct ps_migrate m = { .start = (uintptr_t)page, .length = PG,
					.direction = PS_TO_VRAM };

		fill(page, 1, (uint64_t)r + 1);
		if (ioctl(fd, PS_IOC_MIGRATE, &m) || m.migrated != 1)
			not_moved++;
		round_now = (int)r;
		alarm(STALL_SECONDS);
		pthread_barrier_wait(&start);
		pthread_barrier_wait(&done);
		alarm(0);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	for (int i = 0; i < nthreads; i++)
		pthread_join(t[i], NULL);
	printf("# %ld rounds of %d threads in %.1f s\n", rounds, nthreads,
	       (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	ok(1, "%ld rounds of concurrent faults on one page, none stalled for %d s",
	   rounds, STALL_SECONDS);
	ok(not_moved == 0, "the page was in VRAM at the start of every round (%lu rounds it was not)",
	   not_moved);
	ok(bad_reads == 0, "every thread read the right bytes in every round (%lu bad reads)",
	   bad_reads);
	printf("1..%d\n", tests);
	return failed ? 1 : 0;
}

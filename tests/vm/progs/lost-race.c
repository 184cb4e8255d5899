// SPDX-License-Identifier: GPL-2.0
/*
 * lost-race: threads keep moving tagged 2 MiB buffers to VRAM and reading
 * them back (CPU faults, fault-around windows of up to 512 pages) while the
 * caller marks the device lost and unbinds it.  Every page must end either
 * intact or raising SIGBUS: never all ones (what a vanished device reads
 * as), never anything else.  Prints TAP on stdout.
 *
 * usage: lost-race DEVICE THREADS PAGES SEED
 *   Each thread owns PAGES pages (2 MiB aligned; odd threads without THP).
 *   "# ready" is printed once every thread has done one round; the threads
 *   stop when MIGRATE fails (device lost or gone) after one last read of
 *   every page, or after 120 s.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
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

enum { P_INTACT, P_SIGBUS, P_ONES, P_OTHER };

struct worker {
	pthread_t thread;
	unsigned int id;
	char *p;
	size_t n;
	uint64_t seed;
	unsigned char *state;
	unsigned long rounds;
	int migrate_errno;
	int timed_out;
};

static int fd;
static unsigned int nthreads, started;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static __thread sigjmp_buf jump;

static void on_sigbus(int sig)
{
	(void)sig;
	siglongjmp(jump, 1);
}

/* Read page @i whole; a page once bad or SIGBUS stays so. */
static void touch(struct worker *w, size_t i)
{
	const volatile uint64_t *q = (const volatile uint64_t *)(w->p + i * PG);

	if (w->state[i] != P_INTACT)
		return;
	if (sigsetjmp(jump, 1)) {
		w->state[i] = P_SIGBUS;
		return;
	}
	for (size_t k = 0; k < PG / 8; k++) {
		uint64_t v = q[k];

		if (v != tag(w->seed, i, k)) {
			w->state[i] = v == ~0ULL ? P_ONES : P_OTHER;
			return;
		}
	}
}

static void *run(void *arg)
{
	struct worker *w = arg;
	time_t deadline = time(NULL) + 120;

	for (;;) {
		struct ps_migrate m = {
			.start = (uintptr_t)w->p, .length = w->n * PG,
			.direction = PS_TO_VRAM,
		};
		int stop = ioctl(fd, PS_IOC_MIGRATE, &m) != 0;

		if (stop)
			w->migrate_errno = errno;
		for (size_t i = 0; i < w->n; i++)
			touch(w, i);
		if (!w->rounds++) {
			pthread_mutex_lock(&lock);
			if (++started == nthreads) {
				printf("# ready\n");
				fflush(stdout);
			}
			pthread_mutex_unlock(&lock);
		}
		if (stop)
			break;
		if (time(NULL) > deadline) {
			w->timed_out = 1;
			break;
		}
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct sigaction bus = { .sa_handler = on_sigbus,
				 .sa_flags = SA_NODEFER };
	size_t count[4] = { 0 }, pages;
	unsigned long rounds = 0;
	struct worker *ws;
	int timed_out = 0, errs = 0;
	uint64_t seed;

	if (argc != 5) {
		fprintf(stderr, "usage: lost-race DEVICE THREADS PAGES SEED\n");
		return 2;
	}
	nthreads = strtoul(argv[2], NULL, 0);
	pages = strtoul(argv[3], NULL, 0);
	seed = strtoull(argv[4], NULL, 0);
	fd = open(argv[1], O_RDWR);
	if (fd < 0 || !nthreads || !pages) {
		perror(argv[1]);
		return 2;
	}
	sigaction(SIGBUS, &bus, NULL);
	ws = calloc(nthreads, sizeof(*ws));
	for (unsigned int t = 0; t < nthreads; t++) {
		struct worker *w = &ws[t];
		/* 2 MiB aligned, so that a THP can back it. */
		char *raw = anon(pages + 512, MAP_PRIVATE);

		w->p = (char *)(((uintptr_t)raw + (2UL << 20) - 1) &
				~((2UL << 20) - 1));
		madvise(w->p, pages * PG,
			t & 1 ? MADV_NOHUGEPAGE : MADV_HUGEPAGE);
		w->id = t;
		w->n = pages;
		w->seed = seed * 1000 + t;
		w->state = calloc(pages, 1);
		fill(w->p, pages, w->seed);
	}
	for (unsigned int t = 0; t < nthreads; t++)
		pthread_create(&ws[t].thread, NULL, run, &ws[t]);
	for (unsigned int t = 0; t < nthreads; t++) {
		struct worker *w = &ws[t];

		pthread_join(w->thread, NULL);
		for (size_t i = 0; i < w->n; i++)
			count[w->state[i]]++;
		rounds += w->rounds;
		timed_out |= w->timed_out;
		errs += w->migrate_errno == EIO || w->migrate_errno == ENODEV;
	}
	ok(!timed_out && errs == (int)nthreads,
	   "every thread stopped on EIO or ENODEV from MIGRATE (%lu rounds)",
	   rounds);
	ok(count[P_ONES] == 0 && count[P_OTHER] == 0,
	   "every page intact or SIGBUS: %zu intact, %zu SIGBUS, %zu all ones, %zu other data",
	   count[P_INTACT], count[P_SIGBUS], count[P_ONES], count[P_OTHER]);
	printf("# %d tests, %d failed\n", tests, failed);
	return failed ? 1 : 0;
}

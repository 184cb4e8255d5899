// SPDX-License-Identifier: GPL-2.0
/*
 * pidfd-test: MIGRATE and RESIDENCY on another process through a pidfd,
 * the rights that takes, and per-page BAR offsets.  Prints TAP on stdout.
 *
 * usage: pidfd-test DEVICE all          the suite (run as root)
 *        pidfd-test DEVICE yama         Yama's ptrace_scope 2 and then 3
 *                (3 cannot be undone: run it last in a VM)
 *        pidfd-test DEVICE keep PAGES SEED
 *                fill PAGES tagged pages, move them to VRAM from a second
 *                process through a pidfd, print "# offset PAGE BAR-OFFSET"
 *                for each (RESIDENCY with PS_RES_OFFSETS), then keep them
 *                mapped until the VM ends (the host checks each page at its
 *                offset in the ivshmem backing file)
 *
 * Targets are children that hold tagged memory and wait on a pipe; the
 * checks that need an unprivileged caller run in a child that dropped to
 * uid/gid 1000 (it keeps the already open device file).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <grp.h>
#include <unistd.h>

#include <linux/pseudoscopic.h>

#include "testlib.h"

static int fd;

/* A child holding PAGES tagged pages at *addr until told to verify them. */
struct target {
	pid_t pid;
	int pidfd;
	int go;			/* write end: a byte makes it verify and exit */
	uint64_t addr;
};

static int pidfd_open(pid_t pid)
{
	return syscall(SYS_pidfd_open, pid, 0);
}

#define SPAWN_NODUMP	1	/* prctl(PR_SET_DUMPABLE, 0) */
#define SPAWN_UID1000	2	/* drop to uid/gid 1000 first */

/*
 * Start a target.  It exits 0 if every byte is intact when told to verify,
 * 3 if not.
 */
static struct target spawn(size_t pages, uint64_t seed, int how)
{
	struct target t;
	int up[2], down[2];

	if (pipe(up) || pipe(down))
		exit(2);
	t.pid = fork();
	if (t.pid == 0) {
		char *p = anon(pages, MAP_PRIVATE);
		uint64_t a = (uintptr_t)p;
		char c;

		if ((how & SPAWN_UID1000) &&
		    (setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000)))
			_exit(2);
		/*
		 * Changing credentials (here or in an ancestor) clears
		 * dumpability until the next exec; a target that did not ask
		 * for SPAWN_NODUMP looks like a freshly exec'd program.
		 */
		prctl(PR_SET_DUMPABLE, !(how & SPAWN_NODUMP));
		fill(p, pages, seed);
		if (write(up[1], &a, sizeof(a)) != sizeof(a) ||
		    read(down[0], &c, 1) != 1)
			_exit(2);
		_exit(verify(p, pages, seed) ? 3 : 0);
	}
	close(up[1]);
	close(down[0]);
	if (read(up[0], &t.addr, sizeof(t.addr)) != sizeof(t.addr))
		exit(2);
	close(up[0]);
	t.go = down[1];
	t.pidfd = pidfd_open(t.pid);
	return t;
}

/* Tell the target to verify; its exit status (0: data intact). */
static int finish(struct target *t)
{
	int st;

	if (write(t->go, "v", 1) != 1 || waitpid(t->pid, &st, 0) != t->pid)
		return -1;
	close(t->go);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int migrate_pidfd(int pidfd, uint64_t addr, size_t pages, int dir,
			 struct ps_migrate *out)
{
	struct ps_migrate m = { .start = addr, .length = pages * PG,
				.direction = dir, .flags = PS_MIGRATE_PIDFD,
				.pidfd = pidfd };
	int r = ioctl(fd, PS_IOC_MIGRATE, &m);

	if (out)
		*out = m;
	return r;
}

static int residency_pidfd(int pidfd, uint64_t addr, size_t pages,
			   uint64_t *offsets, struct ps_residency *out)
{
	static uint8_t states[1 << 16];
	struct ps_residency r = { .start = addr, .length = pages * PG,
				  .states = (uintptr_t)states,
				  .flags = PS_RES_PIDFD, .pidfd = pidfd };
	int ret;

	if (offsets) {
		r.flags |= PS_RES_OFFSETS;
		r.offsets = (uintptr_t)offsets;
	}
	ret = ioctl(fd, PS_IOC_RESIDENCY, &r);
	if (out)
		*out = r;
	return ret;
}

static void test_root(void)
{
	const size_t n = 64, extra = 4;
	struct target t = spawn(n + extra, 31, 0);
	struct ps_migrate m = { 0 };
	struct ps_residency r = { 0 };
	struct ps_info info = { 0 };
	uint64_t off[64 + 4];
	size_t bad = 0;
	int ret;

	ok(t.pidfd >= 0, "pidfd_open of a child");
	ret = migrate_pidfd(t.pidfd, t.addr, n, PS_TO_VRAM, &m);
	ok(ret == 0 && m.migrated == n,
	   "MIGRATE through a pidfd moves the child's %zu pages (%llu)", n,
	   (unsigned long long)m.migrated);
	ret = residency_pidfd(t.pidfd, t.addr, n + extra, NULL, &r);
	ok(ret == 0 && r.counts[PS_RES_DEVICE] == n && r.counts[PS_RES_RAM] == extra,
	   "RESIDENCY through the pidfd: %llu in VRAM, %llu in RAM",
	   (unsigned long long)r.counts[PS_RES_DEVICE],
	   (unsigned long long)r.counts[PS_RES_RAM]);

	ioctl(fd, PS_IOC_INFO, &info);
	memset(off, 0, sizeof(off));
	ok(residency_pidfd(t.pidfd, t.addr, n + extra, off, NULL) == 0,
	   "RESIDENCY with PS_RES_OFFSETS");
	for (size_t i = 0; i < n; i++) {
		bad += off[i] % PG || off[i] < info.pool_offset ||
		       off[i] >= info.pool_offset + info.pool_pages * PG;
		for (size_t j = 0; j < i; j++)
			bad += off[i] == off[j];
	}
	for (size_t i = n; i < n + extra; i++)
		bad += off[i] != PS_RES_NO_OFFSET;
	ok(bad == 0, "offsets: distinct, page aligned, inside the pool; RAM pages have none (%zu bad)",
	   bad);

	{
		uint8_t st[4];
		struct ps_residency own = { .start = t.addr, .length = 4 * PG,
					    .states = (uintptr_t)st };

		ok(ioctl(fd, PS_IOC_RESIDENCY, &own) == 0 &&
		   own.counts[PS_RES_DEVICE] == 0,
		   "without the pidfd flag RESIDENCY looks at the caller, not the child");
	}
	ret = migrate_pidfd(t.pidfd, t.addr, n / 2, PS_TO_RAM, &m);
	ok(ret == 0 && m.migrated == n / 2, "MIGRATE to RAM through the pidfd (%llu)",
	   (unsigned long long)m.migrated);
	ok(finish(&t) == 0, "the child finds every byte intact");

	ok(migrate_pidfd(t.pidfd, t.addr, n, PS_TO_VRAM, NULL) == -1 && errno == ESRCH,
	   "a pidfd of an exited process: ESRCH");
	close(t.pidfd);

	{
		int nul = open("/dev/null", O_RDONLY);

		ok(migrate_pidfd(nul, t.addr, n, PS_TO_VRAM, NULL) == -1 && errno == EBADF,
		   "a file that is not a pidfd: EBADF");
		ok(migrate_pidfd(1000, t.addr, n, PS_TO_VRAM, NULL) == -1 && errno == EBADF,
		   "a closed descriptor: EBADF");
		close(nul);
	}
}

/*
 * In a child running as uid/gid 1000: the ptrace rules.  Returns a bit per
 * failed check, so the parent can report each.
 */
#define UNPRIV_CHECKS 5
static const char *const unpriv_names[UNPRIV_CHECKS] = {
	"unprivileged: even its own child (same uid, dumpable): EPERM (a module cannot ask the LSMs, so only CAP_SYS_PTRACE reaches another process)",
	"unprivileged: a root process: EPERM",
	"unprivileged: a same-uid process that is not its descendant: EPERM",
	"unprivileged: a non-dumpable child: EPERM",
	"unprivileged: PS_RES_OFFSETS needs CAP_SYS_ADMIN: EPERM",
};

static int unprivileged(pid_t root_pid, struct target *sibling)
{
	int root_fd = pidfd_open(root_pid);
	struct target own, nodump;
	struct ps_migrate m = { 0 };
	uint64_t off[8];
	int fails = 0;

	if (setgroups(0, NULL) || setresgid(1000, 1000, 1000) ||
	    setresuid(1000, 1000, 1000))
		return 0xff;
	own = spawn(8, 5, 0);
	nodump = spawn(8, 6, SPAWN_NODUMP);
	if (migrate_pidfd(own.pidfd, own.addr, 8, PS_TO_VRAM, &m) != -1 ||
	    errno != EPERM)
		fails |= 1 << 0;
	if (migrate_pidfd(root_fd, own.addr, 8, PS_TO_VRAM, NULL) != -1 || errno != EPERM)
		fails |= 1 << 1;
	if (migrate_pidfd(sibling->pidfd, sibling->addr, 8, PS_TO_VRAM, NULL) != -1 ||
	    errno != EPERM)
		fails |= 1 << 2;
	if (migrate_pidfd(nodump.pidfd, nodump.addr, 8, PS_TO_VRAM, NULL) != -1 ||
	    errno != EPERM)
		fails |= 1 << 3;
	if (residency_pidfd(own.pidfd, own.addr, 8, off, NULL) != -1 || errno != EPERM)
		fails |= 1 << 4;
	if (finish(&own) || finish(&nodump))
		fails |= 1 << 0;
	return fails;
}

static void test_unprivileged(void)
{
	/* A uid 1000 process that is not below the unprivileged caller. */
	struct target sibling = spawn(8, 7, SPAWN_UID1000);
	pid_t root_pid = getpid(), pid;
	int st = 0;

	pid = fork();
	if (pid == 0)
		_exit(unprivileged(root_pid, &sibling));
	waitpid(pid, &st, 0);
	ok(WIFEXITED(st) && WEXITSTATUS(st) != 0xff, "a child drops to uid 1000");
	for (int i = 0; i < UNPRIV_CHECKS; i++)
		ok(WIFEXITED(st) && !(WEXITSTATUS(st) & (1 << i)), "%s", unpriv_names[i]);
	ok(finish(&sibling) == 0, "the untouched same-uid process still has its data");
	close(sibling.pidfd);
}

static int keep(size_t n, uint64_t seed)
{
	struct target t = spawn(n, seed, 0);
	static uint64_t off[1 << 16];
	struct ps_migrate m = { 0 };

	int ret = migrate_pidfd(t.pidfd, t.addr, n, PS_TO_VRAM, &m);

	ok(ret == 0 && m.migrated == n,
	   "keep: %zu tagged pages moved to VRAM through a pidfd", n);
	ok(residency_pidfd(t.pidfd, t.addr, n, off, NULL) == 0, "keep: offsets read");
	for (size_t i = 0; i < n; i++)
		printf("# offset %zu %#llx\n", i, (unsigned long long)off[i]);
	printf("# keep ready\n");
	fflush(stdout);
	pause();	/* the target stays mapped until the VM ends */
	return 0;
}

static int write_scope(int scope)
{
	FILE *f = fopen("/proc/sys/kernel/yama/ptrace_scope", "w");
	int ok_ = f && fprintf(f, "%d\n", scope) > 0;

	return (f && fclose(f) == 0 && ok_) ? 0 : -1;
}

/* An unprivileged parent on its child, in a child of ours; 0: refused. */
static int unprivileged_on_child(void)
{
	pid_t pid = fork();
	int st = 0;

	if (pid == 0) {
		struct target own;
		int r;

		if (setgroups(0, NULL) || setresgid(1000, 1000, 1000) ||
		    setresuid(1000, 1000, 1000))
			_exit(2);
		own = spawn(8, 9, 0);
		r = migrate_pidfd(own.pidfd, own.addr, 8, PS_TO_VRAM, NULL);
		finish(&own);
		_exit(r == -1 && errno == EPERM ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

/* Yama's ptrace_scope 2 (admin only), then 3 (no attach, irreversible). */
static void test_yama(void)
{
	struct target t = spawn(8, 10, 0);
	struct ps_migrate m = { 0 };

	ok(write_scope(2) == 0, "yama: ptrace_scope set to 2 (admin-only attach)");
	ok(migrate_pidfd(t.pidfd, t.addr, 8, PS_TO_VRAM, &m) == 0 && m.migrated == 8,
	   "yama 2: root (CAP_SYS_PTRACE) migrates a child through its pidfd");
	ok(unprivileged_on_child() == 0, "yama 2: an unprivileged parent is refused on its child (EPERM)");
	ok(write_scope(3) == 0, "yama: ptrace_scope set to 3 (no attach)");
	ok(migrate_pidfd(t.pidfd, t.addr, 8, PS_TO_RAM, NULL) == -1 && errno == EPERM,
	   "yama 3: even root is refused (EPERM)");
	ok(finish(&t) == 0, "yama: the child's data is intact");
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: pidfd-test DEVICE all | yama | keep PAGES SEED\n");
		return 2;
	}
	fd = open(argv[1], O_RDWR);
	if (fd < 0) {
		perror(argv[1]);
		return 2;
	}
	if (!strcmp(argv[2], "keep") && argc == 5)
		return keep(strtoul(argv[3], NULL, 0), strtoull(argv[4], NULL, 0));
	if (!strcmp(argv[2], "yama")) {
		test_yama();
		printf("# %d tests, %d failed\n", tests, failed);
		return failed ? 1 : 0;
	}
	test_root();
	test_unprivileged();
	printf("# %d tests, %d failed\n", tests, failed);
	return failed ? 1 : 0;
}

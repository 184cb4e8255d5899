// SPDX-License-Identifier: GPL-2.0
/*
 * run-as: run a command as another user and group id, without
 * supplementary groups (the test initramfs has no /etc/passwd for su).
 *
 * usage: run-as UID COMMAND [ARGS...]     (gid = uid)
 */
#define _GNU_SOURCE
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	uid_t id;

	if (argc < 3) {
		fprintf(stderr, "usage: run-as UID COMMAND [ARGS...]\n");
		return 2;
	}
	id = (uid_t)strtoul(argv[1], NULL, 0);
	if (setgroups(0, NULL) || setgid(id) || setuid(id)) {
		perror("run-as");
		return 2;
	}
	execvp(argv[2], argv + 2);
	perror(argv[2]);
	return 127;
}

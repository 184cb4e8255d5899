// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A C program using libpseudoscopic: it fills 8 MiB of its own memory,
 * moves it to VRAM, asks where the pages are, reads every byte back (the
 * CPU faults them home) and asks again.  Built by `make tools` and run in
 * the VM tests (scenario c-api); a starting point for programs of others.
 *
 *	cc move_self.c $(pkg-config --cflags --libs pseudoscopic)
 *	./move_self [/dev/pseudoscopicN]
 */
#define _GNU_SOURCE /* MAP_ANONYMOUS */
#include <errno.h>
#include <pseudoscopic/pseudoscopic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define LENGTH (8UL << 20)

static int fail(const char *what, int err)
{
	fprintf(stderr, "move_self: %s: %s\n", what, strerror(err));
	return 1;
}

int main(int argc, char **argv)
{
	struct ps_move_result moved;
	struct ps_where_counts where;
	struct ps_info info;
	struct ps_dev *dev;
	unsigned char *buf;
	size_t i;
	int rc;

	printf("libpseudoscopic %s, %d device(s) bound\n", ps_lib_version(), ps_device_count());
	dev = ps_dev_open(argc > 1 ? argv[1] : NULL);
	if (!dev)
		return fail("open", errno);
	rc = ps_dev_info(dev, &info);
	if (rc)
		return fail("info", -rc);
	printf("%s: uapi %u, %llu pages of %u bytes in the pool\n", ps_dev_path(dev), info.version,
	       (unsigned long long)info.pool_pages, info.page_size);

	buf = mmap(NULL, LENGTH, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		return fail("mmap", errno);
	for (i = 0; i < LENGTH; i++)
		buf[i] = (unsigned char)(i * 131 + i / 4096);

	rc = ps_move(dev, -1, (uintptr_t)buf, LENGTH, PS_TO_VRAM, 0, &moved);
	if (rc)
		return fail("move to VRAM", -rc);
	printf("moved %llu of %llu pages to VRAM\n", (unsigned long long)moved.migrated,
	       (unsigned long long)moved.requested);
	rc = ps_where(dev, -1, 0, (uintptr_t)buf, LENGTH, &where);
	if (rc)
		return fail("where", -rc);
	printf("in VRAM %llu, in RAM %llu, absent %llu\n", (unsigned long long)where.vram,
	       (unsigned long long)where.ram, (unsigned long long)where.absent);

	for (i = 0; i < LENGTH; i++) {
		if (buf[i] != (unsigned char)(i * 131 + i / 4096)) {
			fprintf(stderr, "move_self: byte %zu differs after the round trip\n", i);
			return 1;
		}
	}
	rc = ps_where(dev, -1, 0, (uintptr_t)buf, LENGTH, &where);
	if (rc)
		return fail("where", -rc);
	printf("after reading every byte: in VRAM %llu, in RAM %llu\n", (unsigned long long)where.vram,
	       (unsigned long long)where.ram);
	rc = ps_move(dev, -1, (uintptr_t)buf + 1, 4096, PS_TO_VRAM, 0, NULL);
	printf("unaligned start: %s\n", rc == -EINVAL ? "EINVAL" : strerror(-rc));
	munmap(buf, LENGTH);
	ps_dev_close(dev);
	return 0;
}

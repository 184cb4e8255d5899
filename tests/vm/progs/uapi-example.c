// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The example from Documentation/uapi.md: move a buffer to VRAM, look at
 * where it is, touch it (which brings it back), and check it page by page.
 * Exits 0 only if every page went to VRAM and came back intact.
 * Build: cc -I include/uapi -o uapi-example tests/vm/progs/uapi-example.c
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/pseudoscopic.h>

/*
 * What word @w of page @page holds: the page number in the upper half and
 * the word number in the lower one (mixed with 0x5a bytes), so no two pages
 * are alike and a page that comes back from the wrong place, stale or
 * zeroed, does not pass.
 */
static uint64_t pattern(size_t page, size_t w)
{
	return ((uint64_t)page << 32 | w) ^ 0x5a5a5a5a5a5a5a5aULL;
}

int main(int argc, char **argv)
{
	const char *node = argc > 1 ? argv[1] : "/dev/pseudoscopic0";
	size_t len = 64 << 20, pages = len / 4096, words = 4096 / 8, bad = 0;
	static uint8_t state[(64 << 20) / 4096];
	struct ps_migrate mig = { 0 };
	struct ps_residency res = { 0 };
	uint64_t *buf;
	int fd;

	fd = open(node, O_RDWR);
	if (fd < 0) {
		perror(node);
		return 1;
	}
	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		return 1;
	for (size_t p = 0; p < pages; p++)	/* populate it */
		for (size_t w = 0; w < words; w++)
			buf[p * words + w] = pattern(p, w);

	mig.start = (uintptr_t)buf;
	mig.length = len;
	mig.direction = PS_TO_VRAM;
	if (ioctl(fd, PS_IOC_MIGRATE, &mig)) {
		perror("PS_IOC_MIGRATE");
		return 1;
	}
	printf("moved %llu of %zu pages to VRAM (%llu absent, %llu unmovable, %llu no space)\n",
	       (unsigned long long)mig.migrated, pages,
	       (unsigned long long)mig.skipped_absent,
	       (unsigned long long)mig.skipped_unmovable,
	       (unsigned long long)mig.skipped_no_space);

	res.start = (uintptr_t)buf;
	res.length = len;
	res.states = (uintptr_t)state;
	if (ioctl(fd, PS_IOC_RESIDENCY, &res)) {
		perror("PS_IOC_RESIDENCY");
		return 1;
	}
	printf("in VRAM: %llu pages, in RAM: %llu pages\n",
	       (unsigned long long)res.counts[PS_RES_DEVICE],
	       (unsigned long long)res.counts[PS_RES_RAM]);

	/* An ordinary read faults each page back to RAM. */
	for (size_t p = 0; p < pages; p++)
		for (size_t w = 0; w < words; w++)
			if (buf[p * words + w] != pattern(p, w)) {
				if (bad++ < 4)
					printf("page %zu is wrong at byte %zu\n", p, w * 8);
				break;
			}
	printf("%zu of %zu pages intact after the round trip\n", pages - bad, pages);
	return mig.migrated != pages || bad;
}

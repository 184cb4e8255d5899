// SPDX-License-Identifier: GPL-2.0
/*
 * vram-poke: write or verify a deterministic pattern in a PCI BAR through
 * its sysfs resource file, so a host-side check can read the ivshmem backing
 * file and prove the data reached "VRAM".
 *
 * usage: vram-poke write|verify RESOURCE_FILE OFFSET LENGTH SEED
 *
 * The pattern is the one tests/vm/vram-peek.py computes: 64-bit words
 * w[i] = splitmix64(SEED + (OFFSET / 8) + i), little endian.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static uint64_t splitmix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

int main(int argc, char **argv)
{
	uint64_t off, len, seed, i, bad = 0;
	volatile uint64_t *p;
	void *map;
	int fd, write_mode;

	if (argc != 6 || (strcmp(argv[1], "write") && strcmp(argv[1], "verify"))) {
		fprintf(stderr, "usage: vram-poke write|verify RESOURCE OFFSET LENGTH SEED\n");
		return 2;
	}
	write_mode = !strcmp(argv[1], "write");
	off = strtoull(argv[3], NULL, 0);
	len = strtoull(argv[4], NULL, 0);
	seed = strtoull(argv[5], NULL, 0);
	if (off % 4096 || len % 8 || !len) {
		fprintf(stderr, "vram-poke: OFFSET must be page aligned, LENGTH a non-zero multiple of 8\n");
		return 2;
	}
	fd = open(argv[2], O_RDWR | O_SYNC);
	if (fd < 0) {
		perror(argv[2]);
		return 1;
	}
	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)off);
	if (map == MAP_FAILED) {
		perror("vram-poke: mmap");
		return 1;
	}
	p = map;
	for (i = 0; i < len / 8; i++) {
		uint64_t want = splitmix64(seed + off / 8 + i);

		if (write_mode)
			p[i] = want;
		else if (p[i] != want && bad++ < 5)
			fprintf(stderr, "vram-poke: mismatch at 0x%llx\n",
				(unsigned long long)(off + i * 8));
	}
	munmap(map, len);
	close(fd);
	if (bad) {
		fprintf(stderr, "vram-poke: %llu bad words\n", (unsigned long long)bad);
		return 1;
	}
	return 0;
}

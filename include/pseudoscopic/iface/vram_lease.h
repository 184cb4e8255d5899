/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PS_VRAM_LEASE_H
#define PS_VRAM_LEASE_H

#include <linux/types.h>
#include <asm/page.h>

#include <pseudoscopic/mem/pool.h>

struct ps_device;

/**
 * struct ps_vram_lease - 2 MiB of a device's pool borrowed for in-kernel
 *	use (benchmarks, tests), never holding process data
 * @ps: the device, referenced and kept bound while the lease is held
 * @first: first pool page of the chunk
 * @vaddr: the chunk through the BAR's write-combined mapping
 */
struct ps_vram_lease {
	struct ps_device *ps;
	u32 first;
	void __iomem *vaddr;
};

/* Bytes a lease covers: one pool chunk. */
#define PS_VRAM_LEASE_BYTES	((size_t)PS_CHUNK_PAGES << PAGE_SHIFT)

int ps_vram_lease_get(unsigned int n, struct ps_vram_lease *lease);
void ps_vram_lease_put(struct ps_vram_lease *lease);
const char *ps_vram_lease_name(const struct ps_vram_lease *lease);

#endif /* PS_VRAM_LEASE_H */

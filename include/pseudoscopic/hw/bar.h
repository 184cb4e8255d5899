/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PS_BAR_H
#define PS_BAR_H

#include <linux/types.h>

struct pci_dev;

/* Number of standard BARs a PCI function can have. */
#define PS_NUM_BARS 6

/**
 * struct ps_bar_desc - what BAR selection needs to know about one BAR
 * @size: length in bytes, 0 if the BAR is not implemented
 * @flags: IORESOURCE_* flags of the resource
 */
struct ps_bar_desc {
	u64 size;
	unsigned long flags;
};

/**
 * struct ps_bar - the BAR a device's pool lives in
 * @index: BAR number
 * @phys: CPU physical address of the BAR
 * @size: length in bytes
 * @vaddr: write-combined kernel mapping of the whole BAR
 * @wc_cookie: arch_phys_wc_add() handle (MTRR on non-PAT systems)
 */
struct ps_bar {
	int index;
	phys_addr_t phys;
	u64 size;
	void __iomem *vaddr;
	int wc_cookie;
};

int ps_bar_choose(const struct ps_bar_desc *bars, int nbars, int forced,
		  bool nvidia);
int ps_bar_map(struct pci_dev *pdev, int index, struct ps_bar *bar);
void ps_bar_unmap(struct pci_dev *pdev, struct ps_bar *bar);
void ps_bar_scrub(struct ps_bar *bar, u64 offset, u64 len);
void ps_bar_resize(struct pci_dev *pdev, int index, u64 vram_size);

#endif /* PS_BAR_H */

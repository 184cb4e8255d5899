// SPDX-License-Identifier: GPL-2.0
/*
 * BAR selection and the write-combined mapping of the chosen BAR.
 */
#include <linux/io.h>
#include <linux/pci.h>
#include <kunit/visibility.h>

#include <pseudoscopic/hw/bar.h>
#include <pseudoscopic/core/compat.h>
#include <pseudoscopic/core/device.h>
#include <pseudoscopic/hw/layout.h>

/* NVIDIA GPUs expose VRAM through BAR1 (resource 1; 64-bit, so it spans
 * configuration registers 1 and 2).
 */
#define PS_NVIDIA_VRAM_BAR 1

static bool ps_bar_is_mem(const struct ps_bar_desc *b)
{
	return b->size && (b->flags & IORESOURCE_MEM);
}

/**
 * ps_bar_choose() - pick the BAR that holds the memory pool
 * @bars: the device's BARs, indexed by resource number
 * @nbars: number of entries in @bars
 * @forced: BAR index requested by the administrator, or -1 for automatic
 * @nvidia: the device is an NVIDIA GPU (BAR1 is the VRAM aperture)
 *
 * A forced index must name an implemented memory BAR.  NVIDIA devices use
 * BAR1.  Any other device uses its largest 64-bit prefetchable memory BAR;
 * on a tie the lowest index wins.
 *
 * Context: any context; pure function.
 * Return: the BAR index, -EINVAL for a forced index that is out of range or
 * not a memory BAR, -ENODEV if no BAR qualifies.
 */
VISIBLE_IF_KUNIT int ps_bar_choose(const struct ps_bar_desc *bars, int nbars,
				   int forced, bool nvidia)
{
	unsigned long want = IORESOURCE_MEM | IORESOURCE_MEM_64 |
			     IORESOURCE_PREFETCH;
	int best = -ENODEV;
	int i;

	if (forced >= 0) {
		if (forced >= nbars || !ps_bar_is_mem(&bars[forced]))
			return -EINVAL;
		return forced;
	}
	if (nvidia) {
		if (nbars > PS_NVIDIA_VRAM_BAR &&
		    ps_bar_is_mem(&bars[PS_NVIDIA_VRAM_BAR]))
			return PS_NVIDIA_VRAM_BAR;
		return -ENODEV;
	}
	for (i = 0; i < nbars; i++) {
		if (!bars[i].size || (bars[i].flags & want) != want)
			continue;
		if (best < 0 || bars[i].size > bars[best].size)
			best = i;
	}
	return best;
}
EXPORT_SYMBOL_IF_KUNIT(ps_bar_choose);

/**
 * ps_bar_map() - claim a BAR and map it write-combined
 * @pdev: the device
 * @index: BAR to map, as returned by ps_bar_choose()
 * @bar: filled in on success
 *
 * Context: process context (probe); may sleep.
 * Return: 0 or a negative errno; on failure nothing is left claimed.
 */
int ps_bar_map(struct pci_dev *pdev, int index, struct ps_bar *bar)
{
	int ret;

	bar->index = index;
	bar->phys = pci_resource_start(pdev, index);
	bar->size = pci_resource_len(pdev, index);

	ret = pci_request_region(pdev, index, PS_DRV_NAME);
	if (ret) {
		pci_err(pdev, "BAR%d is claimed by another driver (%d)\n",
			index, ret);
		return ret;
	}

	bar->vaddr = ioremap_wc(bar->phys, bar->size);
	if (!bar->vaddr) {
		pci_err(pdev, "cannot map BAR%d (%llu MiB) write-combined\n",
			index, bar->size >> 20);
		ret = -ENOMEM;
		goto err_release_region;
	}
	/* A no-op returning 0 when PAT provides write-combining. */
	bar->wc_cookie = arch_phys_wc_add(bar->phys, bar->size);

	pci_info(pdev, "BAR%d: %llu MiB at %pa, %s%sprefetchable, mapped write-combined (%s)\n",
		 index, bar->size >> 20, &bar->phys,
		 pci_resource_flags(pdev, index) & IORESOURCE_MEM_64 ?
			"64-bit " : "32-bit ",
		 pci_resource_flags(pdev, index) & IORESOURCE_PREFETCH ?
			"" : "non-",
		 bar->wc_cookie > 0 ? "MTRR" : "PAT");
	return 0;

err_release_region:
	pci_release_region(pdev, index);
	return ret;
}

/**
 * ps_bar_unmap() - undo ps_bar_map()
 * @pdev: the device
 * @bar: the mapping to tear down
 *
 * Context: process context (remove); may sleep.
 */
void ps_bar_unmap(struct pci_dev *pdev, struct ps_bar *bar)
{
	arch_phys_wc_del(bar->wc_cookie);
	iounmap(bar->vaddr);
	pci_release_region(pdev, bar->index);
}

/**
 * ps_bar_scrub() - zero a range of the memory behind a mapped BAR
 * @bar: the mapping
 * @offset: first byte, from the start of the BAR
 * @len: bytes
 *
 * What processes and the block device left in VRAM must not reach the
 * GPU's next owner (another driver, a VM given the device).  Zeroes in
 * 2 MiB steps, rescheduling between them: about a second per 10 GiB on
 * a PCIe 4.0 x16 link.
 *
 * Context: process context; may sleep.
 */
void ps_bar_scrub(struct ps_bar *bar, u64 offset, u64 len)
{
	while (len) {
		u64 n = min_t(u64, len, SZ_2M);

		memset_io(bar->vaddr + offset, 0, n);
		offset += n;
		len -= n;
		cond_resched();
	}
	wmb();	/* the zeroes have left the write-combining buffers */
}

/**
 * ps_bar_resize() - grow a BAR that is smaller than the memory behind it
 * @pdev: the device, enabled, with no BAR claimed
 * @index: the BAR
 * @vram_size: bytes of memory behind it
 *
 * Uses the Resizable BAR capability when the device has one.  Failure is
 * not fatal: the pool then covers what the current BAR shows.
 *
 * Context: process context (probe); may sleep.
 */
void ps_bar_resize(struct pci_dev *pdev, int index, u64 vram_size)
{
	u64 cur = pci_resource_len(pdev, index);
	u16 cmd;
	int size, ret;

	size = ps_rebar_choose(pci_rebar_get_possible_sizes(pdev, index), cur,
			       vram_size);
	if (size < 0) {
		if (cur < vram_size)
			pci_info(pdev, "BAR%d shows %llu of %llu MiB of VRAM and cannot be resized (enable Resizable BAR in the firmware)\n",
				 index, cur >> 20, vram_size >> 20);
		return;
	}
	/* No memory decoding while the BAR moves. */
	pci_read_config_word(pdev, PCI_COMMAND, &cmd);
	pci_write_config_word(pdev, PCI_COMMAND, cmd & ~PCI_COMMAND_MEMORY);
	ret = ps_pci_resize_resource(pdev, index, size);
	pci_write_config_word(pdev, PCI_COMMAND, cmd);
	if (ret)
		pci_info(pdev, "Resizable BAR: BAR%d stays at %llu MiB (%d)\n",
			 index, cur >> 20, ret);
	else
		pci_info(pdev, "Resizable BAR: BAR%d resized from %llu to %llu MiB\n",
			 index, cur >> 20, pci_resource_len(pdev, index) >> 20);
}

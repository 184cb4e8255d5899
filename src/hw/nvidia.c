// SPDX-License-Identifier: GPL-2.0
/*
 * NVIDIA specifics: architecture from NV_PMC_BOOT_0, VRAM size, and whether
 * BAR1 is the linear window into VRAM (physical mode) the pool needs.
 * Registers are only read, through a short-lived mapping of BAR0, before
 * anything else touches the device.
 *
 * The decoders are pure functions so KUnit can check them on register
 * values of every generation without the hardware.
 */
#include <linux/bitfield.h>
#include <linux/io.h>
#include <linux/pci.h>
#include <kunit/visibility.h>

#include <pseudoscopic/hw/nvidia.h>

static const struct ps_nv_family ps_nv_families[] = {
	/* Newest first: the first entry whose arch and min_impl match wins. */
	{ "Blackwell", 0x1b0, 0, PS_NV_VRAM_USABLE_FB_MB, PS_NV_BAR1_VF },
	{ "Blackwell", 0x1a0, 0, PS_NV_VRAM_USABLE_FB_MB, PS_NV_BAR1_VF },
	{ "Ada", 0x190, 0, PS_NV_VRAM_USABLE_FB_MB, PS_NV_BAR1_PBUS },
	{ "Hopper", 0x180, 0, PS_NV_VRAM_USABLE_FB_MB, PS_NV_BAR1_VF },
	{ "Ampere", 0x170, 2, PS_NV_VRAM_USABLE_FB_MB, PS_NV_BAR1_PBUS },
	{ "Ampere", 0x170, 0, PS_NV_VRAM_LOCAL_MEMORY_RANGE, PS_NV_BAR1_PBUS },
	{ "Turing", 0x160, 0, PS_NV_VRAM_LOCAL_MEMORY_RANGE, PS_NV_BAR1_PBUS },
	{ "Volta", 0x140, 0, PS_NV_VRAM_LOCAL_MEMORY_RANGE, PS_NV_BAR1_PBUS },
	{ "Pascal", 0x130, 0, PS_NV_VRAM_LOCAL_MEMORY_RANGE, PS_NV_BAR1_PBUS },
	{ "Maxwell", 0x120, 0, PS_NV_VRAM_LOCAL_MEMORY_RANGE, PS_NV_BAR1_PBUS },
	{ "Maxwell", 0x110, 0, PS_NV_VRAM_LOCAL_MEMORY_RANGE, PS_NV_BAR1_PBUS },
};

/**
 * ps_nv_family_of() - identify the GPU generation
 * @boot0: value of NV_PMC_BOOT_0
 *
 * Context: any context; pure function.
 * Return: the family, or NULL for an unknown or older architecture (and
 * for 0xffffffff, what a dead or hidden device reads as).
 */
VISIBLE_IF_KUNIT const struct ps_nv_family *ps_nv_family_of(u32 boot0)
{
	u16 chipset = (boot0 >> 20) & 0x1ff;
	u16 arch = chipset & 0x1f0;
	u8 impl = chipset & 0x00f;
	int i;

	if (boot0 == U32_MAX)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(ps_nv_families); i++)
		if (ps_nv_families[i].arch == arch &&
		    impl >= ps_nv_families[i].min_impl)
			return &ps_nv_families[i];
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(ps_nv_family_of);

/**
 * ps_nv_decode_vram() - VRAM size from its register
 * @reg: which register @value came from
 * @value: the register value
 *
 * Context: any context; pure function.
 * Return: bytes of VRAM, 0 if the value is not plausible.
 */
VISIBLE_IF_KUNIT u64 ps_nv_decode_vram(enum ps_nv_vram_reg reg, u32 value)
{
	u64 size;

	if (value == U32_MAX)
		return 0;
	switch (reg) {
	case PS_NV_VRAM_USABLE_FB_MB:
		return (u64)value << 20;
	case PS_NV_VRAM_LOCAL_MEMORY_RANGE:
		size = (u64)FIELD_GET(PS_NV_LMR_MAG, value) <<
		       (FIELD_GET(PS_NV_LMR_SCALE, value) + 20);
		/* With ECC on, 1/16 of the memory holds the check bits. */
		if (value & PS_NV_LMR_ECC)
			size = size / 16 * 15;
		return size;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ps_nv_decode_vram);

/**
 * ps_nv_decode_bar1_virtual() - is BAR1 translated by GPU page tables?
 * @reg: which register @value came from
 * @value: the register value
 *
 * Physical mode (the reset default) makes BAR1 a linear window into VRAM;
 * a driver that ran before us may have left virtual mode on.
 *
 * Context: any context; pure function.
 * Return: true for virtual mode (or an unreadable register).
 */
VISIBLE_IF_KUNIT bool ps_nv_decode_bar1_virtual(enum ps_nv_bar1_reg reg,
						u32 value)
{
	if (value == U32_MAX)
		return true;
	if (reg == PS_NV_BAR1_VF)
		return value & PS_NV_VF_BAR1_BLOCK_MODE_VIRTUAL;
	return value & PS_NV_PBUS_BAR1_BLOCK_MODE_VIRTUAL;
}
EXPORT_SYMBOL_IF_KUNIT(ps_nv_decode_bar1_virtual);

/**
 * ps_nv_read_info() - read architecture, VRAM size and BAR1 mode
 * @pdev: an enabled NVIDIA GPU
 * @info: filled in
 *
 * Maps BAR0 only for the duration of the reads.
 *
 * Context: process context (probe); may sleep.
 * Return: 0 (info->family may still be NULL for an unknown architecture),
 * -ENODEV if BAR0 is missing or too small, -ENOMEM if it cannot be mapped.
 */
int ps_nv_read_info(struct pci_dev *pdev, struct ps_nv_info *info)
{
	const struct ps_nv_family *fam;
	void __iomem *mmio;
	u32 reg;

	memset(info, 0, sizeof(*info));
	if (!(pci_resource_flags(pdev, 0) & IORESOURCE_MEM) ||
	    pci_resource_len(pdev, 0) < PS_NV_BAR0_MIN_SIZE) {
		pci_err(pdev, "BAR0 (registers) is missing or too small\n");
		return -ENODEV;
	}
	mmio = pci_iomap_range(pdev, 0, 0, PS_NV_BAR0_MIN_SIZE);
	if (!mmio)
		return -ENOMEM;

	info->boot0 = ioread32(mmio + PS_NV_PMC_BOOT_0);
	fam = ps_nv_family_of(info->boot0);
	info->family = fam;
	if (fam) {
		reg = ioread32(mmio + (fam->vram_reg == PS_NV_VRAM_USABLE_FB_MB ?
				       PS_NV_USABLE_FB_SIZE_IN_MB :
				       PS_NV_PFB_LOCAL_MEMORY_RANGE));
		info->vram_size = ps_nv_decode_vram(fam->vram_reg, reg);
		reg = ioread32(mmio + (fam->bar1_reg == PS_NV_BAR1_VF ?
				       PS_NV_VF_BAR1_BLOCK_LOW_ADDR :
				       PS_NV_PBUS_BAR1_BLOCK));
		info->bar1_virtual = ps_nv_decode_bar1_virtual(fam->bar1_reg,
							       reg);
	}
	pci_iounmap(pdev, mmio);
	return 0;
}

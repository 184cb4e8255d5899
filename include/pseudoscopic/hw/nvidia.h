/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PS_NVIDIA_H
#define PS_NVIDIA_H

#include <linux/types.h>

struct pci_dev;

/* BAR0 registers we read (never write). */
#define PS_NV_PMC_BOOT_0			0x000000
#define PS_NV_PBUS_BAR1_BLOCK			0x001704
#define PS_NV_PBUS_BAR1_BLOCK_MODE_VIRTUAL	BIT(31)
/* Hopper and later: BAR1 block in the virtual-function register space. */
#define PS_NV_VF_BAR1_BLOCK_LOW_ADDR		(0xb80000 + 0xf60)
#define PS_NV_VF_BAR1_BLOCK_MODE_VIRTUAL	BIT(9)
/* Up to GA100: VRAM size as magnitude << (scale + 20), 15/16 with ECC. */
#define PS_NV_PFB_LOCAL_MEMORY_RANGE		0x100ce0
#define PS_NV_LMR_SCALE				GENMASK(3, 0)
#define PS_NV_LMR_MAG				GENMASK(9, 4)
#define PS_NV_LMR_ECC				BIT(30)
/* GA102 and later: usable VRAM in MiB, published by the firmware. */
#define PS_NV_USABLE_FB_SIZE_IN_MB		0x1183a4

/* Highest BAR0 offset we read, to check BAR0 is large enough. */
#define PS_NV_BAR0_MIN_SIZE			(PS_NV_VF_BAR1_BLOCK_LOW_ADDR + 4)

enum ps_nv_vram_reg {
	PS_NV_VRAM_LOCAL_MEMORY_RANGE,
	PS_NV_VRAM_USABLE_FB_MB,
};

enum ps_nv_bar1_reg {
	PS_NV_BAR1_PBUS,
	PS_NV_BAR1_VF,
};

/**
 * struct ps_nv_family - what differs between NVIDIA GPU generations
 * @name: marketing name of the architecture
 * @arch: architecture field of NV_PMC_BOOT_0 (bits 28:24, as 0x1X0)
 * @min_impl: lowest implementation (bits 23:20) this entry covers
 * @vram_reg: where the VRAM size is read
 * @bar1_reg: where the BAR1 mode is read
 */
struct ps_nv_family {
	const char *name;
	u16 arch;
	u8 min_impl;
	enum ps_nv_vram_reg vram_reg;
	enum ps_nv_bar1_reg bar1_reg;
};

/**
 * struct ps_nv_info - what probe learned from an NVIDIA GPU's BAR0
 * @boot0: NV_PMC_BOOT_0
 * @family: the matching table entry, NULL if the architecture is unknown
 * @vram_size: VRAM size in bytes, 0 if unknown
 * @bar1_virtual: BAR1 is in virtual (page-table) mode, not a linear window
 */
struct ps_nv_info {
	u32 boot0;
	const struct ps_nv_family *family;
	u64 vram_size;
	bool bar1_virtual;
};

const struct ps_nv_family *ps_nv_family_of(u32 boot0);
u64 ps_nv_decode_vram(enum ps_nv_vram_reg reg, u32 value);
bool ps_nv_decode_bar1_virtual(enum ps_nv_bar1_reg reg, u32 value);
int ps_nv_read_info(struct pci_dev *pdev, struct ps_nv_info *info);

#endif /* PS_NVIDIA_H */

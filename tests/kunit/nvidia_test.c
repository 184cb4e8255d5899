// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: NVIDIA register decoding (src/hw/nvidia.c).
 *
 * No NVIDIA GPU is present in the test VM, so these cases feed the
 * decoders register values for cards of each generation.  NV_PMC_BOOT_0
 * values are the chip ids of those cards; the VRAM-size values are
 * encoded from the register field layouts (magnitude/scale/ECC up to
 * GA100, MiB from GA102 on) for each card's VRAM size.
 */
#include <kunit/test.h>
#include <linux/sizes.h>

#include <pseudoscopic/hw/nvidia.h>

struct nv_case {
	const char *card;
	u32 boot0;
	const char *family;
	enum ps_nv_vram_reg vram_reg;
	enum ps_nv_bar1_reg bar1_reg;
	u32 vram_value;
	u64 vram_bytes;
};

static const struct nv_case nv_cases[] = {
	/* Maxwell GM200, 12 GiB: magnitude 12, scale 10 (GiB). */
	{ "Tesla M40", 0x120000a1, "Maxwell", PS_NV_VRAM_LOCAL_MEMORY_RANGE,
	  PS_NV_BAR1_PBUS, (12 << 4) | 10, 12ULL << 30 },
	/* Pascal GP100, 16 GiB HBM2 with ECC on: 15/16 usable. */
	{ "Tesla P100", 0x130000a1, "Pascal", PS_NV_VRAM_LOCAL_MEMORY_RANGE,
	  PS_NV_BAR1_PBUS, BIT(30) | (16 << 4) | 10, 15ULL << 30 },
	/* Pascal GP102, 24 GiB: magnitude 3, scale 13 (3 * 8 GiB). */
	{ "Tesla P40", 0x132000a1, "Pascal", PS_NV_VRAM_LOCAL_MEMORY_RANGE,
	  PS_NV_BAR1_PBUS, (3 << 4) | 13, 24ULL << 30 },
	{ "Tesla V100", 0x140000a1, "Volta", PS_NV_VRAM_LOCAL_MEMORY_RANGE,
	  PS_NV_BAR1_PBUS, (32 << 4) | 10, 32ULL << 30 },
	{ "Tesla T4", 0x164000a1, "Turing", PS_NV_VRAM_LOCAL_MEMORY_RANGE,
	  PS_NV_BAR1_PBUS, (16 << 4) | 10, 16ULL << 30 },
	{ "A100 40GB", 0x170000a1, "Ampere", PS_NV_VRAM_LOCAL_MEMORY_RANGE,
	  PS_NV_BAR1_PBUS, (40 << 4) | 10, 40ULL << 30 },
	/* From GA102 on, the firmware publishes usable MiB. */
	{ "RTX 3090", 0x172000a1, "Ampere", PS_NV_VRAM_USABLE_FB_MB,
	  PS_NV_BAR1_PBUS, 24576, 24576ULL << 20 },
	{ "RTX 4090", 0x192000a1, "Ada", PS_NV_VRAM_USABLE_FB_MB,
	  PS_NV_BAR1_PBUS, 24564, 24564ULL << 20 },
	{ "H100 80GB", 0x180000a1, "Hopper", PS_NV_VRAM_USABLE_FB_MB,
	  PS_NV_BAR1_VF, 81559, 81559ULL << 20 },
	{ "RTX 5090", 0x1b2000a1, "Blackwell", PS_NV_VRAM_USABLE_FB_MB,
	  PS_NV_BAR1_VF, 32607, 32607ULL << 20 },
};

static void nv_generations(struct kunit *test)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(nv_cases); i++) {
		const struct nv_case *c = &nv_cases[i];
		const struct ps_nv_family *f = ps_nv_family_of(c->boot0);

		KUNIT_ASSERT_NOT_NULL_MSG(test, f, "%s", c->card);
		KUNIT_EXPECT_STREQ_MSG(test, f->name, c->family, "%s", c->card);
		KUNIT_EXPECT_EQ_MSG(test, f->vram_reg, c->vram_reg, "%s", c->card);
		KUNIT_EXPECT_EQ_MSG(test, f->bar1_reg, c->bar1_reg, "%s", c->card);
		KUNIT_EXPECT_EQ_MSG(test, ps_nv_decode_vram(f->vram_reg, c->vram_value),
				    c->vram_bytes, "%s", c->card);
	}
}

static void nv_unknown_architectures(struct kunit *test)
{
	KUNIT_EXPECT_NULL(test, ps_nv_family_of(0x0f0000a1));	/* Kepler GK110 */
	KUNIT_EXPECT_NULL(test, ps_nv_family_of(0x150000a1));	/* no such arch */
	KUNIT_EXPECT_NULL(test, ps_nv_family_of(0x1f0000a1));	/* future */
	KUNIT_EXPECT_NULL(test, ps_nv_family_of(0xffffffff));	/* dead device */
}

static void nv_vram_implausible(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, ps_nv_decode_vram(PS_NV_VRAM_USABLE_FB_MB, 0xffffffff), 0ULL);
	KUNIT_EXPECT_EQ(test, ps_nv_decode_vram(PS_NV_VRAM_LOCAL_MEMORY_RANGE, 0xffffffff), 0ULL);
	KUNIT_EXPECT_EQ(test, ps_nv_decode_vram(PS_NV_VRAM_LOCAL_MEMORY_RANGE, 0), 0ULL);
}

static void nv_bar1_mode(struct kunit *test)
{
	/* Pre-Hopper NV_PBUS_BAR1_BLOCK: bit 31. Reset value: physical. */
	KUNIT_EXPECT_FALSE(test, ps_nv_decode_bar1_virtual(PS_NV_BAR1_PBUS, 0));
	/* Left by a driver: virtual mode, vidmem target, an instance ptr. */
	KUNIT_EXPECT_TRUE(test, ps_nv_decode_bar1_virtual(PS_NV_BAR1_PBUS, 0x8001fe40));
	/* Physical but with a stale pointer is still physical. */
	KUNIT_EXPECT_FALSE(test, ps_nv_decode_bar1_virtual(PS_NV_BAR1_PBUS, 0x0001fe40));
	/* Hopper+: MODE is bit 9 of BAR1_BLOCK_LOW_ADDR; bit 31 is the ptr. */
	KUNIT_EXPECT_FALSE(test, ps_nv_decode_bar1_virtual(PS_NV_BAR1_VF, 0x80000000));
	KUNIT_EXPECT_TRUE(test, ps_nv_decode_bar1_virtual(PS_NV_BAR1_VF, 0x00abc200));
	/* An unreadable register is never taken as physical. */
	KUNIT_EXPECT_TRUE(test, ps_nv_decode_bar1_virtual(PS_NV_BAR1_PBUS, 0xffffffff));
	KUNIT_EXPECT_TRUE(test, ps_nv_decode_bar1_virtual(PS_NV_BAR1_VF, 0xffffffff));
}

static struct kunit_case nv_test_cases[] = {
	KUNIT_CASE(nv_generations),
	KUNIT_CASE(nv_unknown_architectures),
	KUNIT_CASE(nv_vram_implausible),
	KUNIT_CASE(nv_bar1_mode),
	{ }
};

static struct kunit_suite nv_suite = {
	.name = "pseudoscopic_nvidia",
	.test_cases = nv_test_cases,
};

kunit_test_suite(nv_suite);

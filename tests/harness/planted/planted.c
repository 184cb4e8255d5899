// SPDX-License-Identifier: GPL-2.0
/*
 * ps_planted.ko: failures planted on purpose, for the harness self-test
 * (tests/harness/).  Never part of the product: DKMS trees leave
 * tests/harness/ out, and only the self-test's scenarios load it.
 *
 * The "plant" parameter picks one defect, committed at load:
 *   warn   a WARN_ON
 *   kasan  a one-byte out-of-bounds read past a kmalloc'd buffer
 *   leak   16 kmalloc'd buffers whose only pointers go with the module
 *   panic  panic()
 * Each must turn the harness's verdict red for exactly that reason.
 */
#include <linux/bug.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/panic.h>
#include <linux/slab.h>
#include <linux/string.h>

static char *plant = "";
module_param(plant, charp, 0444);
MODULE_PARM_DESC(plant, "defect to commit at load: warn, kasan, leak or panic");

static void ps_planted_oob(void)
{
	size_t size = 40;
	char *buf = kmalloc(size, GFP_KERNEL);

	if (!buf)
		return;
	OPTIMIZER_HIDE_VAR(size);
	/* One past the end: KASAN reports it; printing keeps the read. */
	pr_info("ps_planted: read %d past the end\n", READ_ONCE(buf[size]));
	kfree(buf);
}

/*
 * The only pointers to the leaked buffers live here, and the module drops
 * them when it is unloaded (its memory may linger in a cache that kmemleak
 * scans): from then on nothing references the buffers.
 */
static void *ps_planted_leaked[16];

static noinline void ps_planted_leak(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(ps_planted_leaked); i++) {
		ps_planted_leaked[i] = kmalloc(4096, GFP_KERNEL);
		if (ps_planted_leaked[i])
			memset(ps_planted_leaked[i], 0x5a, 4096);
	}
}

static int __init ps_planted_init(void)
{
	pr_info("ps_planted: planting '%s'\n", plant);
	if (!strcmp(plant, "warn"))
		WARN_ON(1);
	else if (!strcmp(plant, "kasan"))
		ps_planted_oob();
	else if (!strcmp(plant, "leak"))
		ps_planted_leak();
	else if (!strcmp(plant, "panic"))
		panic("ps_planted: planted panic");
	else
		return -EINVAL;
	return 0;
}
module_init(ps_planted_init);

static void __exit ps_planted_exit(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(ps_planted_leaked); i++)
		WRITE_ONCE(ps_planted_leaked[i], NULL);
}
module_exit(ps_planted_exit);

MODULE_DESCRIPTION("Failures planted for the pseudoscopic test harness self-test");
MODULE_LICENSE("GPL");

// SPDX-License-Identifier: GPL-2.0
/*
 * ps_planted.ko: failures planted on purpose, for the harness self-test
 * (tests/harness/).  Never part of the product: DKMS trees leave
 * tests/harness/ out, and only the self-test's scenarios load it.
 *
 * The "plant" parameter picks one defect, committed at load:
 *   warn   a WARN_ON
 *   kasan  a one-byte out-of-bounds read past a kmalloc'd buffer
 *   leak   a kmalloc'd buffer whose only pointer is dropped
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

/* Keeps the compiler from dropping the planted read. */
static volatile char ps_planted_sink;

static void ps_planted_oob(void)
{
	size_t size = 40;
	char *buf = kmalloc(size, GFP_KERNEL);

	if (!buf)
		return;
	OPTIMIZER_HIDE_VAR(size);
	ps_planted_sink = buf[size];	/* one past the end: KASAN reports it */
	kfree(buf);
}

static void ps_planted_leak(void)
{
	char *buf = kmalloc(4096, GFP_KERNEL);

	if (buf)
		memset(buf, 0x5a, 4096);
	/* The pointer goes out of scope here: nothing references the buffer. */
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
}
module_exit(ps_planted_exit);

MODULE_DESCRIPTION("Failures planted for the pseudoscopic test harness self-test");
MODULE_LICENSE("GPL");

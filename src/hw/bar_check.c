// SPDX-License-Identifier: GPL-2.0
/*
 * Probe-time check of the pool's memory through the write-combined BAR
 * mapping: the self-test (src/hw/selftest.c) plus a bandwidth sample for the
 * log and sysfs.
 */
#include <linux/io.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/vmalloc.h>

#include <pseudoscopic/hw/bar_check.h>
#include <pseudoscopic/core/device.h>
#include <pseudoscopic/core/params.h>
#include <pseudoscopic/hw/selftest.h>

#define PS_BW_BYTES	SZ_1M
#define PS_BW_MAX_ROUNDS	64
#define PS_BW_MIN_NS	(20 * NSEC_PER_MSEC)

static u64 ps_bar_read64(void *ctx, u64 off)
{
	return readq((void __iomem __force *)ctx + off);
}

static void ps_bar_write64(void *ctx, u64 off, u64 val)
{
	writeq(val, (void __iomem __force *)ctx + off);
	/* Drain the write-combining buffer so the read-back sees VRAM. */
	wmb();
}

static const struct ps_mem_ops ps_bar_mem_ops = {
	.read = ps_bar_read64,
	.write = ps_bar_write64,
};

static u32 ps_mbps(u64 bytes, u64 ns)
{
	return ns ? div64_u64(bytes * 1000, ns) : 0;
}

/* Copy 1 MiB blocks each way until PS_BW_MIN_NS has passed (the clock may
 * be coarse) or PS_BW_MAX_ROUNDS blocks were copied.
 */
static u32 ps_bar_time(void __iomem *pool, void *buf, bool to_bar)
{
	ktime_t t0 = ktime_get();
	u64 ns = 0;
	int n = 0;

	while (n < PS_BW_MAX_ROUNDS && ns < PS_BW_MIN_NS) {
		if (to_bar)
			memcpy_toio(pool, buf, PS_BW_BYTES);
		else
			memcpy_fromio(buf, pool, PS_BW_BYTES);
		n++;
		if (to_bar)
			wmb();	/* count writes only once they left the WC buffers */
		ns = ktime_to_ns(ktime_sub(ktime_get(), t0));
	}
	return ps_mbps((u64)n * PS_BW_BYTES, ns);
}

static void ps_bar_bandwidth(struct ps_device *ps, void __iomem *pool)
{
	void *buf = vzalloc(PS_BW_BYTES);

	if (!buf)
		return;
	ps->write_mbps = ps_bar_time(pool, buf, true);
	ps->read_mbps = ps_bar_time(pool, buf, false);
	vfree(buf);
}

/**
 * ps_bar_check() - test the pool's memory and sample its bandwidth
 * @ps: the device, with its BAR mapped and layout decided
 *
 * Context: process context (probe); may sleep.
 * Return: 0, or -EIO when the memory does not behave like memory (the
 * reason is logged).
 */
int ps_bar_check(struct ps_device *ps)
{
	void __iomem *pool = ps->bar.vaddr + ps->layout.offset;
	struct ps_selftest_result res;
	ktime_t t0 = ktime_get();
	int ret;

	if (!ps_param_selftest) {
		pci_info(ps->pdev, "self-test skipped (selftest=0)\n");
		return 0;
	}
	ret = ps_selftest_run(&ps_bar_mem_ops, (void __force *)pool,
			      ps->layout.size, &res);
	if (ret) {
		pci_err(ps->pdev, "self-test failed: pool offset %#llx reads %#018llx, wrote %#018llx (%s); refusing this BAR\n",
			res.bad_offset, res.found, res.expected,
			res.aliasing ?
			"address aliasing: less memory behind the BAR than its size" :
			"data error");
		return ret;
	}
	ps_bar_bandwidth(ps, pool);
	pci_info(ps->pdev, "self-test passed: %llu words across %llu MiB in %lld ms; write %u MB/s, read %u MB/s\n",
		 res.checked, ps->layout.size >> 20,
		 ktime_ms_delta(ktime_get(), t0), ps->write_mbps,
		 ps->read_mbps);
	return 0;
}

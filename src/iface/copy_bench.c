// SPDX-License-Identifier: GPL-2.0
/*
 * Copy microbenchmark, read from debugfs:
 *
 *   cat /sys/kernel/debug/pseudoscopic/copy_bench
 *
 * For every bound device it borrows a free 2 MiB chunk of the pool
 * (src/iface/vram_lease.c; resident data is never touched) and times, at 4 KiB,
 * 64 KiB and 2 MiB, the NASM copy routines through the write-combined BAR
 * mapping against the kernel's memcpy_toio()/memcpy_fromio() on the same
 * mapping and RAM-to-RAM memcpy(), warm and with the RAM side flushed from
 * the caches first ("_cold"), and each cache maintenance routine on dirty
 * RAM.  One line per measurement: device, bytes, test, GB/s (10^9 bytes
 * per second, the best of three passes), timed rounds over all passes.
 * A round trip through the BAR is verified.
 *
 * The whole run happens in open(), so a read never re-runs it; it takes a
 * few seconds per device and holds the device (remove() waits).
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/io.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/sched/signal.h>
#include <linux/sizes.h>
#include <linux/vmalloc.h>

#include <pseudoscopic/copy/cache_flush.h>
#include <pseudoscopic/copy/copy_asm.h>
#include <pseudoscopic/iface/copy_bench.h>
#include <pseudoscopic/iface/vram_lease.h>

/* Each measurement runs at least this long and this many rounds, in each
 * of PS_BENCH_PASSES passes.
 */
#define PS_BENCH_MIN_NS		(30 * NSEC_PER_MSEC)
#define PS_BENCH_MIN_ROUNDS	4
#define PS_BENCH_PASSES		3
#define PS_BENCH_MAX_ROUNDS	100000
#define PS_BENCH_OUT		SZ_16K

static const size_t ps_bench_sizes[] = { SZ_4K, SZ_64K, SZ_2M };

/**
 * struct ps_bench - one device's run
 * @wc: the leased chunk, write-combined
 * @src: RAM source, random data
 * @dst: RAM destination
 * @len: bytes per round
 * @seq: changes the data the cache tests dirty each round
 */
struct ps_bench {
	void __iomem *wc;
	u8 *src;
	u8 *dst;
	size_t len;
	u8 seq;
};

/**
 * struct ps_bench_test - one measurement
 * @name: its name in the output
 * @prep: untimed, before every round (may be NULL)
 * @run: the timed work
 * @insn: the cache routine the test needs, PS_CACHE_NR if none
 */
struct ps_bench_test {
	const char *name;
	void (*prep)(struct ps_bench *b);
	void (*run)(struct ps_bench *b, const struct ps_bench_test *t);
	enum ps_cache_insn insn;
};

static void ps_bench_flush_src(struct ps_bench *b)
{
	ps_cache_flush(b->src, b->len);
}

static void ps_bench_flush_dst(struct ps_bench *b)
{
	ps_cache_flush(b->dst, b->len);
}

static void ps_bench_flush_both(struct ps_bench *b)
{
	ps_cache_flush(b->src, b->len);
	ps_cache_flush(b->dst, b->len);
}

static void ps_bench_dirty_dst(struct ps_bench *b)
{
	memset(b->dst, b->seq++, b->len);
}

static void ps_bench_memcpy(struct ps_bench *b, const struct ps_bench_test *t)
{
	memcpy(b->dst, b->src, b->len);
}

static void ps_bench_toio(struct ps_bench *b, const struct ps_bench_test *t)
{
	memcpy_toio(b->wc, b->src, b->len);
	wmb();	/* count the writes once they left the WC buffers */
}

static void ps_bench_fromio(struct ps_bench *b, const struct ps_bench_test *t)
{
	memcpy_fromio(b->dst, b->wc, b->len);
}

static void ps_bench_to_wc(struct ps_bench *b, const struct ps_bench_test *t)
{
	ps_copy_to_wc_fpu(b->wc, b->src, b->len);
}

static void ps_bench_from_wc(struct ps_bench *b, const struct ps_bench_test *t)
{
	ps_copy_from_wc_fpu(b->dst, b->wc, b->len);
}

static void ps_bench_cache(struct ps_bench *b, const struct ps_bench_test *t)
{
	ps_cache_run(t->insn, b->dst, b->len);
}

static const struct ps_bench_test ps_bench_tests[] = {
	{ "ram_memcpy", NULL, ps_bench_memcpy, PS_CACHE_NR },
	{ "ram_memcpy_cold", ps_bench_flush_both, ps_bench_memcpy, PS_CACHE_NR },
	{ "memcpy_toio", NULL, ps_bench_toio, PS_CACHE_NR },
	{ "ps_copy_to_wc", NULL, ps_bench_to_wc, PS_CACHE_NR },
	{ "ps_copy_to_wc_cold", ps_bench_flush_src, ps_bench_to_wc, PS_CACHE_NR },
	{ "memcpy_fromio", NULL, ps_bench_fromio, PS_CACHE_NR },
	{ "ps_copy_from_wc", NULL, ps_bench_from_wc, PS_CACHE_NR },
	{ "ps_copy_from_wc_cold", ps_bench_flush_dst, ps_bench_from_wc,
	  PS_CACHE_NR },
	{ "clflush", ps_bench_dirty_dst, ps_bench_cache, PS_CACHE_CLFLUSH },
	{ "clflushopt", ps_bench_dirty_dst, ps_bench_cache,
	  PS_CACHE_CLFLUSHOPT },
	{ "clwb", ps_bench_dirty_dst, ps_bench_cache, PS_CACHE_CLWB },
};

/**
 * struct ps_bench_out - the text a reader gets
 * @len: bytes written to @buf
 * @buf: PS_BENCH_OUT bytes
 */
struct ps_bench_out {
	size_t len;
	char *buf;
};

static __printf(2, 3) void ps_bench_emit(struct ps_bench_out *out,
					 const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	out->len += vscnprintf(out->buf + out->len, PS_BENCH_OUT - out->len,
			       fmt, args);
	va_end(args);
}

/* Time @t: one untimed warm-up round, then rounds until both minimums are
 * met.  Return: the rate in GB/s * 1000 (bytes per picosecond), or 0 if a
 * fatal signal interrupted; *@rounds counts the timed rounds.
 */
static u64 ps_bench_time(struct ps_bench *b, const struct ps_bench_test *t,
			 u32 *rounds)
{
	u64 t0, ns = 0;
	u32 n = 0;

	if (t->prep)
		t->prep(b);
	t->run(b, t);
	while (n < PS_BENCH_MIN_ROUNDS ||
	       (ns < PS_BENCH_MIN_NS && n < PS_BENCH_MAX_ROUNDS)) {
		if (t->prep)
			t->prep(b);
		t0 = ktime_get_ns();
		t->run(b, t);
		ns += ktime_get_ns() - t0;
		n++;
		cond_resched();
		if (fatal_signal_pending(current))
			return 0;
	}
	*rounds += n;
	return max_t(u64, div64_u64((u64)b->len * n * 1000, max_t(u64, ns, 1)),
		     1);
}

/* Every test at one size on one leased chunk, PS_BENCH_PASSES times in
 * turn (so a disturbance hits one pass, not one test) keeping each test's
 * best pass; then a verified round trip through the BAR.
 */
static int ps_bench_size(struct ps_bench *b, const char *name,
			 struct ps_bench_out *out)
{
	u64 best[ARRAY_SIZE(ps_bench_tests)] = { }, rate;
	u32 rounds[ARRAY_SIZE(ps_bench_tests)] = { };
	const struct ps_bench_test *t;
	int pass, i;

	for (pass = 0; pass < PS_BENCH_PASSES; pass++) {
		for (i = 0; i < ARRAY_SIZE(ps_bench_tests); i++) {
			t = &ps_bench_tests[i];
			if (t->insn != PS_CACHE_NR && !ps_cache_supported(t->insn))
				continue;
			rate = ps_bench_time(b, t, &rounds[i]);
			if (!rate)
				return -EINTR;
			best[i] = max(best[i], rate);
		}
	}
	for (i = 0; i < ARRAY_SIZE(ps_bench_tests); i++) {
		t = &ps_bench_tests[i];
		if (!best[i])
			ps_bench_emit(out, "# %s %zu %s: not supported by this CPU\n",
				      name, b->len, t->name);
		else
			ps_bench_emit(out, "%s %zu %s %llu.%03llu %u\n", name,
				      b->len, t->name, best[i] / 1000,
				      best[i] % 1000, rounds[i]);
	}
	memset(b->dst, 0, b->len);
	ps_copy_to_wc_fpu(b->wc, b->src, b->len);
	ps_copy_from_wc_fpu(b->dst, b->wc, b->len);
	if (memcmp(b->dst, b->src, b->len)) {
		ps_bench_emit(out, "# %s %zu: round trip through the BAR differs\n",
			      name, b->len);
		return -EIO;
	}
	return 0;
}

static int ps_bench_device(struct ps_vram_lease *lease, u8 *src, u8 *dst,
			   struct ps_bench_out *out)
{
	struct ps_bench b = { .wc = lease->vaddr, .src = src, .dst = dst };
	int i, ret;

	for (i = 0; i < ARRAY_SIZE(ps_bench_sizes); i++) {
		b.len = ps_bench_sizes[i];
		ret = ps_bench_size(&b, ps_vram_lease_name(lease), out);
		if (ret)
			return ret;
	}
	return 0;
}

static void ps_bench_header(struct ps_bench_out *out)
{
	int i;

	ps_bench_emit(out, "# pseudoscopic copy_bench: device bytes test GB/s rounds, best of %d\n",
		      PS_BENCH_PASSES);
	ps_bench_emit(out, "# cache line %u bytes; write-back: %s; flush: %s; this CPU has:",
		      ps_cache_line_size(),
		      ps_cache_insn_name(ps_cache_writeback_insn()),
		      ps_cache_insn_name(ps_cache_flush_insn()));
	for (i = 0; i < PS_CACHE_NR; i++)
		if (ps_cache_supported(i))
			ps_bench_emit(out, " %s", ps_cache_insn_name(i));
	ps_bench_emit(out, "\n");
	pr_info("pseudoscopic: copy_bench: cache write-back %s, flush %s, %u-byte lines\n",
		ps_cache_insn_name(ps_cache_writeback_insn()),
		ps_cache_insn_name(ps_cache_flush_insn()),
		ps_cache_line_size());
}

/* Run the benchmark on every bound device into @out. */
static int ps_bench_all(struct ps_bench_out *out)
{
	struct ps_vram_lease lease;
	u8 *src, *dst;
	unsigned int n;
	int ret = 0;

	src = vmalloc(SZ_2M);
	if (!src)
		return -ENOMEM;
	dst = vzalloc(SZ_2M);
	if (!dst) {
		ret = -ENOMEM;
		goto out_free_src;
	}
	get_random_bytes(src, SZ_2M);
	ps_bench_header(out);
	for (n = 0; ; n++) {
		ret = ps_vram_lease_get(n, &lease);
		if (ret == -ENODEV)
			break;
		if (ret) {
			ps_bench_emit(out, "# device %u: no free 2 MiB chunk, skipped\n",
				      n);
			continue;
		}
		ret = ps_bench_device(&lease, src, dst, out);
		ps_vram_lease_put(&lease);
		if (ret)
			goto out_free_dst;
	}
	ret = 0;
	if (!n)
		ps_bench_emit(out, "# no bound device\n");
out_free_dst:
	vfree(dst);
out_free_src:
	vfree(src);
	return ret;
}

static int ps_copy_bench_open(struct inode *inode, struct file *file)
{
	struct ps_bench_out *out;
	int ret;

	out = kzalloc(sizeof(*out), GFP_KERNEL);
	if (!out)
		return -ENOMEM;
	out->buf = kvzalloc(PS_BENCH_OUT, GFP_KERNEL);
	if (!out->buf) {
		ret = -ENOMEM;
		goto err_free_out;
	}
	ret = ps_bench_all(out);
	if (ret)
		goto err_free_buf;
	file->private_data = out;
	return 0;

err_free_buf:
	kvfree(out->buf);
err_free_out:
	kfree(out);
	return ret;
}

static ssize_t ps_copy_bench_read(struct file *file, char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	struct ps_bench_out *out = file->private_data;

	return simple_read_from_buffer(ubuf, count, ppos, out->buf, out->len);
}

static int ps_copy_bench_release(struct inode *inode, struct file *file)
{
	struct ps_bench_out *out = file->private_data;

	kvfree(out->buf);
	kfree(out);
	return 0;
}

static const struct file_operations ps_copy_bench_fops = {
	.owner = THIS_MODULE,
	.open = ps_copy_bench_open,
	.read = ps_copy_bench_read,
	.release = ps_copy_bench_release,
	.llseek = default_llseek,
};

/**
 * ps_copy_bench_debugfs_init() - create copy_bench in the debugfs directory
 * @root: /sys/kernel/debug/pseudoscopic (an error pointer is tolerated)
 *
 * Context: module init.
 */
void ps_copy_bench_debugfs_init(struct dentry *root)
{
	debugfs_create_file("copy_bench", 0400, root, NULL,
			    &ps_copy_bench_fops);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Per-device sysfs attributes: /sys/bus/pci/devices/<bdf>/pseudoscopic/.
 * One value per file; every file is documented in
 * Documentation/ABI/testing/sysfs-driver-pseudoscopic.
 */
#include <linux/device.h>
#include <linux/dmaengine.h>
#include <linux/pci.h>
#include <linux/sysfs.h>

#include <pseudoscopic/copy/copy.h>
#include <pseudoscopic/core/device.h>
#include <pseudoscopic/core/params.h>
#include <pseudoscopic/iface/sysfs.h>

static struct ps_device *ps_from_dev(struct device *dev)
{
	return pci_get_drvdata(to_pci_dev(dev));
}

/* A read-only attribute printing one unsigned expression of @ps. */
#define PS_ATTR_U64(name, expr)						\
static ssize_t name##_show(struct device *dev,				\
			   struct device_attribute *attr, char *buf)	\
{									\
	struct ps_device *ps = ps_from_dev(dev);			\
									\
	return sysfs_emit(buf, "%llu\n", (unsigned long long)(expr));	\
}									\
static DEVICE_ATTR_RO(name)

PS_ATTR_U64(bar_index, ps->bar.index);
PS_ATTR_U64(bar_bytes, ps->bar.size);
PS_ATTR_U64(vram_bytes, ps->vram_size);
PS_ATTR_U64(reserved_start_bytes, ps->reserve_start);
PS_ATTR_U64(reserved_end_bytes, ps->reserve_end);
PS_ATTR_U64(pool_offset, ps->layout.offset);
PS_ATTR_U64(pool_bytes, ps->layout.size);
PS_ATTR_U64(pool_pages, ps->pool.nr_pages);
PS_ATTR_U64(free_pages, ps_pool_nr_free(&ps->pool));
PS_ATTR_U64(resident_pages, ps->pool.nr_pages - ps_pool_nr_free(&ps->pool));
PS_ATTR_U64(reserved_pages, ps_reserved_pages(ps));
PS_ATTR_U64(blkdev_bytes, ps->blk.size);
PS_ATTR_U64(blkdev_offset, ps->blk.offset);
PS_ATTR_U64(low_watermark_pages, ps->pool.low_wmark);
PS_ATTR_U64(high_watermark_pages, ps->pool.high_wmark);
PS_ATTR_U64(double_frees, atomic_long_read(&ps->pool.double_frees));
PS_ATTR_U64(device_pfn_first, ps->devmem.pfn_first);
PS_ATTR_U64(selftest_write_mbps, ps->write_mbps);
PS_ATTR_U64(selftest_read_mbps, ps->read_mbps);
PS_ATTR_U64(probe_us, ps->probe_us);
PS_ATTR_U64(pages_to_vram, ps_stat_read(ps, pages_to_vram));
PS_ATTR_U64(pages_to_ram, ps_stat_read(ps, pages_to_ram));
PS_ATTR_U64(bytes_to_vram, ps_stat_read(ps, pages_to_vram) << PAGE_SHIFT);
PS_ATTR_U64(bytes_to_ram, ps_stat_read(ps, pages_to_ram) << PAGE_SHIFT);
PS_ATTR_U64(cpu_faults, ps_stat_read(ps, cpu_faults));
PS_ATTR_U64(fault_around_pages, ps_stat_read(ps, fault_around_pages));
PS_ATTR_U64(fault_around_hits, ps_stat_read(ps, fault_around_hits));
PS_ATTR_U64(evicted_pages, ps_stat_read(ps, evicted_pages));
PS_ATTR_U64(alloc_failures, ps_stat_read(ps, alloc_failures));
PS_ATTR_U64(thp_to_vram, ps_stat_read(ps, thp_to_vram));
PS_ATTR_U64(thp_to_ram, ps_stat_read(ps, thp_to_ram));
PS_ATTR_U64(fault_ns_ema, ps_stat_read(ps, fault_ns_ema));
PS_ATTR_U64(fault_ns_total, ps_stat_read(ps, fault_ns_total));
PS_ATTR_U64(dma_pages, ps_stat_read(ps, dma_pages));
PS_ATTR_U64(dma_fallbacks, ps_stat_read(ps, dma_fallbacks));
PS_ATTR_U64(copy_errors, ps_stat_read(ps, copy_errors));
PS_ATTR_U64(lost, ps_device_is_lost(ps));
PS_ATTR_U64(lost_faults, ps_stat_read(ps, lost_faults));
PS_ATTR_U64(fault_collisions, ps_stat_read(ps, fault_collisions));
PS_ATTR_U64(pinned_pages, READ_ONCE(ps->devmem.pins.nr));
PS_ATTR_U64(async_queued, atomic_read(&ps->nr_async));

static ssize_t max_pinned_pages_show(struct device *dev,
				     struct device_attribute *attr, char *buf)
{
	struct ps_device *ps = ps_from_dev(dev);

	return sysfs_emit(buf, "%lu\n", READ_ONCE(ps->devmem.pins.max));
}

/* A lower limit refuses new pins; pages pinned already stay pinned. */
static ssize_t max_pinned_pages_store(struct device *dev,
				      struct device_attribute *attr,
				      const char *buf, size_t count)
{
	struct ps_device *ps = ps_from_dev(dev);
	unsigned long val;
	int ret;

	ret = kstrtoul(buf, 0, &val);
	if (ret)
		return ret;
	if (val > ps->pool.nr_pages)
		return -ERANGE;
	WRITE_ONCE(ps->devmem.pins.max, val);
	return count;
}
static DEVICE_ATTR_RW(max_pinned_pages);

static ssize_t vendor_family_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  ps_from_dev(dev)->nvidia ? "nvidia" : "generic");
}
static DEVICE_ATTR_RO(vendor_family);

static ssize_t architecture_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	struct ps_device *ps = ps_from_dev(dev);

	if (!ps->nvidia)
		return sysfs_emit(buf, "none\n");
	return sysfs_emit(buf, "%s\n",
			  ps->nv.family ? ps->nv.family->name : "unknown");
}
static DEVICE_ATTR_RO(architecture);

/* "<2^i us: count" per bucket; the last line counts everything slower. */
static ssize_t fault_latency_histogram_show(struct device *dev,
					    struct device_attribute *attr,
					    char *buf)
{
	struct ps_device *ps = ps_from_dev(dev);
	int i, len = 0;

	for (i = 0; i < PS_FAULT_HIST_BUCKETS - 1; i++)
		len += sysfs_emit_at(buf, len, "<%lluus %lld\n", 1ULL << i,
				     atomic64_read(&ps->stats.fault_hist[i]));
	len += sysfs_emit_at(buf, len, ">=%lluus %lld\n", 1ULL << (i - 1),
			     atomic64_read(&ps->stats.fault_hist[i]));
	return len;
}
static DEVICE_ATTR_RO(fault_latency_histogram);

static ssize_t dma_channel_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	/* Pairs with the release in ps_dma_attach(). */
	struct dma_chan *chan = smp_load_acquire(&ps_from_dev(dev)->dma_chan);

	return sysfs_emit(buf, "%s\n", chan ? dma_chan_name(chan) : "none");
}
static DEVICE_ATTR_RO(dma_channel);

static ssize_t copy_engine_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  ps_copy_uses_dma(ps_from_dev(dev)) ? "dma" : "cpu");
}
static DEVICE_ATTR_RO(copy_engine);

static ssize_t copy_mode_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  ps_copy_mode_name(READ_ONCE(ps_from_dev(dev)->copy_mode)));
}

static ssize_t copy_mode_store(struct device *dev,
			       struct device_attribute *attr,
			       const char *buf, size_t count)
{
	int mode = ps_copy_mode_parse(buf);
	int ret;

	if (mode < 0)
		return mode;
	ret = ps_copy_set_mode(ps_from_dev(dev), mode);
	return ret ?: count;
}
static DEVICE_ATTR_RW(copy_mode);

static struct attribute *ps_dev_attrs[] = {
	&dev_attr_bar_index.attr,
	&dev_attr_bar_bytes.attr,
	&dev_attr_vram_bytes.attr,
	&dev_attr_vendor_family.attr,
	&dev_attr_architecture.attr,
	&dev_attr_reserved_start_bytes.attr,
	&dev_attr_reserved_end_bytes.attr,
	&dev_attr_pool_offset.attr,
	&dev_attr_pool_bytes.attr,
	&dev_attr_pool_pages.attr,
	&dev_attr_free_pages.attr,
	&dev_attr_resident_pages.attr,
	&dev_attr_reserved_pages.attr,
	&dev_attr_blkdev_bytes.attr,
	&dev_attr_blkdev_offset.attr,
	&dev_attr_low_watermark_pages.attr,
	&dev_attr_high_watermark_pages.attr,
	&dev_attr_double_frees.attr,
	&dev_attr_device_pfn_first.attr,
	&dev_attr_dma_channel.attr,
	&dev_attr_copy_engine.attr,
	&dev_attr_copy_mode.attr,
	&dev_attr_dma_pages.attr,
	&dev_attr_dma_fallbacks.attr,
	&dev_attr_copy_errors.attr,
	&dev_attr_selftest_write_mbps.attr,
	&dev_attr_selftest_read_mbps.attr,
	&dev_attr_probe_us.attr,
	&dev_attr_pages_to_vram.attr,
	&dev_attr_pages_to_ram.attr,
	&dev_attr_bytes_to_vram.attr,
	&dev_attr_bytes_to_ram.attr,
	&dev_attr_cpu_faults.attr,
	&dev_attr_lost.attr,
	&dev_attr_lost_faults.attr,
	&dev_attr_fault_collisions.attr,
	&dev_attr_pinned_pages.attr,
	&dev_attr_max_pinned_pages.attr,
	&dev_attr_async_queued.attr,
	&dev_attr_fault_around_pages.attr,
	&dev_attr_fault_around_hits.attr,
	&dev_attr_evicted_pages.attr,
	&dev_attr_alloc_failures.attr,
	&dev_attr_thp_to_vram.attr,
	&dev_attr_thp_to_ram.attr,
	&dev_attr_fault_ns_ema.attr,
	&dev_attr_fault_ns_total.attr,
	&dev_attr_fault_latency_histogram.attr,
	NULL
};

static const struct attribute_group ps_dev_group = {
	.name = "pseudoscopic",
	.attrs = ps_dev_attrs,
};

/* Created by the driver core after a successful probe, removed before
 * remove(), so drvdata is valid whenever a file can be read.
 */
const struct attribute_group *ps_dev_groups[] = {
	&ps_dev_group,
	NULL
};

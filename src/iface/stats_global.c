// SPDX-License-Identifier: GPL-2.0
/*
 * Module-wide views over every bound device:
 *   /sys/module/pseudoscopic/stats/   counters summed over devices
 *   /sys/module/pseudoscopic/pool/    pool pages summed over devices
 *   /proc/pseudoscopic_meminfo        the same in /proc/meminfo's format
 *   /sys/module/pseudoscopic/uapi_version  PS_UAPI_VERSION, for tools that
 *                                     cannot open a device node
 *
 * No kernel hook lets a module add lines to /proc/meminfo itself, hence a
 * file of our own in the same format (Documentation/observability.md).
 * Device pages in use do show up in /proc/meminfo, as the RAM they freed.
 */
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/sysfs.h>

#include <pseudoscopic/core/device.h>
#include <pseudoscopic/core/stats.h>
#include <pseudoscopic/iface/stats_global.h>
#include <uapi/linux/pseudoscopic.h>

static struct kobject *ps_stats_kobj;
static struct kobject *ps_pool_kobj;

/* Sum one expression over all devices. */
#define PS_SUM(expr) ({							\
	struct ps_device *ps;						\
	u64 __sum = 0;							\
									\
	mutex_lock(&ps_devices_lock);					\
	list_for_each_entry(ps, &ps_devices, node)			\
		__sum += (expr);					\
	mutex_unlock(&ps_devices_lock);					\
	__sum;								\
})

#define PS_GLOBAL_ATTR(name, expr)					\
static ssize_t name##_show(struct kobject *kobj,			\
			   struct kobj_attribute *attr, char *buf)	\
{									\
	return sysfs_emit(buf, "%llu\n", PS_SUM(expr));			\
}									\
static struct kobj_attribute ps_attr_##name = __ATTR_RO(name)

PS_GLOBAL_ATTR(migrations_to_device, ps_stat_read(ps, pages_to_vram));
PS_GLOBAL_ATTR(migrations_to_ram, ps_stat_read(ps, pages_to_ram));
PS_GLOBAL_ATTR(page_faults, ps_stat_read(ps, cpu_faults));
PS_GLOBAL_ATTR(fault_around_pages, ps_stat_read(ps, fault_around_pages));
PS_GLOBAL_ATTR(fault_around_hits, ps_stat_read(ps, fault_around_hits));
PS_GLOBAL_ATTR(evictions, ps_stat_read(ps, evicted_pages));
PS_GLOBAL_ATTR(alloc_failures, ps_stat_read(ps, alloc_failures));
PS_GLOBAL_ATTR(bytes_to_device, ps_stat_read(ps, pages_to_vram) << PAGE_SHIFT);
PS_GLOBAL_ATTR(bytes_to_ram, ps_stat_read(ps, pages_to_ram) << PAGE_SHIFT);
PS_GLOBAL_ATTR(copy_errors, ps_stat_read(ps, copy_errors));
PS_GLOBAL_ATTR(devices, 1);
PS_GLOBAL_ATTR(total_pages, ps->pool.nr_pages);
PS_GLOBAL_ATTR(free_pages, ps_pool_nr_free(&ps->pool));
PS_GLOBAL_ATTR(resident_pages, ps->pool.nr_pages - ps_pool_nr_free(&ps->pool));
PS_GLOBAL_ATTR(reserved_pages, ps_reserved_pages(ps));

static struct attribute *ps_stats_attrs[] = {
	&ps_attr_migrations_to_device.attr,
	&ps_attr_migrations_to_ram.attr,
	&ps_attr_page_faults.attr,
	&ps_attr_fault_around_pages.attr,
	&ps_attr_fault_around_hits.attr,
	&ps_attr_evictions.attr,
	&ps_attr_alloc_failures.attr,
	&ps_attr_bytes_to_device.attr,
	&ps_attr_bytes_to_ram.attr,
	&ps_attr_copy_errors.attr,
	&ps_attr_devices.attr,
	NULL
};

static const struct attribute_group ps_stats_group = {
	.attrs = ps_stats_attrs,
};

static struct attribute *ps_pool_attrs[] = {
	&ps_attr_total_pages.attr,
	&ps_attr_free_pages.attr,
	&ps_attr_resident_pages.attr,
	&ps_attr_reserved_pages.attr,
	NULL
};

static const struct attribute_group ps_pool_group = {
	.attrs = ps_pool_attrs,
};

#define PS_KB(pages) ((u64)(pages) << (PAGE_SHIFT - 10))

static ssize_t uapi_version_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", PS_UAPI_VERSION);
}

static struct kobj_attribute ps_attr_uapi_version = __ATTR_RO(uapi_version);

static int ps_meminfo_show(struct seq_file *m, void *v)
{
	u64 total = 0, free = 0;
	struct ps_device *ps;

	mutex_lock(&ps_devices_lock);
	list_for_each_entry(ps, &ps_devices, node) {
		total += ps->pool.nr_pages;
		free += ps_pool_nr_free(&ps->pool);
	}
	seq_printf(m, "DeviceTotal:    %8llu kB\n", PS_KB(total));
	seq_printf(m, "DeviceFree:     %8llu kB\n", PS_KB(free));
	seq_printf(m, "DeviceResident: %8llu kB\n", PS_KB(total - free));
	list_for_each_entry(ps, &ps_devices, node) {
		u64 t = ps->pool.nr_pages, f = ps_pool_nr_free(&ps->pool);

		seq_printf(m, "%s_Total:    %8llu kB\n", ps->name, PS_KB(t));
		seq_printf(m, "%s_Free:     %8llu kB\n", ps->name, PS_KB(f));
		seq_printf(m, "%s_Resident: %8llu kB\n", ps->name, PS_KB(t - f));
	}
	mutex_unlock(&ps_devices_lock);
	return 0;
}

/**
 * ps_stats_global_init() - create the module-wide sysfs and /proc files
 *
 * Context: module init.
 * Return: 0 or a negative errno, with nothing left created.
 */
int ps_stats_global_init(void)
{
	struct kobject *mod = &THIS_MODULE->mkobj.kobj;
	int ret = -ENOMEM;

	ps_stats_kobj = kobject_create_and_add("stats", mod);
	if (!ps_stats_kobj)
		return -ENOMEM;
	ret = sysfs_create_group(ps_stats_kobj, &ps_stats_group);
	if (ret)
		goto err_put_stats;
	ps_pool_kobj = kobject_create_and_add("pool", mod);
	if (!ps_pool_kobj) {
		ret = -ENOMEM;
		goto err_put_stats;
	}
	ret = sysfs_create_group(ps_pool_kobj, &ps_pool_group);
	if (ret)
		goto err_put_pool;
	if (!proc_create_single("pseudoscopic_meminfo", 0444, NULL,
				ps_meminfo_show)) {
		ret = -ENOMEM;
		goto err_put_pool;
	}
	ret = sysfs_create_file(mod, &ps_attr_uapi_version.attr);
	if (ret)
		goto err_remove_meminfo;
	return 0;

err_remove_meminfo:
	remove_proc_entry("pseudoscopic_meminfo", NULL);
err_put_pool:
	kobject_put(ps_pool_kobj);
err_put_stats:
	kobject_put(ps_stats_kobj);
	return ret;
}

/**
 * ps_stats_global_exit() - remove what ps_stats_global_init() created
 *
 * Context: module exit, after the PCI driver is unregistered.
 */
void ps_stats_global_exit(void)
{
	sysfs_remove_file(&THIS_MODULE->mkobj.kobj, &ps_attr_uapi_version.attr);
	remove_proc_entry("pseudoscopic_meminfo", NULL);
	kobject_put(ps_pool_kobj);
	kobject_put(ps_stats_kobj);
}

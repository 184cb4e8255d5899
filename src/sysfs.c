// SPDX-License-Identifier: GPL-2.0
/*
 * Per-device sysfs attributes: /sys/bus/pci/devices/<bdf>/pseudoscopic/.
 * One value per file; every file is documented in
 * Documentation/ABI/testing/sysfs-driver-pseudoscopic.
 */
#include <linux/device.h>
#include <linux/pci.h>
#include <linux/sysfs.h>

#include <pseudoscopic/device.h>

static struct ps_device *ps_from_dev(struct device *dev)
{
	return pci_get_drvdata(to_pci_dev(dev));
}

static ssize_t bar_index_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", ps_from_dev(dev)->bar.index);
}
static DEVICE_ATTR_RO(bar_index);

static ssize_t bar_bytes_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", ps_from_dev(dev)->bar.size);
}
static DEVICE_ATTR_RO(bar_bytes);

static ssize_t vendor_family_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  ps_from_dev(dev)->nvidia ? "nvidia" : "generic");
}
static DEVICE_ATTR_RO(vendor_family);

static struct attribute *ps_dev_attrs[] = {
	&dev_attr_bar_index.attr,
	&dev_attr_bar_bytes.attr,
	&dev_attr_vendor_family.attr,
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

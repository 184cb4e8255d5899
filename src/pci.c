// SPDX-License-Identifier: GPL-2.0
/*
 * PCI binding: which devices we claim, and probe/remove.
 *
 * NVIDIA display-class functions match the static table.  Any other device
 * with a large linear BAR is bound by the administrator through the PCI
 * core's dynamic ids (new_id) or driver_override; those arrive with
 * driver_data 0 (the PCI core accepts new_id entries only with a
 * driver_data value the static table uses, so every entry keeps 0 and the
 * NVIDIA rules are chosen from the device itself).
 */
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/vgaarb.h>

#include <pseudoscopic/bar.h>
#include <pseudoscopic/device.h>
#include <pseudoscopic/params.h>

#define PS_NVIDIA_CLASS(cls) {						\
	.vendor = PCI_VENDOR_ID_NVIDIA, .device = PCI_ANY_ID,		\
	.subvendor = PCI_ANY_ID, .subdevice = PCI_ANY_ID,		\
	.class = (cls) << 8, .class_mask = 0xffff00,			\
}

static const struct pci_device_id ps_pci_ids[] = {
	PS_NVIDIA_CLASS(PCI_CLASS_DISPLAY_VGA),
	PS_NVIDIA_CLASS(PCI_CLASS_DISPLAY_3D),
	{ }
};
MODULE_DEVICE_TABLE(pci, ps_pci_ids);

/* NVIDIA rules apply to NVIDIA display-class functions however bound. */
static bool ps_is_nvidia_gpu(struct pci_dev *pdev)
{
	return pdev->vendor == PCI_VENDOR_ID_NVIDIA &&
	       (pdev->class >> 16) == PCI_BASE_CLASS_DISPLAY;
}

/* The firmware console lives in the boot VGA device's VRAM. */
static bool ps_is_boot_vga(struct pci_dev *pdev)
{
	return vga_default_device() == pdev ||
	       (pdev->resource[PCI_ROM_RESOURCE].flags & IORESOURCE_ROM_SHADOW);
}

static int ps_pci_pick_bar(struct pci_dev *pdev, bool nvidia)
{
	struct ps_bar_desc bars[PS_NUM_BARS];
	int i, idx;

	for (i = 0; i < PS_NUM_BARS; i++) {
		bars[i].size = pci_resource_len(pdev, i);
		bars[i].flags = pci_resource_flags(pdev, i);
	}
	idx = ps_bar_choose(bars, PS_NUM_BARS, ps_param_bar_index, nvidia);
	if (idx == -EINVAL)
		pci_err(pdev, "bar_index=%d is not a memory BAR of this device\n",
			ps_param_bar_index);
	else if (idx < 0)
		pci_err(pdev, "no %s BAR to hold a memory pool; set bar_index\n",
			nvidia ? "BAR1 (VRAM aperture)" :
				 "64-bit prefetchable memory");
	return idx;
}

static int ps_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct ps_device *ps;
	int idx, ret;

	if (ps_is_boot_vga(pdev) && !ps_param_force_boot_vga) {
		pci_info(pdev, "boot VGA device, not binding (force_boot_vga=1 overrides)\n");
		return -ENODEV;
	}

	ps = kzalloc(sizeof(*ps), GFP_KERNEL);
	if (!ps)
		return -ENOMEM;
	ps->pdev = pdev;
	ps->nvidia = ps_is_nvidia_gpu(pdev);

	ret = pci_enable_device_mem(pdev);
	if (ret) {
		pci_err(pdev, "cannot enable device (%d)\n", ret);
		goto err_free;
	}

	idx = ps_pci_pick_bar(pdev, ps->nvidia);
	if (idx < 0) {
		ret = idx;
		goto err_disable;
	}
	ret = ps_bar_map(pdev, idx, &ps->bar);
	if (ret)
		goto err_disable;

	pci_set_drvdata(pdev, ps);
	pci_info(pdev, "bound (%s device)\n", ps->nvidia ? "NVIDIA" : "generic");
	return 0;

err_disable:
	pci_disable_device(pdev);
err_free:
	kfree(ps);
	return ret;
}

static void ps_pci_remove(struct pci_dev *pdev)
{
	struct ps_device *ps = pci_get_drvdata(pdev);

	ps_bar_unmap(pdev, &ps->bar);
	pci_disable_device(pdev);
	kfree(ps);
	pci_info(pdev, "unbound\n");
}

struct pci_driver ps_pci_driver = {
	.name = PS_DRV_NAME,
	.id_table = ps_pci_ids,
	.probe = ps_pci_probe,
	.remove = ps_pci_remove,
	.dev_groups = ps_dev_groups,
};

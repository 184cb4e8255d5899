// SPDX-License-Identifier: GPL-2.0
/* PS_HAVE_PCI_RESIZE_RESOURCE_EXCLUDE: pci_resize_resource() takes a mask
 * of BARs to leave alone (older kernels take three arguments).
 */
#include <linux/pci.h>

int probe(struct pci_dev *pdev);
int probe(struct pci_dev *pdev)
{
	return pci_resize_resource(pdev, 1, 8, 0);
}

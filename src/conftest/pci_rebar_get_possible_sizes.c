// SPDX-License-Identifier: GPL-2.0
/* PS_HAVE_PCI_REBAR_GET_POSSIBLE_SIZES: Resizable BAR capability query. */
#include <linux/pci.h>

u32 probe(struct pci_dev *pdev);
u32 probe(struct pci_dev *pdev)
{
	return pci_rebar_get_possible_sizes(pdev, 1);
}

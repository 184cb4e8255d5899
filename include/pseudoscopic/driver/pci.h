/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PS_PCI_H
#define PS_PCI_H

struct pci_driver;

extern struct pci_driver ps_pci_driver;

#endif /* PS_PCI_H */

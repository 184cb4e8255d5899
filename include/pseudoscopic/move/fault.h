/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PS_FAULT_H
#define PS_FAULT_H

#include <linux/mm_types.h>

struct ps_device;
struct vm_fault;

vm_fault_t ps_fault_migrate_to_ram(struct ps_device *ps, struct vm_fault *vmf);

#endif /* PS_FAULT_H */

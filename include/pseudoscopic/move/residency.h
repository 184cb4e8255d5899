/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PS_RESIDENCY_H
#define PS_RESIDENCY_H

struct mm_struct;
struct ps_device;
struct ps_residency;

int ps_residency(struct ps_device *ps, struct mm_struct *mm,
		 struct ps_residency *req);

#endif /* PS_RESIDENCY_H */

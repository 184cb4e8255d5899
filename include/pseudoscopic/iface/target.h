/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PS_TARGET_H
#define PS_TARGET_H

#include <linux/types.h>

struct mm_struct;

struct mm_struct *ps_target_mm(bool use_pidfd, int pidfd);

#endif /* PS_TARGET_H */

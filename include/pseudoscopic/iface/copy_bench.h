/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PS_COPY_BENCH_H
#define PS_COPY_BENCH_H

#include <linux/dcache.h>

#ifdef CONFIG_DEBUG_FS
void ps_copy_bench_debugfs_init(struct dentry *root);
#endif

#endif /* PS_COPY_BENCH_H */

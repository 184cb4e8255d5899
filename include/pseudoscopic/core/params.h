/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PS_PARAMS_H
#define PS_PARAMS_H

#include <linux/types.h>

/* Upper bounds accepted for sizes given in MiB (16 TiB). */
#define PS_PARAM_MAX_MB		(16U << 20)
#define PS_MIGRATION_THRESHOLD_MAX	512
#define PS_MAX_ASYNC_MAX		4096

extern int ps_param_bar_index;
extern bool ps_param_force_boot_vga;
extern bool ps_param_force_bar1_mode;
extern unsigned int ps_param_test_probe_fail_ms;
extern unsigned int ps_param_test_fault_delay_ms;
extern bool ps_param_resize_bar;
extern unsigned int ps_param_pool_size_mb;
extern unsigned int ps_param_blkdev_mb;
extern int ps_param_reserve_start_mb;
extern int ps_param_reserve_end_mb;
extern unsigned int ps_param_migration_threshold;
extern unsigned int ps_param_max_pinned_pct;
extern unsigned int ps_param_max_async;
extern int ps_param_enable_dma;
extern int ps_param_copy_mode;
extern const char *ps_param_copy_origin;
extern bool ps_param_selftest;

int ps_params_validate(void);
int ps_copy_mode_parse(const char *s);
const char *ps_copy_mode_name(int mode);

#endif /* PS_PARAMS_H */

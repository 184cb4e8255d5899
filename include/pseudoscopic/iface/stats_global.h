/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PS_STATS_GLOBAL_H
#define PS_STATS_GLOBAL_H

int ps_stats_global_init(void);
void ps_stats_global_exit(void);

#endif /* PS_STATS_GLOBAL_H */

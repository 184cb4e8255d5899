/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PS_DEBUGFS_H
#define PS_DEBUGFS_H

#ifdef CONFIG_DEBUG_FS
void ps_debugfs_init(void);
void ps_debugfs_exit(void);
#else
static inline void ps_debugfs_init(void)
{
}

static inline void ps_debugfs_exit(void)
{
}
#endif

#endif /* PS_DEBUGFS_H */

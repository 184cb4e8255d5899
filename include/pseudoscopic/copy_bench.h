/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PS_COPY_BENCH_H
#define PS_COPY_BENCH_H

#ifdef CONFIG_DEBUG_FS
void ps_copy_bench_init(void);
void ps_copy_bench_exit(void);
#else
static inline void ps_copy_bench_init(void)
{
}

static inline void ps_copy_bench_exit(void)
{
}
#endif

#endif /* PS_COPY_BENCH_H */

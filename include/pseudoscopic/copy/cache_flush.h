/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PS_CACHE_FLUSH_H
#define PS_CACHE_FLUSH_H

#include <linux/types.h>

/**
 * enum ps_cache_insn - the cache maintenance routines of asm/cache_flush.asm
 * @PS_CACHE_CLFLUSH: CLFLUSH: write back and invalidate, strongly ordered
 * @PS_CACHE_CLFLUSHOPT: CLFLUSHOPT: write back and invalidate, weakly ordered
 * @PS_CACHE_CLWB: CLWB: write back, the line may stay cached
 * @PS_CACHE_NR: number of routines
 */
enum ps_cache_insn {
	PS_CACHE_CLFLUSH,
	PS_CACHE_CLFLUSHOPT,
	PS_CACHE_CLWB,
	PS_CACHE_NR,
};

#ifdef CONFIG_X86_64
/*
 * NASM routines (asm/cache_flush.asm): one instruction per cache line that
 * [addr, addr + len) touches, then the fence; return the number of lines.
 * line must be a power of two.  No SIMD, callable in any context.
 */
u64 ps_cache_clflush(const void *addr, size_t len, size_t line);
u64 ps_cache_clflushopt(const void *addr, size_t len, size_t line);
u64 ps_cache_clwb(const void *addr, size_t len, size_t line);

bool ps_cache_supported(enum ps_cache_insn insn);
unsigned int ps_cache_line_size(void);
u64 ps_cache_run(enum ps_cache_insn insn, const void *addr, size_t len);
u64 ps_cache_run_line(enum ps_cache_insn insn, const void *addr, size_t len,
		      size_t line);
enum ps_cache_insn ps_cache_writeback_insn(void);
enum ps_cache_insn ps_cache_flush_insn(void);
u64 ps_cache_writeback(const void *addr, size_t len);
u64 ps_cache_flush(const void *addr, size_t len);
const char *ps_cache_insn_name(enum ps_cache_insn insn);
#else
static inline bool ps_cache_supported(enum ps_cache_insn insn)
{
	return false;
}

static inline unsigned int ps_cache_line_size(void)
{
	return 0;
}

static inline u64 ps_cache_run(enum ps_cache_insn insn, const void *addr,
			       size_t len)
{
	return 0;
}

static inline enum ps_cache_insn ps_cache_writeback_insn(void)
{
	return PS_CACHE_NR;
}

static inline enum ps_cache_insn ps_cache_flush_insn(void)
{
	return PS_CACHE_NR;
}

static inline u64 ps_cache_writeback(const void *addr, size_t len)
{
	return 0;
}

static inline u64 ps_cache_flush(const void *addr, size_t len)
{
	return 0;
}

static inline const char *ps_cache_insn_name(enum ps_cache_insn insn)
{
	return "none";
}
#endif

#endif /* PS_CACHE_FLUSH_H */

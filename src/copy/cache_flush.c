// SPDX-License-Identifier: GPL-2.0
/*
 * Cache maintenance over byte ranges with the NASM routines of
 * asm/cache_flush.asm, choosing the instruction from the CPU's features.
 *
 * Two operations, because the instructions do not all do the same thing:
 * a write-back (the data reaches memory; CLWB > CLFLUSHOPT > CLFLUSH,
 * CLWB keeping the line cached) and a flush (the data reaches memory and
 * leaves every cache, so the next access goes to memory; CLFLUSHOPT >
 * CLFLUSH).
 *
 * The migration path needs neither: on x86 DMA is cache-coherent and the
 * VRAM BAR is mapped write-combined, which the caches never hold
 * (Documentation/design.md).  The copy microbenchmark (src/iface/copy_bench.c)
 * flushes its RAM buffers to measure memory rather than cache.
 */
#include <linux/bug.h>
#include <linux/log2.h>
#include <kunit/visibility.h>
#include <asm/cpufeature.h>
#include <asm/processor.h>

#include <pseudoscopic/copy/cache_flush.h>

static const struct {
	const char *name;
	unsigned int feature;
} ps_cache_routines[PS_CACHE_NR] = {
	[PS_CACHE_CLFLUSH] = { "clflush", X86_FEATURE_CLFLUSH },
	[PS_CACHE_CLFLUSHOPT] = { "clflushopt", X86_FEATURE_CLFLUSHOPT },
	[PS_CACHE_CLWB] = { "clwb", X86_FEATURE_CLWB },
};

/**
 * ps_cache_supported() - whether this CPU has a cache routine's instruction
 * @insn: the routine
 *
 * Context: any context.
 * Return: true if ps_cache_run() may use @insn.
 */
bool ps_cache_supported(enum ps_cache_insn insn)
{
	return insn < PS_CACHE_NR &&
	       boot_cpu_has(ps_cache_routines[insn].feature) &&
	       ps_cache_line_size();
}
EXPORT_SYMBOL_IF_KUNIT(ps_cache_supported);

/**
 * ps_cache_line_size() - the line size the cache routines step by
 *
 * Context: any context.
 * Return: the CPU's CLFLUSH line size in bytes, or 0 if it did not report
 * a power of two (then no routine runs).
 */
unsigned int ps_cache_line_size(void)
{
	unsigned int line = boot_cpu_data.x86_clflush_size;

	return is_power_of_2(line) ? line : 0;
}
EXPORT_SYMBOL_IF_KUNIT(ps_cache_line_size);

/**
 * ps_cache_insn_name() - name of a cache routine's instruction
 * @insn: the routine
 *
 * Context: any context.
 * Return: "clflush", "clflushopt", "clwb", or "none".
 */
const char *ps_cache_insn_name(enum ps_cache_insn insn)
{
	return insn < PS_CACHE_NR ? ps_cache_routines[insn].name : "none";
}
EXPORT_SYMBOL_IF_KUNIT(ps_cache_insn_name);

/**
 * ps_cache_run_line() - run one cache routine with a given line size
 * @insn: the routine, which this CPU must support
 * @addr: start of the range (mapped, any alignment)
 * @len: length in bytes
 * @line: step in bytes, a power of two no larger than the CPU's line size
 *	for the result to cover the range (KUnit tries other sizes)
 *
 * Context: any context; the time grows with @len (no preemption point).
 * Return: the number of lines processed, 0 for an empty range, an
 * instruction this CPU lacks or a bad @line (both also warn once).
 */
u64 ps_cache_run_line(enum ps_cache_insn insn, const void *addr, size_t len,
		      size_t line)
{
	if (WARN_ONCE(!ps_cache_supported(insn) || !is_power_of_2(line),
		      "pseudoscopic: cache routine %d, line %zu not usable\n",
		      insn, line))
		return 0;
	/*
	 * Direct calls only: the NASM routines carry no kCFI type hash, so
	 * an indirect call into them would trip CFI on kernels built with it
	 * (tests/kernel/check-nasm.py refuses their address being taken).
	 */
	switch (insn) {
	case PS_CACHE_CLFLUSH:
		return ps_cache_clflush(addr, len, line);
	case PS_CACHE_CLFLUSHOPT:
		return ps_cache_clflushopt(addr, len, line);
	case PS_CACHE_CLWB:
		return ps_cache_clwb(addr, len, line);
	default:
		return 0;
	}
}
EXPORT_SYMBOL_IF_KUNIT(ps_cache_run_line);

/**
 * ps_cache_run() - run one cache routine over a byte range
 * @insn: the routine, which this CPU must support
 * @addr: start of the range (mapped, any alignment)
 * @len: length in bytes
 *
 * On return every line the range touches has been written back (and, but
 * for CLWB, invalidated), ordered before later stores (and, for CLFLUSH,
 * later loads); see asm/cache_flush.asm.
 *
 * Context: any context; the time grows with @len (no preemption point).
 * Return: the number of cache lines processed, 0 for an empty range or an
 * instruction this CPU lacks (which also warns once).
 */
u64 ps_cache_run(enum ps_cache_insn insn, const void *addr, size_t len)
{
	return ps_cache_run_line(insn, addr, len, ps_cache_line_size());
}
EXPORT_SYMBOL_IF_KUNIT(ps_cache_run);

/**
 * ps_cache_writeback_insn() - the routine ps_cache_writeback() uses
 *
 * Context: any context.
 * Return: CLWB if the CPU has it, else CLFLUSHOPT, else CLFLUSH.
 */
enum ps_cache_insn ps_cache_writeback_insn(void)
{
	if (ps_cache_supported(PS_CACHE_CLWB))
		return PS_CACHE_CLWB;
	return ps_cache_flush_insn();
}
EXPORT_SYMBOL_IF_KUNIT(ps_cache_writeback_insn);

/**
 * ps_cache_flush_insn() - the routine ps_cache_flush() uses
 *
 * Context: any context.
 * Return: CLFLUSHOPT if the CPU has it, else CLFLUSH.
 */
enum ps_cache_insn ps_cache_flush_insn(void)
{
	if (ps_cache_supported(PS_CACHE_CLFLUSHOPT))
		return PS_CACHE_CLFLUSHOPT;
	return PS_CACHE_CLFLUSH;
}
EXPORT_SYMBOL_IF_KUNIT(ps_cache_flush_insn);

/**
 * ps_cache_writeback() - write a range back to memory
 * @addr: start of the range (mapped, any alignment)
 * @len: length in bytes
 *
 * Lines may stay cached (CLWB).
 *
 * Context: any context.
 * Return: the number of cache lines processed.
 */
u64 ps_cache_writeback(const void *addr, size_t len)
{
	return ps_cache_run(ps_cache_writeback_insn(), addr, len);
}
EXPORT_SYMBOL_IF_KUNIT(ps_cache_writeback);

/**
 * ps_cache_flush() - write a range back to memory and evict it from caches
 * @addr: start of the range (mapped, any alignment)
 * @len: length in bytes
 *
 * The next access to the range misses every cache.
 *
 * Context: any context.
 * Return: the number of cache lines processed.
 */
u64 ps_cache_flush(const void *addr, size_t len)
{
	return ps_cache_run(ps_cache_flush_insn(), addr, len);
}
EXPORT_SYMBOL_IF_KUNIT(ps_cache_flush);

/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PS_STATS_H
#define PS_STATS_H

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/minmax.h>
#include <linux/types.h>

/* Fault latency buckets: < 1 us, < 2 us, ... < 2^20 us (~1 s), slower. */
#define PS_FAULT_HIST_BUCKETS	22

/**
 * struct ps_stats - per-device counters (atomic; no lock)
 * @pages_to_vram: pages migrated into the pool
 * @pages_to_ram: pages migrated back to RAM (requests, faults, eviction)
 * @cpu_faults: CPU faults on device pages
 * @fault_around_pages: pages moved by faults beyond the faulting page
 *	(not those of a 2 MiB folio brought back whole)
 * @fault_around_hits: of those, pages the same access stream went on past
 *	(its next fault came right after them; src/move/fault_window.c)
 * @evicted_pages: pages moved to RAM by eviction or teardown
 * @thp_to_vram: 2 MiB folios migrated into the pool whole
 * @thp_to_ram: 2 MiB device folios migrated back to RAM whole
 * @alloc_failures: device page allocations that found the pool empty
 * @dma_pages: pages copied by a DMA channel (windows that completed cleanly)
 * @dma_fallbacks: DMA windows redone with CPU copies after an error
 * @copy_errors: DMA failures: mapping, prep or submit refused, a descriptor
 *	completed with an error, a window timed out
 * @lost_faults: CPU faults answered with SIGBUS because the device is lost
 * @fault_collisions: CPU faults that found another fault bringing the same
 *	page home and retried the access instead
 * @fault_ns_ema: fault latency, exponential moving average (1/8 weight)
 * @fault_hist: fault latency histogram; bucket i counts faults that took
 *	less than 2^i microseconds (the last bucket: everything slower)
 * @fault_ns_total: sum of the service times @fault_hist counts, in ns (a
 *	histogram's sum, so an average over any interval can be computed)
 */
struct ps_stats {
	atomic64_t pages_to_vram;
	atomic64_t pages_to_ram;
	atomic64_t cpu_faults;
	atomic64_t fault_around_pages;
	atomic64_t fault_around_hits;
	atomic64_t evicted_pages;
	atomic64_t thp_to_vram;
	atomic64_t thp_to_ram;
	atomic64_t alloc_failures;
	atomic64_t dma_pages;
	atomic64_t dma_fallbacks;
	atomic64_t copy_errors;
	atomic64_t lost_faults;
	atomic64_t fault_collisions;
	atomic64_t fault_ns_ema;
	atomic64_t fault_hist[PS_FAULT_HIST_BUCKETS];
	atomic64_t fault_ns_total;
};

/**
 * ps_stats_fault_latency() - record one fault's service time
 * @stats: the device's counters
 * @ns: nanoseconds
 */
static inline void ps_stats_fault_latency(struct ps_stats *stats, u64 ns)
{
	u64 us = ns / 1000;
	int b = us ? fls64(us) : 0;

	atomic64_inc(&stats->fault_hist[min(b, PS_FAULT_HIST_BUCKETS - 1)]);
	atomic64_add(ns, &stats->fault_ns_total);
}

#define ps_stat_inc(ps, name)	atomic64_inc(&(ps)->stats.name)
#define ps_stat_add(ps, name, n) atomic64_add(n, &(ps)->stats.name)
#define ps_stat_read(ps, name)	atomic64_read(&(ps)->stats.name)

/**
 * ps_stats_add_pages() - count pages migrated in one direction
 * @stats: the device's counters
 * @to_vram: direction
 * @n: pages
 */
static inline void ps_stats_add_pages(struct ps_stats *stats, bool to_vram,
				      u64 n)
{
	atomic64_add(n, to_vram ? &stats->pages_to_vram : &stats->pages_to_ram);
}

#endif /* PS_STATS_H */

/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PS_FAULT_WINDOW_H
#define PS_FAULT_WINDOW_H

#include <linux/spinlock.h>
#include <linux/types.h>

/* Access streams a device tells apart at once (per process and address). */
#define PS_FAULT_STREAMS	8

/**
 * struct ps_fault_stream - one sequential-access stream
 * @mm: the address space it faults in; an identity only, never followed
 * @next: address right after its last fault-around window
 * @window: its fault-around window in pages
 * @around: pages its last fault brought back beyond the faulting one
 * @used: value of &ps_fault_streams.clock when it was last used
 */
struct ps_fault_stream {
	const void *mm;
	unsigned long next;
	unsigned int window;
	unsigned int around;
	unsigned long used;
};

/**
 * struct ps_fault_streams - the fault-around detector of one device
 * @lock: protects @s and @clock
 * @s: the streams seen most recently
 * @clock: counts faults, to find the least recently used stream
 *
 * A fault right after the window of a stream of the same process is
 * sequential: that stream's window doubles, up to the cap.  Any other
 * fault is random: it starts a new stream (replacing the least recently
 * used one) with a window of one page, and leaves the other streams alone,
 * so processes and threads scanning at the same time do not shrink each
 * other's windows.
 *
 * Fault-around hits: when a stream goes on right after a window, the pages
 * that window brought back beyond its faulting page were passed over by
 * the access that followed them, so fault-around saved their faults.
 * Pages of a window after which the stream stopped count as misses.
 */
struct ps_fault_streams {
	spinlock_t lock;	/* s[], clock */
	struct ps_fault_stream s[PS_FAULT_STREAMS];
	unsigned long clock;
};

void ps_fault_streams_init(struct ps_fault_streams *fs);
unsigned int ps_fault_stream_begin(struct ps_fault_streams *fs,
				   const void *mm, unsigned long addr,
				   unsigned int max, unsigned int *slot,
				   unsigned int *hits);
void ps_fault_stream_end(struct ps_fault_streams *fs, unsigned int slot,
			 const void *mm, unsigned long next,
			 unsigned int around);

#endif /* PS_FAULT_WINDOW_H */

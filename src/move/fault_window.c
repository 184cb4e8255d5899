// SPDX-License-Identifier: GPL-2.0
/*
 * The adaptive fault-around window: which faults are sequential, and how
 * many pages the next fault of a stream brings back.  See struct
 * ps_fault_streams for the rules.
 */
#include <linux/minmax.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include <pseudoscopic/move/fault_window.h>

/**
 * ps_fault_streams_init() - start with no streams
 * @fs: the detector
 */
void ps_fault_streams_init(struct ps_fault_streams *fs)
{
	memset(fs, 0, sizeof(*fs));
	spin_lock_init(&fs->lock);
}
EXPORT_SYMBOL_IF_KUNIT(ps_fault_streams_init);

/**
 * ps_fault_stream_begin() - the window for a fault
 * @fs: the detector
 * @mm: the faulting address space (compared, never dereferenced)
 * @addr: the page-aligned faulting address
 * @max: cap on the window in pages (migration_threshold), at least 1
 * @slot: receives the stream, for ps_fault_stream_end()
 * @hits: receives the fault-around hits this fault proves: the pages the
 *	stream's previous window brought back beyond its faulting page, if
 *	this fault continues the stream; else 0
 *
 * Context: any context that may take spinlocks.
 * Return: the window in pages, 1..@max.
 */
unsigned int ps_fault_stream_begin(struct ps_fault_streams *fs,
				   const void *mm, unsigned long addr,
				   unsigned int max, unsigned int *slot,
				   unsigned int *hits)
{
	struct ps_fault_stream *s, *lru = &fs->s[0];
	unsigned int i, window;

	*hits = 0;
	spin_lock(&fs->lock);
	fs->clock++;
	for (i = 0; i < PS_FAULT_STREAMS; i++) {
		s = &fs->s[i];
		if (s->mm == mm && s->window && s->next == addr) {
			s->window = min(s->window * 2, max);
			*hits = s->around;
			goto found;
		}
		if (s->used < lru->used)
			lru = s;
	}
	s = lru;
	s->mm = mm;
	s->window = 1;
found:
	/* Also when the cap was lowered since the stream grew. */
	s->window = clamp(s->window, 1U, max);
	s->around = 0;
	s->next = addr + ((unsigned long)s->window << PAGE_SHIFT);
	s->used = fs->clock;
	window = s->window;
	*slot = s - fs->s;
	spin_unlock(&fs->lock);
	return window;
}
EXPORT_SYMBOL_IF_KUNIT(ps_fault_stream_begin);

/**
 * ps_fault_stream_end() - where the fault's window really ended
 * @fs: the detector
 * @slot: from ps_fault_stream_begin()
 * @mm: the faulting address space, as given to ps_fault_stream_begin()
 * @next: address right after the pages the fault brought back
 * @around: how many pages it brought back beyond the faulting one
 *
 * The window may have been clipped (end of the mapping or of the page
 * table); the next fault of the stream is expected at @next.  Nothing
 * changes if another fault took the slot over meanwhile.
 *
 * Context: any context that may take spinlocks.
 */
void ps_fault_stream_end(struct ps_fault_streams *fs, unsigned int slot,
			 const void *mm, unsigned long next,
			 unsigned int around)
{
	if (slot >= PS_FAULT_STREAMS)
		return;
	spin_lock(&fs->lock);
	if (fs->s[slot].mm == mm) {
		fs->s[slot].next = next;
		fs->s[slot].around = around;
	}
	spin_unlock(&fs->lock);
}
EXPORT_SYMBOL_IF_KUNIT(ps_fault_stream_end);

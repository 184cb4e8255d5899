/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PS_POOL_H
#define PS_POOL_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>

/* Pages per chunk: one PMD (2 MiB with 4 KiB pages). */
#define PS_CHUNK_ORDER		9U
#define PS_CHUNK_PAGES		512U
static_assert(PS_CHUNK_PAGES == 1U << PS_CHUNK_ORDER);
#define PS_POOL_NONE		U32_MAX

/* Per-CPU cache of free page indices. */
#define PS_PCP_MAX		64
#define PS_PCP_BATCH		32

/**
 * struct ps_pool_chunk - one 2 MiB chunk of the pool
 * @node: on &ps_pool.partial or &ps_pool.free_chunks, or on no list while
 *	every page of the chunk is allocated or cached per CPU
 * @free_head: first page of the chunk's free stack (linked via
 *	&ps_pool.next), PS_POOL_NONE if empty
 * @nr_free: pages on the free stack
 * @nr_pages: pages in this chunk (PS_CHUNK_PAGES except maybe the last)
 */
struct ps_pool_chunk {
	struct list_head node;
	u32 free_head;
	u32 nr_free;
	u32 nr_pages;
};

/**
 * struct ps_pool_pcp - per-CPU page cache
 * @lock: protects @count and @idx; taken by its own CPU on every alloc and
 *	free, and by ps_pool_drain() from other CPUs (so it is almost never
 *	contended).  Nests outside &ps_pool.lock.
 * @count: cached indices
 * @idx: the cached free page indices
 */
struct ps_pool_pcp {
	spinlock_t lock;	/* protects count and idx; outside pool->lock */
	u32 count;
	u32 idx[PS_PCP_MAX];
};

/**
 * struct ps_pool - allocator of device pages, by index
 *
 * Pages are numbered 0..nr_pages-1 and grouped in 2 MiB chunks.  Single
 * pages come from per-CPU caches refilled in batches from the chunks,
 * preferring partly used chunks so that whole chunks stay free for 2 MiB
 * allocations; a chunk whose pages all come back returns to the free-chunk
 * list.  Every operation is O(1) (amortised over a batch).
 *
 * Locking: &ps_pool_pcp.lock (per CPU) nests outside @lock; @lru_lock is
 * independent and never held with the others.
 *
 * @lock: protects @chunks, @partial, @free_chunks and the free-stack links
 *	in @next
 * @partial: chunks with some but not all pages free
 * @free_chunks: chunks with every page free
 * @chunks: the chunks
 * @next: per page: next index on its chunk's free stack while free, next
 *	page on the LRU while resident (a page is never both)
 * @prev: per page: previous page on the LRU
 * @allocated: bitmap, bit set while the page is handed out (atomic bit
 *	operations; catches double frees without corrupting the lists)
 * @lru_lock: protects @lru_head, @lru_tail, @prev, @on_lru and the LRU use
 *	of @next
 * @lru_head: least recently added resident page, or PS_POOL_NONE
 * @lru_tail: most recently added resident page, or PS_POOL_NONE
 * @on_lru: bitmap, bit set while the page is on the LRU (under @lru_lock)
 * @nr_lru: pages on the LRU (under @lru_lock)
 * @used_chunks: bitmap, bit set once a page of the chunk has been handed
 *	out since ps_pool_init(), never cleared (atomic bit operations): the
 *	chunks that may hold someone's data, scrubbed at unbind
 * @pcp: per-CPU caches
 * @nr_pages: pages in the pool
 * @nr_chunks: chunks in the pool
 * @nr_free: free pages, exact (includes per-CPU cached pages)
 * @low_wmark: eviction starts when @nr_free falls below this
 * @high_wmark: eviction stops once @nr_free reaches this
 * @double_frees: frees of a page that was not allocated (refused)
 */
struct ps_pool {
	spinlock_t lock;	/* chunks, chunk lists, free-stack links */
	struct list_head partial;
	struct list_head free_chunks;
	struct ps_pool_chunk *chunks;
	u32 *next;
	u32 *prev;
	unsigned long *allocated;

	spinlock_t lru_lock;	/* the LRU list, prev, on_lru, nr_lru */
	u32 lru_head;
	u32 lru_tail;
	unsigned long *on_lru;
	u32 nr_lru;

	unsigned long *used_chunks;

	struct ps_pool_pcp __percpu *pcp;
	u32 nr_pages;
	u32 nr_chunks;
	atomic_long_t nr_free;
	u32 low_wmark;
	u32 high_wmark;
	atomic_long_t double_frees;
};

int ps_pool_init(struct ps_pool *pool, u32 nr_pages);
void ps_pool_destroy(struct ps_pool *pool);
int ps_pool_alloc(struct ps_pool *pool, u32 *idx);
void ps_pool_free(struct ps_pool *pool, u32 idx);
int ps_pool_alloc_chunk(struct ps_pool *pool, u32 *first);
void ps_pool_free_chunk(struct ps_pool *pool, u32 first);
void ps_pool_free_order(struct ps_pool *pool, u32 first, unsigned int order);
void ps_pool_drain(struct ps_pool *pool);
void ps_pool_lru_add(struct ps_pool *pool, u32 idx);
bool ps_pool_lru_del(struct ps_pool *pool, u32 idx);
bool ps_pool_lru_contains(struct ps_pool *pool, u32 idx);
u32 ps_pool_lru_pop(struct ps_pool *pool, u32 *out, u32 max);
bool ps_pool_lru_rotate(struct ps_pool *pool, u32 *idx);

/**
 * ps_pool_nr_free() - free pages in the pool
 * @pool: the pool
 *
 * Return: the exact number of pages an allocation could get.
 */
static inline unsigned long ps_pool_nr_free(struct ps_pool *pool)
{
	return atomic_long_read(&pool->nr_free);
}

/**
 * ps_pool_below_low() - whether eviction should start
 * @pool: the pool
 *
 * Return: true if free pages are under the low watermark.
 */
static inline bool ps_pool_below_low(struct ps_pool *pool)
{
	return ps_pool_nr_free(pool) < pool->low_wmark;
}

#endif /* PS_POOL_H */

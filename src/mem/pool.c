// SPDX-License-Identifier: GPL-2.0
/*
 * The VRAM page pool: an allocator of page indices with per-CPU caches,
 * 2 MiB chunks and an LRU of resident pages.  It knows nothing about struct
 * pages or the BAR, so it is tested directly by KUnit.
 */
#include <linux/bitmap.h>
#include <linux/bug.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <kunit/visibility.h>

#include <pseudoscopic/mem/pool.h>

static struct ps_pool_chunk *ps_chunk_of(struct ps_pool *pool, u32 idx)
{
	return &pool->chunks[idx / PS_CHUNK_PAGES];
}

/* Rebuild a chunk's free stack with all its pages.  Caller holds the lock
 * or owns the pool exclusively.
 */
static void ps_chunk_fill(struct ps_pool *pool, u32 c)
{
	struct ps_pool_chunk *chunk = &pool->chunks[c];
	u32 first = c * PS_CHUNK_PAGES;
	u32 i;

	for (i = 0; i < chunk->nr_pages; i++)
		pool->next[first + i] = i + 1 < chunk->nr_pages ?
					first + i + 1 : PS_POOL_NONE;
	chunk->free_head = first;
	chunk->nr_free = chunk->nr_pages;
}

/* Return one page to its chunk.  Caller holds pool->lock. */
static void ps_chunk_push(struct ps_pool *pool, u32 idx)
{
	struct ps_pool_chunk *chunk = ps_chunk_of(pool, idx);

	lockdep_assert_held(&pool->lock);
	pool->next[idx] = chunk->free_head;
	chunk->free_head = idx;
	if (chunk->nr_free++ == 0)
		list_add(&chunk->node, &pool->partial);
	/* Only a full-size chunk can serve a 2 MiB allocation. */
	if (chunk->nr_free == PS_CHUNK_PAGES)
		list_move_tail(&chunk->node, &pool->free_chunks);
}

/* Take up to @want pages from the chunks into @out, partly used chunks
 * first.  Caller holds pool->lock.  Returns the number taken.
 */
static u32 ps_chunks_take(struct ps_pool *pool, u32 *out, u32 want)
{
	struct ps_pool_chunk *chunk;
	u32 n = 0;

	lockdep_assert_held(&pool->lock);
	while (n < want) {
		chunk = list_first_entry_or_null(&pool->partial,
						 struct ps_pool_chunk, node);
		if (!chunk) {
			chunk = list_first_entry_or_null(&pool->free_chunks,
							 struct ps_pool_chunk,
							 node);
			if (!chunk)
				break;
			list_move(&chunk->node, &pool->partial);
		}
		while (n < want && chunk->nr_free) {
			u32 idx = chunk->free_head;

			chunk->free_head = pool->next[idx];
			chunk->nr_free--;
			out[n++] = idx;
		}
		if (!chunk->nr_free)
			list_del_init(&chunk->node);
	}
	return n;
}

/**
 * ps_pool_init() - set up an empty pool with every page free
 * @pool: the pool to initialise
 * @nr_pages: number of pages; at least one chunk
 *
 * Context: process context; may sleep.
 * Return: 0, -EINVAL for a size the allocator cannot index, or -ENOMEM.
 */
int ps_pool_init(struct ps_pool *pool, u32 nr_pages)
{
	u32 c;
	int cpu;

	if (nr_pages < PS_CHUNK_PAGES || nr_pages == PS_POOL_NONE)
		return -EINVAL;

	memset(pool, 0, sizeof(*pool));
	spin_lock_init(&pool->lock);
	spin_lock_init(&pool->lru_lock);
	INIT_LIST_HEAD(&pool->partial);
	INIT_LIST_HEAD(&pool->free_chunks);
	pool->nr_pages = nr_pages;
	pool->nr_chunks = DIV_ROUND_UP(nr_pages, PS_CHUNK_PAGES);
	pool->lru_head = PS_POOL_NONE;
	pool->lru_tail = PS_POOL_NONE;
	/* Eviction keeps roughly 3-6 % of the pool free, at least a chunk. */
	pool->low_wmark = max(nr_pages / 32, PS_CHUNK_PAGES / 2);
	pool->high_wmark = max(nr_pages / 16, PS_CHUNK_PAGES);

	pool->chunks = kvcalloc(pool->nr_chunks, sizeof(*pool->chunks),
				GFP_KERNEL);
	if (!pool->chunks)
		goto err;
	pool->next = kvmalloc_array(nr_pages, sizeof(u32), GFP_KERNEL);
	if (!pool->next)
		goto err;
	pool->prev = kvmalloc_array(nr_pages, sizeof(u32), GFP_KERNEL);
	if (!pool->prev)
		goto err;
	pool->allocated = kvcalloc(BITS_TO_LONGS(nr_pages),
				   sizeof(unsigned long), GFP_KERNEL);
	if (!pool->allocated)
		goto err;
	pool->on_lru = kvcalloc(BITS_TO_LONGS(nr_pages),
				sizeof(unsigned long), GFP_KERNEL);
	if (!pool->on_lru)
		goto err;
	pool->used_chunks = kvcalloc(BITS_TO_LONGS(pool->nr_chunks),
				     sizeof(unsigned long), GFP_KERNEL);
	if (!pool->used_chunks)
		goto err;
	pool->pcp = alloc_percpu(struct ps_pool_pcp);
	if (!pool->pcp)
		goto err;
	for_each_possible_cpu(cpu)
		spin_lock_init(&per_cpu_ptr(pool->pcp, cpu)->lock);

	for (c = 0; c < pool->nr_chunks; c++) {
		struct ps_pool_chunk *chunk = &pool->chunks[c];

		chunk->nr_pages = min(PS_CHUNK_PAGES,
				      nr_pages - c * PS_CHUNK_PAGES);
		ps_chunk_fill(pool, c);
		/* A short last chunk can never serve a 2 MiB allocation. */
		list_add_tail(&chunk->node,
			      chunk->nr_pages == PS_CHUNK_PAGES ?
			      &pool->free_chunks : &pool->partial);
	}
	atomic_long_set(&pool->nr_free, nr_pages);
	return 0;

err:
	ps_pool_destroy(pool);
	return -ENOMEM;
}
EXPORT_SYMBOL_IF_KUNIT(ps_pool_init);

/**
 * ps_pool_destroy() - free the pool's bookkeeping
 * @pool: the pool; may be partly initialised by a failed ps_pool_init()
 *
 * Warns if pages are still allocated: the caller must have taken every page
 * back (evicted) first.
 *
 * Context: process context; may sleep.
 */
void ps_pool_destroy(struct ps_pool *pool)
{
	if (pool->allocated)
		WARN(!bitmap_empty(pool->allocated, pool->nr_pages),
		     "pseudoscopic: pool destroyed with %u pages in use\n",
		     bitmap_weight(pool->allocated, pool->nr_pages));
	free_percpu(pool->pcp);
	kvfree(pool->used_chunks);
	kvfree(pool->on_lru);
	kvfree(pool->allocated);
	kvfree(pool->prev);
	kvfree(pool->next);
	kvfree(pool->chunks);
	memset(pool, 0, sizeof(*pool));
}
EXPORT_SYMBOL_IF_KUNIT(ps_pool_destroy);

/**
 * ps_pool_drain() - move every per-CPU cached page back to the chunks
 * @pool: the pool
 *
 * Needed before a 2 MiB allocation can use chunks whose pages sit in CPU
 * caches, and when one CPU runs dry while others hold free pages.
 *
 * Context: any context that may take spinlocks; must not hold a pcp lock.
 */
void ps_pool_drain(struct ps_pool *pool)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct ps_pool_pcp *pcp = per_cpu_ptr(pool->pcp, cpu);

		spin_lock(&pcp->lock);
		spin_lock(&pool->lock);
		while (pcp->count)
			ps_chunk_push(pool, pcp->idx[--pcp->count]);
		spin_unlock(&pool->lock);
		spin_unlock(&pcp->lock);
	}
}
EXPORT_SYMBOL_IF_KUNIT(ps_pool_drain);

static bool ps_pool_alloc_local(struct ps_pool *pool, u32 *idx)
{
	struct ps_pool_pcp *pcp;
	bool got = false;

	pcp = get_cpu_ptr(pool->pcp);
	spin_lock(&pcp->lock);
	if (!pcp->count) {
		spin_lock(&pool->lock);
		pcp->count = ps_chunks_take(pool, pcp->idx, PS_PCP_BATCH);
		spin_unlock(&pool->lock);
	}
	if (pcp->count) {
		*idx = pcp->idx[--pcp->count];
		got = true;
	}
	spin_unlock(&pcp->lock);
	put_cpu_ptr(pool->pcp);
	return got;
}

/* The chunk of @idx has been handed out since the pool was created. */
static void ps_pool_mark_used(struct ps_pool *pool, u32 idx)
{
	u32 c = idx / PS_CHUNK_PAGES;

	/* Read first: the bit is set once and then only read. */
	if (!test_bit(c, pool->used_chunks))
		set_bit(c, pool->used_chunks);
}

/**
 * ps_pool_alloc() - allocate one page
 * @pool: the pool
 * @idx: the page index, on success
 *
 * Context: any context that may take spinlocks.
 * Return: 0, or -ENOMEM if no page is free anywhere.
 */
int ps_pool_alloc(struct ps_pool *pool, u32 *idx)
{
	if (!ps_pool_alloc_local(pool, idx)) {
		/* Free pages may sit in other CPUs' caches. */
		if (!ps_pool_nr_free(pool))
			return -ENOMEM;
		ps_pool_drain(pool);
		if (!ps_pool_alloc_local(pool, idx))
			return -ENOMEM;
	}
	WARN_ON_ONCE(test_and_set_bit(*idx, pool->allocated));
	ps_pool_mark_used(pool, *idx);
	atomic_long_dec(&pool->nr_free);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ps_pool_alloc);

/* Clear the allocated bit; false (and a warning) if it was not set. */
static bool ps_pool_release_bit(struct ps_pool *pool, u32 idx)
{
	if (WARN_ONCE(idx >= pool->nr_pages,
		      "pseudoscopic: free of page %u outside the pool\n", idx))
		return false;
	if (!test_and_clear_bit(idx, pool->allocated)) {
		atomic_long_inc(&pool->double_frees);
		WARN_ONCE(1, "pseudoscopic: double free of pool page %u\n", idx);
		return false;
	}
	return true;
}

/**
 * ps_pool_free() - return one page
 * @pool: the pool
 * @idx: a page from ps_pool_alloc()
 *
 * A page that is not allocated is refused with a warning (double free):
 * the pool's lists stay intact.
 *
 * Context: any context that may take spinlocks.
 */
void ps_pool_free(struct ps_pool *pool, u32 idx)
{
	struct ps_pool_pcp *pcp;

	if (!ps_pool_release_bit(pool, idx))
		return;
	pcp = get_cpu_ptr(pool->pcp);
	spin_lock(&pcp->lock);
	if (pcp->count == PS_PCP_MAX) {
		spin_lock(&pool->lock);
		while (pcp->count > PS_PCP_MAX - PS_PCP_BATCH)
			ps_chunk_push(pool, pcp->idx[--pcp->count]);
		spin_unlock(&pool->lock);
	}
	pcp->idx[pcp->count++] = idx;
	spin_unlock(&pcp->lock);
	put_cpu_ptr(pool->pcp);
	atomic_long_inc(&pool->nr_free);
}
EXPORT_SYMBOL_IF_KUNIT(ps_pool_free);

static bool ps_pool_take_chunk(struct ps_pool *pool, u32 *first)
{
	struct ps_pool_chunk *chunk;

	spin_lock(&pool->lock);
	chunk = list_first_entry_or_null(&pool->free_chunks,
					 struct ps_pool_chunk, node);
	if (chunk) {
		list_del_init(&chunk->node);
		chunk->nr_free = 0;
		chunk->free_head = PS_POOL_NONE;
		*first = (chunk - pool->chunks) * PS_CHUNK_PAGES;
	}
	spin_unlock(&pool->lock);
	return chunk;
}

/**
 * ps_pool_alloc_chunk() - allocate 2 MiB of contiguous pages
 * @pool: the pool
 * @first: index of the first of PS_CHUNK_PAGES pages, on success
 *
 * Context: any context that may take spinlocks.
 * Return: 0, or -ENOMEM if no whole chunk is free.
 */
int ps_pool_alloc_chunk(struct ps_pool *pool, u32 *first)
{
	u32 i;

	if (!ps_pool_take_chunk(pool, first)) {
		if (ps_pool_nr_free(pool) < PS_CHUNK_PAGES)
			return -ENOMEM;
		ps_pool_drain(pool);
		if (!ps_pool_take_chunk(pool, first))
			return -ENOMEM;
	}
	for (i = 0; i < PS_CHUNK_PAGES; i++)
		WARN_ON_ONCE(test_and_set_bit(*first + i, pool->allocated));
	ps_pool_mark_used(pool, *first);
	atomic_long_sub(PS_CHUNK_PAGES, &pool->nr_free);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ps_pool_alloc_chunk);

/* Return @nr allocated pages from @first on, all in one chunk. */
static void ps_pool_free_range(struct ps_pool *pool, u32 first, u32 nr)
{
	u32 i, n = 0;

	spin_lock(&pool->lock);
	for (i = first; i < first + nr; i++) {
		if (ps_pool_release_bit(pool, i)) {
			ps_chunk_push(pool, i);
			n++;
		}
	}
	spin_unlock(&pool->lock);
	atomic_long_add(n, &pool->nr_free);
}

/**
 * ps_pool_free_chunk() - return pages from ps_pool_alloc_chunk()
 * @pool: the pool
 * @first: the first page index it returned
 *
 * Pages of the chunk already freed one by one (after a split) are skipped
 * with a double-free warning.
 *
 * Context: any context that may take spinlocks.
 */
void ps_pool_free_chunk(struct ps_pool *pool, u32 first)
{
	if (WARN_ONCE(first % PS_CHUNK_PAGES || first >= pool->nr_pages,
		      "pseudoscopic: bad chunk %u\n", first))
		return;
	ps_pool_free_range(pool, first, PS_CHUNK_PAGES);
}
EXPORT_SYMBOL_IF_KUNIT(ps_pool_free_chunk);

/**
 * ps_pool_free_order() - return a folio's pages
 * @pool: the pool
 * @first: index of the folio's first page
 * @order: the folio's order (a 2 MiB chunk split by the kernel leaves
 *	folios of any order below PS_CHUNK_ORDER)
 *
 * Context: any context that may take spinlocks.
 */
void ps_pool_free_order(struct ps_pool *pool, u32 first, unsigned int order)
{
	u32 nr = 1U << order;

	if (!order) {
		ps_pool_free(pool, first);
		return;
	}
	/* A folio is naturally aligned and never crosses its chunk. */
	if (WARN_ONCE(order > PS_CHUNK_ORDER || first % nr ||
		      first >= pool->nr_pages,
		      "pseudoscopic: bad order-%u folio at %u\n", order, first))
		return;
	ps_pool_free_range(pool, first, nr);
}
EXPORT_SYMBOL_IF_KUNIT(ps_pool_free_order);

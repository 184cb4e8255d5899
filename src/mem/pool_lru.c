// SPDX-License-Identifier: GPL-2.0
/*
 * The pool's LRU of resident pages: pages enter at the tail when data is
 * migrated into them and leave when they are freed (or pinned).  Eviction
 * looks at the least recently migrated ones from the head and moves each
 * to the tail as it does (ps_pool_lru_rotate()): a page that cannot move
 * at that moment (locked by a migration or a fault) stays evictable, and
 * one that does move leaves when it is freed.  Links are page indices in
 * the pool's next/prev arrays; see struct ps_pool for the locking rules.
 */
#include <linux/bitops.h>
#include <linux/bug.h>
#include <linux/spinlock.h>
#include <kunit/visibility.h>

#include <pseudoscopic/mem/pool.h>

static void ps_lru_unlink(struct ps_pool *pool, u32 idx)
{
	u32 prev = pool->prev[idx], next = pool->next[idx];

	lockdep_assert_held(&pool->lru_lock);
	if (prev == PS_POOL_NONE)
		pool->lru_head = next;
	else
		pool->next[prev] = next;
	if (next == PS_POOL_NONE)
		pool->lru_tail = prev;
	else
		pool->prev[next] = prev;
	__clear_bit(idx, pool->on_lru);
	pool->nr_lru--;
}

/**
 * ps_pool_lru_add() - put an allocated page at the young end of the LRU
 * @pool: the pool
 * @idx: an allocated page that is not on the LRU
 *
 * Context: any context that may take spinlocks.
 */
void ps_pool_lru_add(struct ps_pool *pool, u32 idx)
{
	if (WARN_ON_ONCE(idx >= pool->nr_pages ||
			 !test_bit(idx, pool->allocated)))
		return;
	spin_lock(&pool->lru_lock);
	if (!WARN_ON_ONCE(test_bit(idx, pool->on_lru))) {
		pool->prev[idx] = pool->lru_tail;
		pool->next[idx] = PS_POOL_NONE;
		if (pool->lru_tail == PS_POOL_NONE)
			pool->lru_head = idx;
		else
			pool->next[pool->lru_tail] = idx;
		pool->lru_tail = idx;
		__set_bit(idx, pool->on_lru);
		pool->nr_lru++;
	}
	spin_unlock(&pool->lru_lock);
}
EXPORT_SYMBOL_IF_KUNIT(ps_pool_lru_add);

/**
 * ps_pool_lru_del() - take a page off the LRU if it is on it
 * @pool: the pool
 * @idx: the page
 *
 * Context: any context that may take spinlocks.
 * Return: true if the page was on the LRU.
 */
bool ps_pool_lru_del(struct ps_pool *pool, u32 idx)
{
	bool was;

	if (idx >= pool->nr_pages)
		return false;
	spin_lock(&pool->lru_lock);
	was = test_bit(idx, pool->on_lru);
	if (was)
		ps_lru_unlink(pool, idx);
	spin_unlock(&pool->lru_lock);
	return was;
}
EXPORT_SYMBOL_IF_KUNIT(ps_pool_lru_del);

/**
 * ps_pool_lru_contains() - is a page on the LRU (evictable)?
 * @pool: the pool
 * @idx: the page
 *
 * Context: any context that may take spinlocks.
 * Return: true if it is, at the time of the call.
 */
bool ps_pool_lru_contains(struct ps_pool *pool, u32 idx)
{
	bool on;

	if (idx >= pool->nr_pages)
		return false;
	spin_lock(&pool->lru_lock);
	on = test_bit(idx, pool->on_lru);
	spin_unlock(&pool->lru_lock);
	return on;
}
EXPORT_SYMBOL_IF_KUNIT(ps_pool_lru_contains);

/**
 * ps_pool_lru_pop() - take the least recently added pages off the LRU
 * @pool: the pool
 * @out: receives up to @max page indices, oldest first
 * @max: capacity of @out
 *
 * The pages stay allocated; the caller (eviction) migrates their data back
 * to RAM, which frees them.
 *
 * Context: any context that may take spinlocks.
 * Return: the number of pages taken.
 */
u32 ps_pool_lru_pop(struct ps_pool *pool, u32 *out, u32 max)
{
	u32 n = 0;

	spin_lock(&pool->lru_lock);
	while (n < max && pool->lru_head != PS_POOL_NONE) {
		u32 idx = pool->lru_head;

		ps_lru_unlink(pool, idx);
		out[n++] = idx;
	}
	spin_unlock(&pool->lru_lock);
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(ps_pool_lru_pop);

/**
 * ps_pool_lru_rotate() - the least recently added page, moved to the tail
 * @pool: the pool
 * @idx: receives the page index
 *
 * The page stays on the LRU (at the young end): eviction tries to move
 * it, and if it cannot, it is still there to be tried again; if it can,
 * the page leaves the LRU when it is freed.  Nothing is ever lost from the
 * LRU this way, however the attempt ends.
 *
 * Context: any context that may take spinlocks.
 * Return: false if the LRU is empty.
 */
bool ps_pool_lru_rotate(struct ps_pool *pool, u32 *idx)
{
	u32 head;

	spin_lock(&pool->lru_lock);
	head = pool->lru_head;
	if (head != PS_POOL_NONE && head != pool->lru_tail) {
		ps_lru_unlink(pool, head);
		pool->prev[head] = pool->lru_tail;
		pool->next[head] = PS_POOL_NONE;
		pool->next[pool->lru_tail] = head;
		pool->lru_tail = head;
		__set_bit(head, pool->on_lru);
		pool->nr_lru++;
	}
	spin_unlock(&pool->lru_lock);
	*idx = head;
	return head != PS_POOL_NONE;
}
EXPORT_SYMBOL_IF_KUNIT(ps_pool_lru_rotate);

// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the VRAM page pool (src/mem/pool.c, src/mem/pool_lru.c).
 */
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/slab.h>

#include <pseudoscopic/mem/pool.h>

struct pool_fixture {
	struct ps_pool pool;
};

static int pool_test_init(struct kunit *test)
{
	struct pool_fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	test->priv = f;
	return 0;
}

static void pool_test_exit(struct kunit *test)
{
	struct pool_fixture *f = test->priv;

	if (f->pool.nr_pages)
		ps_pool_destroy(&f->pool);
}

static void pool_rejects_tiny(struct kunit *test)
{
	struct pool_fixture *f = test->priv;

	KUNIT_EXPECT_EQ(test, ps_pool_init(&f->pool, PS_CHUNK_PAGES - 1), -EINVAL);
}

/* Allocate every page, check each is handed out once, then exhaustion. */
static void pool_exhaust_and_refill(struct kunit *test)
{
	struct pool_fixture *f = test->priv;
	const u32 n = 3 * PS_CHUNK_PAGES + 77;	/* short last chunk */
	unsigned long *seen;
	u32 i, idx;

	KUNIT_ASSERT_EQ(test, ps_pool_init(&f->pool, n), 0);
	seen = kunit_kcalloc(test, BITS_TO_LONGS(n), sizeof(long), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, seen);
	for (i = 0; i < n; i++) {
		KUNIT_ASSERT_EQ(test, ps_pool_alloc(&f->pool, &idx), 0);
		KUNIT_ASSERT_LT(test, idx, n);
		KUNIT_ASSERT_FALSE_MSG(test, test_and_set_bit(idx, seen),
				       "page %u handed out twice", idx);
	}
	KUNIT_EXPECT_EQ(test, ps_pool_nr_free(&f->pool), 0UL);
	KUNIT_EXPECT_EQ(test, ps_pool_alloc(&f->pool, &idx), -ENOMEM);
	KUNIT_EXPECT_EQ(test, ps_pool_alloc_chunk(&f->pool, &idx), -ENOMEM);
	for (i = 0; i < n; i++)
		ps_pool_free(&f->pool, i);
	KUNIT_EXPECT_EQ(test, ps_pool_nr_free(&f->pool), (unsigned long)n);
	/* All three whole chunks are whole again. */
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, ps_pool_alloc_chunk(&f->pool, &idx), 0);
	KUNIT_EXPECT_EQ(test, ps_pool_alloc_chunk(&f->pool, &idx), -ENOMEM);
	for (i = 0; i < 3; i++)
		ps_pool_free_chunk(&f->pool, i * PS_CHUNK_PAGES);
	KUNIT_EXPECT_EQ(test, ps_pool_nr_free(&f->pool), (unsigned long)n);
}

/* A double free is refused with a warning and changes no count. */
static void pool_double_free(struct kunit *test)
{
	struct pool_fixture *f = test->priv;
	u32 a, b;

	KUNIT_ASSERT_EQ(test, ps_pool_init(&f->pool, PS_CHUNK_PAGES), 0);
	KUNIT_ASSERT_EQ(test, ps_pool_alloc(&f->pool, &a), 0);
	ps_pool_free(&f->pool, a);
	kunit_info(test, "expecting one 'double free' warning\n");
	ps_pool_free(&f->pool, a);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&f->pool.double_frees), 1L);
	KUNIT_EXPECT_EQ(test, ps_pool_nr_free(&f->pool), (unsigned long)PS_CHUNK_PAGES);
	/* The lists are intact: the page is handed out once, not twice. */
	KUNIT_ASSERT_EQ(test, ps_pool_alloc_chunk(&f->pool, &b), 0);
	KUNIT_EXPECT_EQ(test, ps_pool_alloc(&f->pool, &a), -ENOMEM);
	ps_pool_free_chunk(&f->pool, b);
}

/* Single pages fill partly used chunks first, so whole chunks survive. */
static void pool_fragmentation(struct kunit *test)
{
	struct pool_fixture *f = test->priv;
	const u32 n = 4 * PS_CHUNK_PAGES;
	u32 i, idx, *got;

	KUNIT_ASSERT_EQ(test, ps_pool_init(&f->pool, n), 0);
	got = kunit_kcalloc(test, n, sizeof(u32), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, got);
	for (i = 0; i < n; i++)
		KUNIT_ASSERT_EQ(test, ps_pool_alloc(&f->pool, &got[i]), 0);
	/* Free every other page: half the pool free, no whole chunk. */
	for (i = 0; i < n; i += 2)
		ps_pool_free(&f->pool, got[i]);
	KUNIT_EXPECT_EQ(test, ps_pool_nr_free(&f->pool), (unsigned long)n / 2);
	KUNIT_EXPECT_EQ(test, ps_pool_alloc_chunk(&f->pool, &idx), -ENOMEM);
	/* Reallocating n/2 singles must not need a new chunk... */
	for (i = 0; i < n; i += 2)
		KUNIT_ASSERT_EQ(test, ps_pool_alloc(&f->pool, &got[i]), 0);
	/* ...and once everything is back, every chunk is whole again. */
	for (i = 0; i < n; i++)
		ps_pool_free(&f->pool, got[i]);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, ps_pool_alloc_chunk(&f->pool, &got[i]), 0);
	for (i = 0; i < 4; i++)
		ps_pool_free_chunk(&f->pool, got[i]);
}

static void pool_lru_order(struct kunit *test)
{
	struct pool_fixture *f = test->priv;
	u32 p[4], out[8], n, i;

	KUNIT_ASSERT_EQ(test, ps_pool_init(&f->pool, PS_CHUNK_PAGES), 0);
	for (i = 0; i < 4; i++) {
		KUNIT_ASSERT_EQ(test, ps_pool_alloc(&f->pool, &p[i]), 0);
		ps_pool_lru_add(&f->pool, p[i]);
	}
	KUNIT_EXPECT_TRUE(test, ps_pool_lru_contains(&f->pool, p[1]));
	KUNIT_EXPECT_TRUE(test, ps_pool_lru_del(&f->pool, p[1]));
	KUNIT_EXPECT_FALSE(test, ps_pool_lru_del(&f->pool, p[1]));
	KUNIT_EXPECT_FALSE(test, ps_pool_lru_contains(&f->pool, p[1]));
	KUNIT_EXPECT_FALSE(test, ps_pool_lru_contains(&f->pool,
						      f->pool.nr_pages));
	n = ps_pool_lru_pop(&f->pool, out, 2);
	KUNIT_ASSERT_EQ(test, n, 2U);
	KUNIT_EXPECT_EQ(test, out[0], p[0]);
	KUNIT_EXPECT_EQ(test, out[1], p[2]);
	ps_pool_lru_add(&f->pool, p[0]);	/* re-migrated: now youngest */
	n = ps_pool_lru_pop(&f->pool, out, 8);
	KUNIT_ASSERT_EQ(test, n, 2U);
	KUNIT_EXPECT_EQ(test, out[0], p[3]);
	KUNIT_EXPECT_EQ(test, out[1], p[0]);
	KUNIT_EXPECT_EQ(test, f->pool.nr_lru, 0U);
	for (i = 0; i < 4; i++)
		ps_pool_free(&f->pool, p[i]);
}

/*
 * Eviction rotates: the page it looks at goes to the young end and stays
 * on the LRU whether or not it moves; only its free takes it off.
 */
static void pool_lru_rotate(struct kunit *test)
{
	struct pool_fixture *f = test->priv;
	u32 p[3], idx, out[4], i;

	KUNIT_ASSERT_EQ(test, ps_pool_init(&f->pool, PS_CHUNK_PAGES), 0);
	KUNIT_EXPECT_FALSE(test, ps_pool_lru_rotate(&f->pool, &idx));
	for (i = 0; i < 3; i++) {
		KUNIT_ASSERT_EQ(test, ps_pool_alloc(&f->pool, &p[i]), 0);
		ps_pool_lru_add(&f->pool, p[i]);
	}
	KUNIT_ASSERT_TRUE(test, ps_pool_lru_rotate(&f->pool, &idx));
	KUNIT_EXPECT_EQ(test, idx, p[0]);
	KUNIT_ASSERT_TRUE(test, ps_pool_lru_rotate(&f->pool, &idx));
	KUNIT_EXPECT_EQ(test, idx, p[1]);
	KUNIT_EXPECT_EQ(test, f->pool.nr_lru, 3U);
	KUNIT_EXPECT_TRUE(test, ps_pool_lru_contains(&f->pool, p[0]));
	/* p[1] moved and was freed: it leaves; the others keep their order. */
	KUNIT_EXPECT_TRUE(test, ps_pool_lru_del(&f->pool, p[1]));
	KUNIT_ASSERT_EQ(test, ps_pool_lru_pop(&f->pool, out, 4), 2U);
	KUNIT_EXPECT_EQ(test, out[0], p[2]);
	KUNIT_EXPECT_EQ(test, out[1], p[0]);
	/* A single entry rotates onto itself. */
	ps_pool_lru_add(&f->pool, p[2]);
	KUNIT_ASSERT_TRUE(test, ps_pool_lru_rotate(&f->pool, &idx));
	KUNIT_EXPECT_EQ(test, idx, p[2]);
	KUNIT_EXPECT_TRUE(test, ps_pool_lru_del(&f->pool, p[2]));
	KUNIT_EXPECT_EQ(test, f->pool.nr_lru, 0U);
	KUNIT_EXPECT_FALSE(test, ps_pool_lru_rotate(&f->pool, &idx));
	for (i = 0; i < 3; i++)
		ps_pool_free(&f->pool, p[i]);
}

/* Concurrency: threads allocate and free; a page must never be owned by
 * two threads at once, and every page comes back.
 */
#define POOL_THREADS	4
#define POOL_HOLD	200

struct pool_worker {
	struct ps_pool *pool;
	atomic_t *owner;
	struct completion done;
	int id;
	unsigned long ops;
	unsigned long conflicts;
	unsigned long failures;
	ktime_t until;
};

static int pool_worker_fn(void *arg)
{
	struct pool_worker *w = arg;
	u32 held[POOL_HOLD];
	int i, n;

	while (ktime_before(ktime_get(), w->until)) {
		for (n = 0; n < POOL_HOLD; n++) {
			if (ps_pool_alloc(w->pool, &held[n])) {
				w->failures++;
				break;
			}
			if (atomic_cmpxchg(&w->owner[held[n]], -1, w->id) != -1)
				w->conflicts++;
		}
		for (i = 0; i < n; i++) {
			if (atomic_cmpxchg(&w->owner[held[i]], w->id, -1) != w->id)
				w->conflicts++;
			ps_pool_free(w->pool, held[i]);
		}
		w->ops += 2 * n;
		cond_resched();
	}
	complete(&w->done);
	return 0;
}

static void pool_concurrent(struct kunit *test)
{
	struct pool_fixture *f = test->priv;
	/* Enough pages for everyone, with pressure on the per-CPU caches. */
	const u32 n = 2 * PS_CHUNK_PAGES;
	struct pool_worker *w;
	unsigned long ops = 0;
	atomic_t *owner;
	ktime_t start;
	u32 i, c0 = 0, c1 = 0;
	s64 ms;

	KUNIT_ASSERT_EQ(test, ps_pool_init(&f->pool, n), 0);
	owner = kunit_kcalloc(test, n, sizeof(*owner), GFP_KERNEL);
	w = kunit_kcalloc(test, POOL_THREADS, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, owner);
	KUNIT_ASSERT_NOT_NULL(test, w);
	for (i = 0; i < n; i++)
		atomic_set(&owner[i], -1);
	start = ktime_get();
	for (i = 0; i < POOL_THREADS; i++) {
		struct task_struct *t;

		w[i].pool = &f->pool;
		w[i].owner = owner;
		w[i].id = i;
		w[i].until = ktime_add_ms(start, 300);
		init_completion(&w[i].done);
		t = kthread_run(pool_worker_fn, &w[i], "ps_pool_test/%u", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	}
	for (i = 0; i < POOL_THREADS; i++) {
		wait_for_completion(&w[i].done);
		KUNIT_EXPECT_EQ(test, w[i].conflicts, 0UL);
		KUNIT_EXPECT_EQ(test, w[i].failures, 0UL);
		ops += w[i].ops;
	}
	ms = ktime_ms_delta(ktime_get(), start);
	KUNIT_EXPECT_GT(test, ops, 0UL);
	KUNIT_EXPECT_EQ(test, ps_pool_nr_free(&f->pool), (unsigned long)n);
	kunit_info(test, "%d threads: %lu alloc+free ops in %lld ms (%lld ops/s)\n",
		   POOL_THREADS, ops, ms, ms ? (s64)ops * 1000 / ms : 0);
	/* Every chunk is whole again (pages in CPU caches get drained). */
	KUNIT_EXPECT_EQ(test, ps_pool_alloc_chunk(&f->pool, &c0), 0);
	KUNIT_EXPECT_EQ(test, ps_pool_alloc_chunk(&f->pool, &c1), 0);
	ps_pool_free_chunk(&f->pool, c0);
	ps_pool_free_chunk(&f->pool, c1);
}

/* The chunks ever handed out: what unbind scrubs. */
static void pool_used_chunks(struct kunit *test)
{
	struct pool_fixture *f = test->priv;
	u32 idx, first;

	KUNIT_ASSERT_EQ(test, ps_pool_init(&f->pool, 4 * PS_CHUNK_PAGES), 0);
	KUNIT_EXPECT_TRUE(test, bitmap_empty(f->pool.used_chunks, 4));
	KUNIT_ASSERT_EQ(test, ps_pool_alloc(&f->pool, &idx), 0);
	KUNIT_ASSERT_EQ(test, ps_pool_alloc_chunk(&f->pool, &first), 0);
	KUNIT_EXPECT_NE(test, idx / PS_CHUNK_PAGES, first / PS_CHUNK_PAGES);
	KUNIT_EXPECT_EQ(test, bitmap_weight(f->pool.used_chunks, 4), 2U);
	KUNIT_EXPECT_TRUE(test, test_bit(idx / PS_CHUNK_PAGES,
					 f->pool.used_chunks));
	KUNIT_EXPECT_TRUE(test, test_bit(first / PS_CHUNK_PAGES,
					 f->pool.used_chunks));
	/* Freed pages leave their chunks marked: the data is still there. */
	ps_pool_free(&f->pool, idx);
	ps_pool_free_chunk(&f->pool, first);
	KUNIT_EXPECT_EQ(test, bitmap_weight(f->pool.used_chunks, 4), 2U);
}

/*
 * A 2 MiB chunk the kernel split into folios of several orders: each
 * folio's free returns exactly its own pages, wherever it sits.
 */
static void pool_free_order(struct kunit *test)
{
	static const unsigned int orders[] = { 4, 4, 5, 6, 7, 8 };
	struct pool_fixture *f = test->priv;
	unsigned long before;
	u32 first, again, at;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, ps_pool_init(&f->pool, 2 * PS_CHUNK_PAGES), 0);
	KUNIT_ASSERT_EQ(test, ps_pool_alloc_chunk(&f->pool, &first), 0);
	at = first;
	for (i = 0; i < ARRAY_SIZE(orders); i++) {
		before = ps_pool_nr_free(&f->pool);
		ps_pool_free_order(&f->pool, at, orders[i]);
		KUNIT_EXPECT_EQ_MSG(test, ps_pool_nr_free(&f->pool) - before,
				    1UL << orders[i],
				    "order-%u folio at page %u of the chunk",
				    orders[i], at - first);
		at += 1U << orders[i];
	}
	KUNIT_EXPECT_EQ(test, at - first, (u32)PS_CHUNK_PAGES);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&f->pool.double_frees), 0L);
	/* The pieces make the whole chunk again. */
	KUNIT_ASSERT_EQ(test, ps_pool_alloc_chunk(&f->pool, &first), 0);
	KUNIT_ASSERT_EQ(test, ps_pool_alloc_chunk(&f->pool, &again), 0);
	ps_pool_free_chunk(&f->pool, first);
	ps_pool_free_chunk(&f->pool, again);
}

static struct kunit_case pool_cases[] = {
	KUNIT_CASE(pool_rejects_tiny),
	KUNIT_CASE(pool_exhaust_and_refill),
	KUNIT_CASE(pool_double_free),
	KUNIT_CASE(pool_fragmentation),
	KUNIT_CASE(pool_lru_order),
	KUNIT_CASE(pool_lru_rotate),
	KUNIT_CASE(pool_used_chunks),
	KUNIT_CASE(pool_free_order),
	KUNIT_CASE_SLOW(pool_concurrent),
	{ }
};

static struct kunit_suite pool_suite = {
	.name = "pseudoscopic_pool",
	.init = pool_test_init,
	.exit = pool_test_exit,
	.test_cases = pool_cases,
};

kunit_test_suite(pool_suite);

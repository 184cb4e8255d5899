/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PS_SELFTEST_H
#define PS_SELFTEST_H

#include <linux/types.h>

/**
 * struct ps_mem_ops - 64-bit access to the memory under test
 * @read: read the word at byte offset @off
 * @write: write @val at byte offset @off
 *
 * The probe passes accessors over the BAR mapping; KUnit passes RAM that
 * can be made to alias or to hold stuck bits.
 */
struct ps_mem_ops {
	u64 (*read)(void *ctx, u64 off);
	void (*write)(void *ctx, u64 off, u64 val);
};

/**
 * struct ps_selftest_result - what the self-test found
 * @checked: words written and read back
 * @bad_offset: first failing offset, valid when the test failed
 * @expected: value written there
 * @found: value read back
 * @aliasing: the failure is an address alias (a write at one offset showed
 *	up at another), not a data error
 */
struct ps_selftest_result {
	u64 checked;
	u64 bad_offset;
	u64 expected;
	u64 found;
	bool aliasing;
};

/* Pattern positions sampled across the pool. */
#define PS_SELFTEST_SAMPLES	256

int ps_selftest_run(const struct ps_mem_ops *ops, void *ctx, u64 len,
		    struct ps_selftest_result *res);

#endif /* PS_SELFTEST_H */

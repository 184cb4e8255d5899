// SPDX-License-Identifier: GPL-2.0
/*
 * ps_planted_kunit.ko: a KUnit suite with one case that fails a
 * two-operand expectation, for the harness self-test (tests/harness/).
 * KUnit prints the operands indented below the failure, the layout a
 * hand-written KTAP reader once mistook for a parent test.
 */
#include <kunit/test.h>
#include <linux/module.h>

static void planted_pass_before(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 1, 1);
}

static void planted_expect_eq_fails(struct kunit *test)
{
	int x = 2;

	OPTIMIZER_HIDE_VAR(x);
	KUNIT_EXPECT_EQ(test, x, 1);
}

static void planted_pass_after(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 2, 2);
}

static struct kunit_case ps_planted_cases[] = {
	KUNIT_CASE(planted_pass_before),
	KUNIT_CASE(planted_expect_eq_fails),
	KUNIT_CASE(planted_pass_after),
	{}
};

static struct kunit_suite ps_planted_suite = {
	.name = "ps_planted",
	.test_cases = ps_planted_cases,
};

kunit_test_suites(&ps_planted_suite);

MODULE_DESCRIPTION("A KUnit failure planted for the pseudoscopic harness self-test");
MODULE_LICENSE("GPL");

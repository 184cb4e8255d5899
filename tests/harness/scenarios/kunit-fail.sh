# SPDX-License-Identifier: GPL-2.0
# results: 2
# kunit: harness/planted.kunit
# expect-verdict: ^not ok - kunit-fail: kunit ps_planted: planted_expect_eq_fails \(FAILURE\)$
# expect-verdict: ^ok - kunit-fail: kunit ps_planted: planted_pass_after$
# expect-verdict: ^not ok - kunit-fail: kunit ps_planted_absent: never_runs missing \(suite did not run
# Planted: a KUnit case fails a two-operand expectation (its operands are
# printed indented below it), and the manifest declares a suite that the
# module does not have.
. /ps/lib.sh

insmod /ps/ps_planted_kunit.ko; check "insmod ps_planted_kunit.ko"
kunit_send ps_planted; check "KUnit results present in debugfs"
done_testing

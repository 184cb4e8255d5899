# SPDX-License-Identifier: GPL-2.0
# results: 2
# expect-verdict: ^not ok - panic: guest ran to completion \(kernel panic \(ps_planted: planted panic\)\)$
# expect-verdict: ^not ok - panic: result 2 of 2 missing \(kernel panic
# expect-verdict: ^ok - panic: a result before the panic$
# Planted: the kernel panics after the first of two results (QEMU runs
# with -no-reboot, so it exits 0 as if nothing happened).
. /ps/lib.sh

true; check "a result before the panic"
insmod /ps/ps_planted.ko plant=panic; check "not reached"
done_testing

# SPDX-License-Identifier: GPL-2.0
# results: 7
# vram: 64M
# timeout: 900
# Reference: the kernel's own HMM selftest (hmm-tests) against its test
# driver (test_hmm.ko, system memory posing as device memory) in the same
# VM, next to our suite on emulated VRAM.  hmm-tests' individual results
# are the reference driver's, not ours: they are recorded, not counted.
. /ps/lib.sh

rel=$(uname -r)
case "$rel" in
*-debug)
	# The debug kernel's own test_hmm fails there (a BUG in
	# dmirror_device_evict_chunk when it unloads, then it stays loaded),
	# and hmm-tests outlasts the timeout under KASAN: the reference runs
	# on the plain kernels only.  Our suite below still runs.
	why="reference-on-debug: the kernel's test_hmm BUGs at unload under KASAN"
	for t in "test_hmm.ko loaded (reference driver)" "/dev/hmm_dmirror0 present" \
		"hmm-tests ran to completion" "test_hmm unloaded"; do
		skip "$t" "$why"
	done
	;;
*)
	hmm=$(find /lib/modules/$rel -name 'test_hmm.ko*' | head -n1)
	[ -n "$hmm" ] && insmod "$hmm"; check "test_hmm.ko loaded (reference driver)"
	[ -c /dev/hmm_dmirror0 ]; check "/dev/hmm_dmirror0 present"
	# The THP benchmark alone takes minutes under TCG: left out here.
	hmm-tests -T benchmark_thp_migration > /tmp/hmm.out 2>&1
	rc=$?
	totals=$(grep -E '^# Totals:' /tmp/hmm.out | tail -n1)
	[ -n "$totals" ]; check "hmm-tests ran to completion (status $rc)"
	diag "reference hmm-tests on $rel: $totals"
	grep -E '^(not ok|ok) .*' /tmp/hmm.out | grep -E '^not ok' | sed 's/^/reference failure: /' |
		while read -r l; do diag "$l"; done
	rmmod test_hmm; check "test_hmm unloaded"
	;;
esac

load_module && bind_new_id; check "pseudoscopic loaded and bound"
migrate-test /dev/pseudoscopic0 all > /tmp/ours.out
rc=$?
ours=$(grep -c '^ok ' /tmp/ours.out); bad=$(grep -c '^not ok ' /tmp/ours.out)
# Its exit status counts (a crash or an early exit leaves no "not ok"), and
# so does its closing count: every test it planned reported.
planned=$(sed -n 's/^# \([0-9]*\) tests, [0-9]* failed$/\1/p' /tmp/ours.out)
[ "$rc" = 0 ] && [ "$bad" = 0 ] && [ -n "$planned" ] && [ "$ours" = "$planned" ]
check "our suite in the same VM: status $rc, $ours passed, $bad failed, ${planned:-no} tests reported"
diag "pseudoscopic migrate-test on $rel: pass:$ours fail:$bad"
unload_module; check "rmmod"
done_testing

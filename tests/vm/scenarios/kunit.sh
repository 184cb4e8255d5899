# SPDX-License-Identifier: GPL-2.0
# vram: 64M
# expect-warning: ps_pool_release_bit
# Run pseudoscopic's KUnit suites and hand their KTAP to the host, which
# parses it (tests/lib/tapsum.py counts every test case).
. /ps/lib.sh

load_module; check "insmod pseudoscopic.ko"
insmod /ps/pseudoscopic_kunit.ko; check "insmod pseudoscopic_kunit.ko (suites run at load)"
found=0
for d in /sys/kernel/debug/kunit/pseudoscopic_*; do
	[ -f "$d/results" ] || continue
	found=1
	tap "# ktap-begin $(basename "$d")"
	cat "$d/results" >&3
	tap "# ktap-end"
done
[ $found = 1 ]; check "KUnit results present in debugfs"
rmmod pseudoscopic_kunit && unload_module; check "unload test and driver modules"
done_testing

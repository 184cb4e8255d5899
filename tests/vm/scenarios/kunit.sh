# SPDX-License-Identifier: GPL-2.0
# vram: 64M
# expect-warning: ps_pool_release_bit
# Run pseudoscopic's KUnit suites and hand their KTAP to the host, which
# parses it (tests/lib/tapsum.py counts every test case).
. /ps/lib.sh

load_module; check "insmod pseudoscopic.ko"
# A bound device lets pseudoscopic_copy_wc run the copy routines through
# the real write-combined BAR mapping (on a borrowed, free pool chunk).
bind_new_id && bound_to_us "$(ivshmem_devices | head -n1)"; check "emulated VRAM bound"
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

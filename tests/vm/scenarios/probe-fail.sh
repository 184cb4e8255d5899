# SPDX-License-Identifier: GPL-2.0
# results: 13
# vram: 64M
# timeout: 300
# A probe that fails after /dev/pseudoscopicN appeared (issue 12 item 12),
# injected with the test-only test_probe_fail_ms: a fast opener has moved
# pages into the pool by then.  The unwinding brings them home and returns
# without waiting for the opener to unmap them (the pagemap's teardown
# would wait for every page forever); the opener's data is intact.
. /ps/lib.sh

dev=$(ivshmem_devices | head -n1)
load_module test_probe_fail_ms=4000; check "load with test_probe_fail_ms=4000"
probe-race /dev/pseudoscopic0 2048 31 > /tmp/pr.out 2>&1 &
pid=$!
dmesg_mark
bind_new_id &
bpid=$!
wait_for /tmp/pr.out "^# ready" 300; check "an opener moved pages in while the probe ran"
i=0
while kill -0 $bpid 2>/dev/null && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
! kill -0 $bpid 2>/dev/null; check "the failed probe returned within 20 s, the opener still mapping its pages"
dmesg_new | grep -q "test_probe_fail_ms=4000: this probe fails"; check "the probe failed where injected"
! bound_to_us "$dev"; check "the device is not bound"
kill -USR1 $pid; wait $pid; check "the opener finds its data at home"
import_tap probe-race /tmp/pr.out
wait $bpid
unload_module; check "rmmod"
load_module && bind_new_id && bound_to_us "$dev"; check "without the parameter the device binds"
uapi-example /dev/pseudoscopic0 > /dev/null; check "and migrates"
unload_module; check "rmmod again"
done_testing

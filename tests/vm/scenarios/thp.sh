# SPDX-License-Identifier: GPL-2.0
# results: 6.12=55 7.3=58
# vram: 64M
# timeout: 400
# Transparent huge pages: where the kernel supports device-private THP a
# 2 MiB THP moves as one compound device folio and comes back as one THP
# (fault, request, eviction, teardown); elsewhere it is split.  Every byte
# survives partial munmap, mprotect, fork, eviction and unbind.
. /ps/lib.sh

dev=$(ivshmem_devices | head -n1)
a=/sys/bus/pci/devices/$dev/pseudoscopic
echo always > /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null
load_module && bind_new_id; check "load and bind"
subtests thp-test thp-test /dev/pseudoscopic0 all; check "thp-test suite (see the lines above)"
[ "$(cat $a/free_pages)" = "$(cat $a/pool_pages)" ]; check "pool fully free after the suite"

# Teardown with THPs resident: unbind evicts them (as THPs where possible).
thp-test /dev/pseudoscopic0 hold 4 61 > /tmp/hold.out &
pid=$!
i=0
while ! grep -q '^# ready' /tmp/hold.out && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
dmesg_mark
unbind "$dev"; check "unbind with 4 THPs resident"
dmesg_new | grep -q "$dev: evicted 2048 pages to RAM"; check "unbind evicted all 2048 pages"
kill -USR1 $pid; wait $pid; check "holder exits cleanly"
import_tap hold /tmp/hold.out
unload_module; check "rmmod"

# A pool of two chunks and three THPs: eviction makes room.
load_module pool_size_mb=4 && bind_override "$dev"; check "bind with a 4 MiB pool"
subtests thp-test thp-test /dev/pseudoscopic0 pressure 3 71; check "three THPs through a two-THP pool"
unload_module; check "rmmod"
load_module device_thp=0 && { [ -e $a ] || bind_override "$dev"; }; check "device_thp=0 (driver_override binds it at load)"
subtests thp-test thp-test /dev/pseudoscopic0 all; check "thp-test with THPs split"
unload_module; check "rmmod"
done_testing

# SPDX-License-Identifier: GPL-2.0
# results: 8
# vram: 64M
# timeout: 400
# Teardown with device THPs resident and no 2 MiB of RAM to bring them
# home in (debugfs inject_thp_fail makes every such allocation fail, as
# fragmented memory would: a real fragmentation of the guest's RAM is not
# reproducible in the VM).  Unbind must not wait for 2 MiB forever holding
# the folio locked: it has the kernel split each folio through the mapping
# it came from and moves its pages one by one, every byte intact.  On
# kernels without device-private THP (6.12) the THPs were split when they
# moved to VRAM, and the same checks hold with nothing to split.
. /ps/lib.sh

dev=$(ivshmem_devices | head -n1)
F=/sys/kernel/debug/pseudoscopic/inject_thp_fail
echo always > /sys/kernel/mm/transparent_hugepage/enabled
dmesg_mark
load_module && bind_new_id; check "load and bind"
if dmesg_new | grep -q "device-private THP available"; then thps=2; else thps=0; fi
diag "device THPs to split at teardown: $thps"

thp-test /dev/pseudoscopic0 hold 2 81 > /tmp/hold.out &
pid=$!
wait_for /tmp/hold.out '^# ready' && grep -q '^ok .*hold: 2 THPs in VRAM' /tmp/hold.out
check "2 THPs resident"
echo 1000000 > $F; check "no 2 MiB of RAM for them from now on (inject_thp_fail)"

dmesg_mark
start=$(date +%s)
unbind "$dev" &
u=$!
i=0
while kill -0 "$u" 2>/dev/null && [ $i -lt 1200 ]; do sleep 0.1; i=$((i + 1)); done
! kill -0 "$u" 2>/dev/null; check "unbind completes ($(($(date +%s) - start)) s)"
dmesg_new > /tmp/log
while read -r l; do diag "$l"; done < /tmp/log
[ "$(grep -c "$dev: no 2 MiB of RAM for the device THP at page [0-9]*: split it, its pages move one by one" /tmp/log)" = "$thps" ]
check "each device THP split through its mapping ($thps)"
grep -q "$dev: evicted 1024 pages to RAM" /tmp/log; check "every page came home (1024)"
kill -USR1 "$pid"; wait "$pid"
grep -q '^ok .*hold: all 2 THPs intact after unbind' /tmp/hold.out; check "every byte of the 2 THPs intact"
echo 0 > $F && unload_module; check "rmmod"
done_testing

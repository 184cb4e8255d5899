# SPDX-License-Identifier: GPL-2.0
# results: 15
# vram: 64M
# System sleep with pages in VRAM (Documentation/design.md, "System
# sleep"): the device callbacks run for real under pm_test=devices
# (suspend, then the freeze of a hibernation snapshot).  Every page goes
# home to RAM before the devices sleep and its data is intact after
# resume; sleep is refused while /dev/psblk0 is open; migrations work
# again after resume.
. /ps/lib.sh

dev=$(ivshmem_devices | head -n1)
a=/sys/bus/pci/devices/$dev/pseudoscopic
[ -w /sys/power/pm_test ] && grep -qw freeze /sys/power/state
check "the kernel can test system sleep (pm_test, s2idle)"
load_module blkdev_mb=8 && bind_new_id && [ -b /dev/psblk0 ]; check "load and bind with a block device"
migrate-test /dev/pseudoscopic0 hold 300 5151 > /tmp/hold.out 2>&1 &
pid=$!
i=0
while ! grep -q '^# ready' /tmp/hold.out && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
[ "$(cat $a/free_pages)" -le "$(($(cat $a/pool_pages) - 300))" ]; check "300 pages in VRAM before sleep"
echo devices > /sys/power/pm_test

# Refused while the block device is open: its contents cannot be moved.
exec 4</dev/psblk0
dmesg_mark
! echo freeze > /sys/power/state 2>/dev/null; check "suspend refused while /dev/psblk0 is open"
dmesg_new | grep -q "psblk0 is open"; check "the refusal names /dev/psblk0"
exec 4<&-

dmesg_mark
echo freeze > /sys/power/state; check "suspend with pages in VRAM completes (pm_test=devices)"
dmesg_new | grep -q "pool empty for system sleep"; check "the pool was emptied before the devices slept"
[ "$(cat $a/free_pages)" = "$(cat $a/pool_pages)" ]; check "no page is in VRAM after resume"
kill -USR1 "$pid"; wait "$pid"
import_tap hold /tmp/hold.out
subtests after-resume migrate-test /dev/pseudoscopic0 cycles 5

# The freeze before a hibernation snapshot takes the same path.
migrate-test /dev/pseudoscopic0 hold 100 5252 > /tmp/hold2.out 2>&1 &
pid=$!
i=0
while ! grep -q '^# ready' /tmp/hold2.out && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
dmesg_mark
echo disk > /sys/power/state; check "hibernation snapshot with pages in VRAM completes (pm_test=devices)"
dmesg_new | grep -q "pool empty for system sleep"; check "the pool was emptied before the snapshot"
kill -USR1 "$pid"; wait "$pid"
grep -q '^ok .*all 100 pages intact' /tmp/hold2.out; check "100 pages intact after the hibernation freeze and thaw"
echo none > /sys/power/pm_test
done_testing

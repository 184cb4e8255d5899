# SPDX-License-Identifier: GPL-2.0
# results: 27
# vram: 64M
# timeout: 300
# A device that is gone before its pages could come home (surprise removal,
# fatal PCI error; injected through debugfs since emulated hardware cannot
# vanish on demand): resident pages raise SIGBUS, never stale or zero data;
# unbind does not copy; the module stays loaded while the pages are mapped
# and the device is released when the last one is unmapped.
. /ps/lib.sh

dev=$(ivshmem_devices | head -n1)
a=/sys/bus/pci/devices/$dev/pseudoscopic
load_module && bind_new_id; check "load and bind"
lost-test /dev/pseudoscopic0 256 77 > /tmp/lost.out &
pid=$!
wait_for() { i=0; while ! grep -q "^# $1" /tmp/lost.out && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done; }
wait_for ready
grep -q '^ok .*256 tagged pages moved to VRAM' /tmp/lost.out; check "256 pages resident"
[ "$(cat $a/lost)" = 0 ]; check "sysfs lost is 0 while the device answers"
dmesg_mark
echo "$dev" > /sys/kernel/debug/pseudoscopic/inject_lost; check "inject a lost device"
[ "$(cat $a/lost)" = 1 ]; check "sysfs lost is 1"
dmesg_new | grep -q "$dev: device lost (injected through debugfs)"; check "the loss is logged"
! echo "0000:ff:1f.7" > /sys/kernel/debug/pseudoscopic/inject_lost 2>/dev/null; check "injecting into an unknown device fails"
kill -USR1 $pid
wait_for touched
import_tap lost-test /tmp/lost.out
grep -q '^ok .*MIGRATE on a lost device: EIO' /tmp/lost.out; check "MIGRATE refused with EIO"
grep -q '^ok .*every page of the lost device raises SIGBUS (256 SIGBUS, 0 read back)' /tmp/lost.out; check "every resident page raises SIGBUS"
[ "$(cat $a/lost_faults)" = 256 ]; check "lost_faults counts the 256 refused faults"
dmesg_mark
unbind "$dev"; check "unbind a lost device with resident pages"
dmesg_new | grep -q "$dev: 256 pages were in VRAM and are lost"; check "unbind reports the lost pages"
dmesg_lacks "evicted"; check "unbind did not copy from the lost device"
! rmmod pseudoscopic 2>/dev/null; check "rmmod refused while lost pages are mapped"
kill -USR1 $pid; wait $pid; check "the process unmaps the lost pages and exits"
dmesg_wait "$dev: lost device released"; check "the device is released after the last page is gone"
unload_module; check "rmmod once the pages are gone"
load_module && bind_override "$dev"; check "the same function binds again"
uapi-example /dev/pseudoscopic0 > /dev/null; check "and migrates again"
# Lost with no page in it: the module stays until the device is unbound.
echo "$dev" > /sys/kernel/debug/pseudoscopic/inject_lost; check "inject a loss with no resident page"
! rmmod pseudoscopic 2>/dev/null; check "rmmod refused while a lost device is bound"
dmesg_mark
unbind "$dev"; check "unbind it"
# The release runs on a work queue: on an SMP kernel it can finish a
# little after unbind returns, but needs no page to be unmapped first.
dmesg_wait "$dev: lost device released"; check "released without waiting for any page"
unload_module; check "rmmod"
done_testing

# SPDX-License-Identifier: GPL-2.0
# results: 11
# vram: 64M
# timeout: 300
# An orderly hot-unplug (the PCI core's removal, as pciehp does it after the
# attention button; here through sysfs "remove") with pages in VRAM: every
# page comes home first, with its data; a rescan brings the device back and
# it binds and works again.
. /ps/lib.sh

dev=$(ivshmem_devices | head -n1)
load_module && bind_new_id; check "load and bind"
migrate-test /dev/pseudoscopic0 hold 1024 123 > /tmp/hold.out &
pid=$!
i=0
while ! grep -q '^# ready' /tmp/hold.out && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
grep -q '^ok .*hold: 1024 pages moved' /tmp/hold.out; check "1024 pages resident"
dmesg_mark
echo 1 > /sys/bus/pci/devices/$dev/remove; check "hot-unplug the device"
[ ! -e /sys/bus/pci/devices/$dev ]; check "the PCI device is gone"
dmesg_new | grep -q "$dev: evicted 1024 pages to RAM"; check "every page was evicted before the device went"
kill -USR1 $pid; wait $pid; check "holder exits cleanly"
grep -q '^ok .*all 1024 pages intact' /tmp/hold.out; check "and its data is intact"
echo 1 > /sys/bus/pci/rescan; check "rescan"
i=0; while [ ! -e /dev/pseudoscopic0 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
[ -e /sys/bus/pci/devices/$dev/pseudoscopic ]; check "the device is back and bound (dynamic id)"
uapi-example /dev/pseudoscopic0 > /dev/null; check "and migrates again"
unload_module; check "rmmod"
done_testing

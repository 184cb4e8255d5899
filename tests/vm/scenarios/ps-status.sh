# SPDX-License-Identifier: GPL-2.0
# vram: 128M 64M
# ps-status lists the bound devices from sysfs, as a table and as JSON.
. /ps/lib.sh

! ps-status 2>/tmp/err; check "ps-status fails when the module is not loaded"
grep -q "module is not loaded" /tmp/err; check "and says why"
load_module && bind_new_id; check "load and bind two devices"
set -- $(ivshmem_devices)
out=$(ps-status); diag "$out"
echo "$out" | head -n1 | grep -q "^DEVICE *VENDOR:ID *FAMILY *BAR *SIZE$"; check "table header"
echo "$out" | grep -q "^$1 *1af4:1110 *generic *2 *128M$"; check "first device row: BAR2, 128M"
echo "$out" | grep -q "^$2 *1af4:1110 *generic *2 *64M$"; check "second device row: BAR2, 64M"
ps-status --raw --bytes | grep -q "^$2 .* 67108864$"; check "--raw --bytes prints exact sizes without header"
ps-status --json | grep -q '"bar_bytes": 134217728'; check "--json carries the BAR size"
cat /sys/bus/pci/devices/$1/pseudoscopic/bar_index | grep -qx 2; check "sysfs bar_index"
cat /sys/bus/pci/devices/$1/pseudoscopic/vendor_family | grep -qx generic; check "sysfs vendor_family"
unbind "$1"
[ "$(ps-status --raw | wc -l)" = 1 ]; check "unbound device disappears from ps-status"
unload_module; check "rmmod"
done_testing

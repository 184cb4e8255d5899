# SPDX-License-Identifier: GPL-2.0
# results: 17
# vram: 64M 128M
# Module-wide statistics in /sys/module/pseudoscopic/{stats,pool} and the
# meminfo-format /proc/pseudoscopic_meminfo sum over every bound device and
# follow migrations.
. /ps/lib.sh

m=/sys/module/pseudoscopic
load_module; check "insmod"
[ "$(cat $m/pool/total_pages)" = 0 ] && [ "$(cat $m/stats/devices)" = 0 ]; check "no device: empty totals"
grep -q "^DeviceTotal: *0 kB$" /proc/pseudoscopic_meminfo; check "/proc/pseudoscopic_meminfo with no device"
bind_new_id; check "bind two devices"
[ "$(cat $m/stats/devices)" = 2 ]; check "stats/devices = 2"
[ "$(cat $m/pool/total_pages)" = 49152 ]; check "pool/total_pages = 49152 (64 + 128 MiB)"
[ "$(cat $m/pool/free_pages)" = 49152 ]; check "pool/free_pages = 49152"
grep -q "^DeviceTotal: *196608 kB$" /proc/pseudoscopic_meminfo; check "DeviceTotal: 196608 kB"
grep -q "^pseudoscopic1_Total: *131072 kB$" /proc/pseudoscopic_meminfo; check "per-device line for pseudoscopic1"
nonzero=
for f in migrations_to_device migrations_to_ram page_faults fault_around_pages evictions alloc_failures; do
	[ "$(cat $m/stats/$f)" = 0 ] || nonzero="$nonzero $f=$(cat $m/stats/$f)"
done
[ -z "$nonzero" ]; check "all module counters start at zero${nonzero:+ (not:$nonzero)}"

uapi-example /dev/pseudoscopic0 > /dev/null; check "64 MiB round trip through pseudoscopic0"
[ "$(cat $m/stats/migrations_to_device)" = 16384 ]; check "stats/migrations_to_device = 16384"
[ "$(cat $m/stats/migrations_to_ram)" = 16384 ]; check "stats/migrations_to_ram = 16384"
[ "$(cat $m/stats/page_faults)" -gt 0 ] && [ "$(cat $m/stats/page_faults)" -lt 16384 ]
check "stats/page_faults counts faults, fewer than pages thanks to fault-around ($(cat $m/stats/page_faults))"

migrate-test /dev/pseudoscopic1 keep 300 1 > /tmp/keep.out &
while ! grep -q '^# pool free' /tmp/keep.out; do sleep 0.1; done
grep -q "^DeviceResident: *1200 kB$" /proc/pseudoscopic_meminfo; check "DeviceResident: 1200 kB while 300 pages are in VRAM"
grep -q "^pseudoscopic1_Resident: *1200 kB$" /proc/pseudoscopic_meminfo; check "on pseudoscopic1"
[ "$(cat $m/pool/free_pages)" = $((49152 - 300)) ]; check "pool/free_pages down by 300"
diag "$(cat /proc/pseudoscopic_meminfo)"
done_testing

# SPDX-License-Identifier: GPL-2.0
# results: 31
# vram: 128M 64M
# ps-status lists the bound devices from sysfs: as a table, JSON,
# Prometheus textfile metrics and a live dashboard, with the copy engine,
# THP and lost-device attributes.
. /ps/lib.sh

! ps-status 2>/tmp/err; check "ps-status fails when the module is not loaded"
grep -q "module is not loaded" /tmp/err; check "and says why"
load_module && bind_new_id; check "load and bind two devices"
set -- $(ivshmem_devices)
uapi-example /dev/pseudoscopic0 > /dev/null; check "some migration traffic on pseudoscopic0"
out=$(ps-status); diag "$out"
echo "$out" | head -n1 | grep -q "^DEVICE *NODE *VENDOR:ID *FAMILY *STATE *BAR *SIZE *POOL *USED *TO-VRAM *TO-RAM *FAULTS$"; check "table header"
echo "$out" | grep -q "^$1 *pseudoscopic0 *1af4:1110 *generic *ok *2 *128M *128M *0B *16384 *16384 *[1-9][0-9]*$"; check "first device row: node, BAR2, 128M pool, traffic"
echo "$out" | grep -q "^$2 *pseudoscopic1 *1af4:1110 *generic *ok *2 *64M *64M *0B *0 *0 *0$"; check "second device row: idle"
ps-status -rnb | grep -qx "$2 pseudoscopic1 1af4:1110 generic ok 2 67108864 67108864 0 0 0 0"; check "-rnb prints raw rows, exact sizes, no header"
[ "$(ps-status -o DEVICE,USED -n pseudoscopic1 | tr -s ' ')" = "$2 0B" ]; check "-o and a DEVICE argument"
ps-status --version > /tmp/v; diag "$(cat /tmp/v)"
grep -qx "driver: pseudoscopic $(cat /sys/module/pseudoscopic/version), uapi $(cat /sys/module/pseudoscopic/uapi_version)" /tmp/v &&
	[ "$(sed -n 's/^ps-status (pseudoscopic) \([^,]*\), uapi \([0-9]*\)$/\1 \2/p' /tmp/v)" = \
	  "$(cat /sys/module/pseudoscopic/version) $(cat /sys/module/pseudoscopic/uapi_version)" ]
check "--version: tools and loaded driver agree on the package and uapi versions"
ps-status --json > /tmp/j; check "--json"
grep -q '"pages_to_vram": 16384' /tmp/j && grep -q '"node": "pseudoscopic1"' /tmp/j; check "--json carries nodes and counters"
grep -q '"copy_engine": "cpu"' /tmp/j && grep -q '"copy_mode": "auto"' /tmp/j &&
	grep -q '"bytes_to_vram": 67108864' /tmp/j && grep -q '"lost": 0' /tmp/j && grep -q '"thp_to_vram": ' /tmp/j
check "--json carries copy_engine, copy_mode, bytes_to_vram, thp_to_vram, lost"
ps-status --prometheus > /tmp/p; check "--prometheus"
grep -q "^# TYPE pseudoscopic_to_vram_pages_total counter$" /tmp/p &&
	grep -q "^pseudoscopic_to_vram_pages_total{device=\"$1\"} 16384$" /tmp/p &&
	grep -q "^pseudoscopic_pool_bytes{device=\"$2\"} 67108864$" /tmp/p; check "--prometheus families and samples"
grep -q "^# TYPE pseudoscopic_lost gauge$" /tmp/p && grep -q "^# TYPE pseudoscopic_thp_to_vram_total counter$" /tmp/p &&
	grep -q "^pseudoscopic_to_vram_bytes_total{device=\"$1\"} 67108864$" /tmp/p &&
	grep -q "^pseudoscopic_to_ram_bytes_total{device=\"$1\"} 67108864$" /tmp/p &&
	grep -q "^pseudoscopic_resident_pages{device=\"$1\"} 0$" /tmp/p &&
	grep -q "^pseudoscopic_lost{device=\"$2\"} 0$" /tmp/p &&
	grep -q "^pseudoscopic_copy_engine_info{device=\"$1\",engine=\"cpu\",mode=\"auto\"} 1$" /tmp/p
check "--prometheus: traffic in bytes, resident pages, lost gauge, copy engine info"
grep -qx 'pseudoscopic_module_loaded 1' /tmp/p &&
	[ "$(grep -vc '^#' /tmp/p)" = 93 ] && [ "$(grep -c '^# TYPE ' /tmp/p)" = 24 ]
check "--prometheus: module_loaded, then 23 families, 46 samples per device (24 of them the latency histogram)"
faults=$(cat /sys/bus/pci/devices/$1/pseudoscopic/cpu_faults)
ns=$(cat /sys/bus/pci/devices/$1/pseudoscopic/fault_ns_total)
sum=$(sed -n "s/^pseudoscopic_fault_latency_seconds_sum{device=\"$1\"} //p" /tmp/p)
grep -qx "pseudoscopic_fault_latency_seconds_count{device=\"$1\"} $faults" /tmp/p &&
	grep -qx "pseudoscopic_fault_latency_seconds_bucket{device=\"$1\",le=\"+Inf\"} $faults" /tmp/p &&
	awk -v s="$sum" -v n="$ns" 'BEGIN { d = s * 1e9 - n; e = n * 1e-6; exit !(n > 0 && d * d <= e * e + 1) }'
check "--prometheus: the latency histogram counts every fault ($faults), its sum is fault_ns_total in seconds ($sum s)"
ps-status --watch 0.2 --count 2 > /tmp/w; check "--watch --count 2 ends by itself"
[ "$(grep -c '^pseudoscopic: 2 devices' /tmp/w)" = 2 ] && grep -q 'pool \[' /tmp/w && grep -q 'pages per fault' /tmp/w
check "--watch draws two frames with pool bars and fault statistics"
[ "$(grep -c '^  engine cpu (auto)   THP to VRAM [0-9]*, to RAM [0-9]*   DMA fallbacks 0, errors 0$' /tmp/w)" = 4 ]
check "--watch: an engine/THP line per device and frame"
! grep -q 'LOST' /tmp/w; check "--watch: no lost warning while the devices answer"
echo "$2" > /sys/kernel/debug/pseudoscopic/inject_lost; check "inject a loss into the idle device"
ps-status --watch 0.2 --count 1 > /tmp/w; diag "$(cat /tmp/w)"
grep -q '^pseudoscopic: 2 devices, 1 LOST$' /tmp/w &&
	[ "$(grep -c '!!! DEVICE LOST' /tmp/w)" = 1 ] &&
	grep -A1 "^$2 pseudoscopic1" /tmp/w | grep -q '^  !!! DEVICE LOST: VRAM unreachable, its pages raise SIGBUS (faults 0)$'
check "--watch: the lost device has a warning line under its header, and the title counts it"
ps-status --prometheus | grep -q "^pseudoscopic_lost{device=\"$2\"} 1$"; check "--prometheus: lost reads 1"
ps-status > /tmp/t; [ $? = 3 ] && grep -q "^$2 *pseudoscopic1 .* lost " /tmp/t; check "the table: STATE lost and exit status 3"
! ps-status --json --prometheus 2>/dev/null; check "conflicting options are a usage error"
ps-status --json --prometheus 2>/dev/null; [ $? = 2 ]; check "usage errors exit 2"
unbind "$1"
[ "$(ps-status -rn | wc -l)" = 1 ]; check "unbound device disappears from ps-status"
unbind "$2"; check "unbind the lost device"
# The lost device is released just after the unbind returns.
i=0; while ! dmesg | grep -q "$2: lost device released" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
unload_module; check "rmmod"
done_testing

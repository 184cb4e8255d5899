# SPDX-License-Identifier: GPL-2.0
# vram: 128M 64M
# ps-status lists the bound devices from sysfs: as a table, JSON,
# Prometheus textfile metrics and a live dashboard.
. /ps/lib.sh

! ps-status 2>/tmp/err; check "ps-status fails when the module is not loaded"
grep -q "module is not loaded" /tmp/err; check "and says why"
load_module && bind_new_id; check "load and bind two devices"
set -- $(ivshmem_devices)
uapi-example /dev/pseudoscopic0 > /dev/null; check "some migration traffic on pseudoscopic0"
out=$(ps-status); diag "$out"
echo "$out" | head -n1 | grep -q "^DEVICE *NODE *VENDOR:ID *FAMILY *BAR *SIZE *POOL *USED *TO-VRAM *TO-RAM *FAULTS$"; check "table header"
echo "$out" | grep -q "^$1 *pseudoscopic0 *1af4:1110 *generic *2 *128M *128M *0B *16384 *16384 *[1-9][0-9]*$"; check "first device row: node, BAR2, 128M pool, traffic"
echo "$out" | grep -q "^$2 *pseudoscopic1 *1af4:1110 *generic *2 *64M *64M *0B *0 *0 *0$"; check "second device row: idle"
ps-status --raw --bytes | grep -q "^$2 .* 67108864 *67108864 *0 *0 *0 *0$"; check "--raw --bytes prints exact sizes without header"
ps-status --json > /tmp/j; check "--json"
grep -q '"pages_to_vram": 16384' /tmp/j && grep -q '"node": "pseudoscopic1"' /tmp/j; check "--json carries nodes and counters"
ps-status --prometheus > /tmp/p; check "--prometheus"
grep -q "^# TYPE pseudoscopic_pages_to_vram_total counter$" /tmp/p &&
	grep -q "^pseudoscopic_pages_to_vram_total{device=\"$1\"} 16384$" /tmp/p &&
	grep -q "^pseudoscopic_pool_bytes{device=\"$2\"} 67108864$" /tmp/p; check "--prometheus families and samples"
[ "$(grep -vc '^#' /tmp/p)" = 18 ]; check "--prometheus: 9 families x 2 devices"
ps-status --watch 0.2 --count 2 > /tmp/w; check "--watch --count 2 ends by itself"
[ "$(grep -c '^pseudoscopic: 2 devices' /tmp/w)" = 2 ] && grep -q 'pool \[' /tmp/w && grep -q 'pages per fault' /tmp/w
check "--watch draws two frames with pool bars and fault statistics"
! ps-status --json --prometheus 2>/dev/null; check "conflicting options are a usage error"
ps-status --json --prometheus 2>/dev/null; [ $? = 2 ]; check "usage errors exit 2"
unbind "$1"
[ "$(ps-status --raw | wc -l)" = 1 ]; check "unbound device disappears from ps-status"
unload_module; check "rmmod"
done_testing

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# ps-status's output formats and exit statuses as a script sees them, over
# a fixture sysfs tree (ps-status --sysfs-root): the columns, -o, -n, -r,
# -P, -J, -b, DEVICE arguments, a lost device's STATE and exit status 3,
# --prometheus with and without the module, --textfile.
#
# usage: ps-status-cli.sh [PS_STATUS]    (default build/tools/ps-status)
# Prints TAP; exits non-zero if any check failed.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$top/build/tools/ps-status}
[ -x "$bin" ] || { echo "not ok 1 - ps-status built at $bin"; echo "1..1"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/ps-cli.XXXXXX")
trap 'rm -rf "$work"' EXIT
TAP_PREFIX="ps-status: "
. "$top/tests/lib/tap.sh"
root=$work/sys
. "$top/tests/tools/status-fixture.sh"
st() { "$bin" --sysfs-root "$root" "$@"; }

st > "$work/t"; rc=$?
[ $rc = 0 ]; check "the table exits 0 with no device lost"
diag "$work/t"
[ "$(head -n1 "$work/t" | tr -s ' ')" = "DEVICE NODE VENDOR:ID FAMILY STATE BAR SIZE POOL USED TO-VRAM TO-RAM FAULTS" ]
check "default columns in the header"
grep -Eq '^0000:00:04\.0 +pseudoscopic0 +1af4:1110 +generic +ok +2 +128M +128M +32M +0 +0 +0$' "$work/t"
check "a row per device: sizes human-readable, STATE ok"
[ "$(wc -l < "$work/t")" = 3 ]; check "a header and two rows"

st -rnb > "$work/r"
[ "$(cat "$work/r")" = "0000:00:04.0 pseudoscopic0 1af4:1110 generic ok 2 134217728 134217728 33554432 0 0 0
0000:00:05.0 pseudoscopic1 1af4:1110 generic ok 2 67108864 67108864 0 0 0 0" ]
check "-rnb: raw rows, no header, sizes in bytes"

st -o DEVICE,USE%,free -P > "$work/p"
diag "$work/p"
[ "$(head -n1 "$work/p")" = 'DEVICE="0000:00:04.0" USE%="25.0%" FREE="96M"' ]; check "-P with -o: NAME=\"value\" pairs of the chosen columns"
st -o +EVICTED -n > "$work/o"
[ "$(awk '{print NF}' "$work/o" | sort -u)" = 13 ]; check "-o +LIST adds to the default columns"
[ "$(st --output-all | head -n1 | wc -w)" = "$(st --help | sed -n '/^Available output columns/,/^$/p' | grep -c '^ ')" ]
check "--output-all prints every column --help lists"

st pseudoscopic1 -rn > "$work/d1"; check "DEVICE by node"
[ "$(cut -d' ' -f1 "$work/d1")" = 0000:00:05.0 ]; check "only that device"
[ "$(st /dev/pseudoscopic0 00:05.0 -rn | cut -d' ' -f1 | tr '\n' ' ')" = "0000:00:04.0 0000:00:05.0 " ]
check "DEVICE by /dev path and by short PCI address"
st pseudoscopic7 > /dev/null 2> "$work/e"; rc=$?
[ $rc = 1 ] && grep -qx 'ps-status: pseudoscopic7: not a device bound to pseudoscopic' "$work/e"
check "an unknown DEVICE: exit 1 and says which"

st -J > "$work/j"
/usr/bin/python3 - "$work/j" <<'PY'; check "-J: schema_version 2, pool in bytes and pages, state"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["schema_version"] == 2, j
d = j["devices"][0]
assert d["pci_address"] == "0000:00:04.0" and d["pool_pages"] == 32768 and d["pool_bytes"] == 134217728, d
assert d["used_bytes"] == 33554432 and d["free_bytes"] == 100663296 and d["state"] == "ok", d
PY
st -J -o DEVICE,POOL,STATE,EVICTED pseudoscopic0 > "$work/j2"
/usr/bin/python3 - "$work/j2" <<'PY'; check "-J -o: the chosen columns, typed, lower-case keys"
import json, sys
j = json.load(open(sys.argv[1]))
assert j == {"schema_version": 2, "devices": [{"device": "0000:00:04.0", "pool": 134217728, "state": "ok", "evicted": 0}]}, j
PY

st --watch 0.2 --count 3 --json > "$work/jl"; rc=$?
[ $rc = 0 ] && /usr/bin/python3 - "$work/jl" <<'PY'; check "--watch --json: JSON Lines, one object per frame, rates from the second on"
import json, sys
frames = [json.loads(l) for l in open(sys.argv[1])]
assert len(frames) == 3, frames
assert all(f["schema_version"] == 2 and len(f["devices"]) == 2 for f in frames), frames
assert frames[0]["interval_seconds"] is None and "rates" not in frames[0]["devices"][0], frames[0]
r = frames[2]["devices"][0]["rates"]
assert frames[2]["interval_seconds"] >= 0.2 and r["to_vram_bytes_per_second"] == 0 and r["faults_per_second"] == 0, frames[2]
PY

# A lost device: its STATE, and exit status 3 for every listing of it.
attr 0000:00:05.0 lost 1
st > "$work/l"; rc=$?
[ $rc = 3 ]; check "a lost device: exit status 3"
grep -Eq '^0000:00:05\.0 .* lost +2 ' "$work/l"; check "STATE lost in its row"
st pseudoscopic0 > /dev/null; [ $? = 0 ]; check "exit 0 when the lost device is not listed"
st -J > /dev/null; [ $? = 3 ]; check "exit 3 with -J as well"
st --prometheus > "$work/m"; [ $? = 0 ]; check "--prometheus exits 0 with a lost device (an exporter must not fail)"
grep -qx 'pseudoscopic_lost{device="0000:00:05.0"} 1' "$work/m"; check "and reports it"
attr 0000:00:05.0 lost 0

st --prometheus > "$work/m"
grep -qx 'pseudoscopic_module_loaded 1' "$work/m"; check "pseudoscopic_module_loaded 1"
promtool=$("$top/tests/setup/promtool.sh" 2> "$work/promtool.err")
[ -x "$promtool" ]; check "promtool (Debian's prometheus package) at hand" || diag "$work/promtool.err"
"$promtool" check metrics < "$work/m" > "$work/lint" 2>&1; check "promtool check metrics finds nothing to say" || diag "$work/lint"
grep -qx 'pseudoscopic_fault_latency_seconds_bucket{device="0000:00:04.0",le="4e-06"} 3' "$work/m" &&
	grep -qx 'pseudoscopic_fault_latency_seconds_bucket{device="0000:00:04.0",le="+Inf"} 4' "$work/m" &&
	grep -qx 'pseudoscopic_fault_latency_seconds_sum{device="0000:00:04.0"} 0.000709' "$work/m" &&
	grep -qx 'pseudoscopic_fault_latency_seconds_count{device="0000:00:04.0"} 4' "$work/m"
check "the fault latency histogram from sysfs, in seconds"
grep -qx 'pseudoscopic_device_info{device="0000:00:05.0",node="pseudoscopic1",vendor="0x1af4",device_id="0x1110",family="generic"} 1' "$work/m"
check "pseudoscopic_device_info per device"
# A planted break of the conventions is something promtool does say.
sed 's/^pseudoscopic_cpu_faults_total/pseudoscopic_cpu_faults/; s/ pseudoscopic_cpu_faults_total / pseudoscopic_cpu_faults /' \
	"$work/m" | "$promtool" check metrics > /dev/null 2>&1; [ $? != 0 ]
check "(planted) a counter without _total is caught by promtool"
st --prometheus --textfile "$work/out.prom"; [ $? = 0 ] && cmp -s "$work/out.prom" "$work/m"
check "--textfile writes what stdout would have"
[ -z "$(find "$work" -maxdepth 1 -name '.out.prom*')" ]; check "no temporary file left behind"
mv "$root/module/pseudoscopic" "$root/module/gone"
st --prometheus > "$work/m0"; rc=$?
[ $rc = 0 ] && grep -qx 'pseudoscopic_module_loaded 0' "$work/m0" && ! grep -q '{device=' "$work/m0"
check "no module: --prometheus exits 0 with pseudoscopic_module_loaded 0 and no device samples"
st > /dev/null 2> "$work/e"; [ $? = 1 ] && grep -q 'not loaded' "$work/e"; check "no module: the table exits 1"
mv "$root/module/gone" "$root/module/pseudoscopic"

tap_done

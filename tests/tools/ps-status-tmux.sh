#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# ps-status --watch as a person sees it: the dashboard runs in a detached
# tmux session of a fixed size over a fixture sysfs tree (ps-status
# --sysfs-root), and the screen is read back with capture-pane.  Counters
# in the fixture change while it runs and the rates on screen must follow.
#
# usage: ps-status-tmux.sh [PS_STATUS]    (default build/tools/ps-status)
# Prints TAP; exits non-zero if any check failed.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$top/build/tools/ps-status}
[ -x "$bin" ] || { echo "not ok 1 - ps-status built at $bin"; echo "1..1"; exit 1; }
command -v tmux >/dev/null || { echo "not ok 1 - tmux installed (tests/setup/deps.sh)"; echo "1..1"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/ps-tmux.XXXXXX")
sock="ps-status-test-$$"
cleanup() { tmux -L "$sock" kill-server 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

TAP_PREFIX="ps-status --watch in tmux: "
. "$top/tests/lib/tap.sh"

# --- fixture: two bound devices, as the driver lays them out in sysfs
root=$work/sys
. "$top/tests/tools/status-fixture.sh"

# screen SESSION: the visible pane, trailing blanks removed
screen() { tmux -L "$sock" capture-pane -p -t "$1" | sed 's/ *$//'; }
# wait_for SESSION REGEX [TRIES]: poll the screen every 0.1 s until it matches
wait_for() {
	local i
	for i in $(seq "${3:-50}"); do
		screen "$1" > "$work/screen"
		grep -Eq "$2" "$work/screen" && return 0
		sleep 0.1
	done
	return 1
}

tmux -L "$sock" -f /dev/null new-session -d -s watch -x 100 -y 30 \
	"$bin --watch 0.5 --sysfs-root $root; sleep 30"
wait_for watch '^\(refresh every 0.5 s, q or Ctrl-C to quit\)$'; check "the first frame appears"
[ "$(tmux -L "$sock" display -p -t watch '#{alternate_on} #{cursor_flag}')" = "1 0" ]
check "on the alternate screen, cursor hidden"
sleep 1.2	# two more frames: rates are now measured (and zero)
screen watch > "$work/f1"
diag < "$work/f1"
[ "$(head -n1 "$work/f1")" = "pseudoscopic: 2 devices" ]; check "title on the first line of the screen"
[ "$(grep -c '^pseudoscopic: ' "$work/f1")" = 1 ]; check "each frame replaces the last (one title on screen)"
grep -q '^0000:00:04.0 pseudoscopic0 (generic)$' "$work/f1" &&
	grep -q '^0000:00:05.0 pseudoscopic1 (generic)$' "$work/f1"
check "one block per device: address, node, family"
# 100 columns: a 60-column bar; pseudoscopic0 uses 8192 of 32768 pages.
grep -q "^  pool \[$(printf '#%.0s' $(seq 15))$(printf '.%.0s' $(seq 45))\]  25.0%  32M of 128M$" "$work/f1"
check "pool bar of pseudoscopic0: a quarter full, 32M of 128M"
grep -q "^  pool \[$(printf '.%.0s' $(seq 60))\]   0.0%  0B of 64M$" "$work/f1"; check "pool bar of pseudoscopic1: empty"
[ "$(grep -c '^  to VRAM       0B/s   to RAM       0B/s   faults        0/s$' "$work/f1")" = 2 ]
check "idle devices show zero rates (bytes/s) once two frames exist"
[ "$(grep -c '^  fault p50 <4 us   p99 <1.0 ms   (since bound: 4 faults)$' "$work/f1")" = 2 ]
check "p50 and p99 from fault_latency_histogram (3 faults under 4 us, 1 under 1024 us)"
awk 'length > 100 { bad = 1 } END { exit bad }' "$work/f1"; check "nothing wider than the 100-column pane"
[ "$(grep -A1 '^  pool \[' "$work/f1" | grep -c '^  to VRAM')" = 2 ]; check "no line wraps (rates follow each pool bar)"
[ "$(grep -c '^  engine cpu (auto)   THP to VRAM 0, to RAM 0   DMA fallbacks 0, errors 0$' "$work/f1")" = 2 ]
check "an engine/THP line per device"
! grep -q 'LOST' "$work/f1"; check "no lost warning while no device is lost"
[ "$(grep -c '^  fault-around hit rate     - (no fault-around yet)$' "$work/f1")" = 2 ]
check "no fault-around hit rate before any fault-around (-, not 0%)"

# Traffic on pseudoscopic0: 1000 pages to VRAM, 8192 more pages used,
# 50 faults bringing back 150 pages, 25 us average fault time.
attr 0000:00:04.0 pages_to_vram 1000
attr 0000:00:04.0 free_pages 16384
attr 0000:00:04.0 cpu_faults 50
attr 0000:00:04.0 fault_around_pages 100
attr 0000:00:04.0 fault_around_hits 80
attr 0000:00:04.0 fault_ns_ema 25000
wait_for watch '^  to VRAM +[0-9.]+M/s' 30; check "a frame shows the migration rate"
cp "$work/screen" "$work/f2"
diag < "$work/f2"
rate=$(sed -n 's/^  to VRAM *\([0-9.]*\)M\/s.*/\1/p' "$work/f2" | head -n1)
# 1000 pages of 4 KiB over one refresh interval (0.5 s plus the time a
# frame takes): 1200 to 2000 pages/s, 4.7 to 7.8 MiB/s.
awk -v r="${rate:-0}" 'BEGIN { exit !(r >= 4.6 && r <= 7.9) }'; check "rate 1000 pages / 0.5 s interval: ${rate}M/s"
faults=$(sed -n 's/.*faults *\([0-9]*\)\/s$/\1/p' "$work/f2" | head -n1)
[ "${faults:-0}" -ge 60 ] && [ "$faults" -le 100 ]; check "fault rate 50 / 0.5 s: $faults/s"
grep -q "^  pool \[$(printf '#%.0s' $(seq 30))$(printf '.%.0s' $(seq 30))\]  50.0%  64M of 128M$" "$work/f2"
check "pool bar grew to half"
grep -q '^  fault latency 25.0 us (avg)   pages per fault 3.0   evicted 0$' "$work/f2"
check "fault latency and pages per fault (50 faults + 100 around = 3.0)"
grep -q '^  fault-around hit rate  80.0% (80 of 100 pages brought along were used)$' "$work/f2"
check "fault-around hit rate: 80 of the 100 pages brought along"
zero_twice() { [ "$(grep -c '^  to VRAM       0B/s' "$work/screen")" = 2 ]; }
for i in $(seq 30); do screen watch > "$work/screen"; zero_twice && break; sleep 0.1; done
zero_twice; check "rates fall back to zero when the counters stop"

# The engine line follows the files: DMA attached, THPs moved, a failure.
attr 0000:00:04.0 copy_engine dma
attr 0000:00:04.0 thp_to_vram 4
attr 0000:00:04.0 thp_to_ram 1
attr 0000:00:04.0 dma_fallbacks 1
attr 0000:00:04.0 copy_errors 2
wait_for watch '^  engine dma \(auto\)   THP to VRAM 4, to RAM 1   DMA fallbacks 1, errors 2$' 30
check "the engine line shows DMA in use, 4 + 1 whole THPs, the fallback and errors"
# A device that is lost gets a warning under its header and in the title.
attr 0000:00:05.0 lost 1
attr 0000:00:05.0 lost_faults 7
wait_for watch '^pseudoscopic: 2 devices, 1 LOST$' 30; check "the title counts the lost device"
diag < "$work/screen"
grep -A1 '^0000:00:05.0 pseudoscopic1 (generic)$' "$work/screen" |
	grep -q '^  !!! DEVICE LOST: VRAM unreachable, its pages raise SIGBUS (faults 7)$'
check "a warning line right under the lost device's header"
[ "$(grep -c '!!!' "$work/screen")" = 1 ]; check "and only for that device"
awk 'length > 100 { bad = 1 } END { exit bad }' "$work/screen"; check "nothing wider than the pane with the warning"
attr 0000:00:05.0 lost 0
wait_for watch '^pseudoscopic: 2 devices$' 30 && ! grep -q '!!!' "$work/screen"; check "the warning goes away with lost 0"

# A device that goes away disappears from the next frame.
rm "$root/bus/pci/drivers/pseudoscopic/0000:00:05.0"
wait_for watch '^pseudoscopic: 1 device$' 30; check "an unbound device disappears"
! grep -q 'pseudoscopic1' "$work/screen"; check "and nothing of it is left on screen"

# A narrow terminal: the bar shrinks to fit, nothing wraps.  The session
# is made before the first one is killed: killing a server's last session
# ends the server, and a new-session racing that exit fails ("server
# exited unexpectedly"), which is how stop 19's CI lost this pane.
tmux -L "$sock" -f /dev/null new-session -d -s narrow -x 60 -y 20 \
	"$bin --watch 0.5 --sysfs-root $root; sleep 30" 2> "$work/tmux.err"
check "a second session opens on the same server" || diag < "$work/tmux.err"
tmux -L "$sock" kill-session -t watch
wait_for narrow '^\(refresh every' ; check "60-column pane draws"
diag < "$work/screen"
grep -q "^  pool \[$(printf '#%.0s' $(seq 10))$(printf '.%.0s' $(seq 10))\]  50.0%  64M of 128M$" "$work/screen"
check "60 columns: a 20-column bar"
wait_for narrow '^  to VRAM +[0-9.]+[BKMG]/s  to RAM +[0-9.]+[BKMG]/s  faults +[0-9]+/s$'; check "60 columns: short rate line, not wrapped"
grep -q '^  p50 <4 us  p99 <1.0 ms$' "$work/screen"; check "60 columns: short percentile line"
grep -q '^  latency 25.0 us  pages/fault 3.0  evicted 0$' "$work/screen"; check "60 columns: short latency line"
grep -q '^  fault-around hits  80.0%$' "$work/screen"; check "60 columns: short fault-around line"
grep -q '^  engine dma (auto)  THP to VRAM 4 RAM 1  errors 2$' "$work/screen"; check "60 columns: short engine line"
# Every line is a title, a device header, an indented line, the footer or
# blank: a wrapped line would start in column 0 with something else.
awk 'length > 60 { bad = 1 } END { exit bad }' "$work/screen" &&
	! grep -Ev '^(pseudoscopic: |0000:|\(refresh every|  |$)' "$work/screen"
check "60 columns: no wrapped continuation lines"

tmux -L "$sock" kill-session -t narrow

# Leaving: q and SIGTERM both end the dashboard with the terminal put back
# (main screen, cursor shown) and exit status 0.
leave_test() {	# SESSION INTERVAL HOW
	tmux -L "$sock" -f /dev/null new-session -d -s "$1" -x 100 -y 30 \
		"$bin --watch $2 --sysfs-root $root; echo exited=\$?; sleep 30"
	wait_for "$1" "^\\(refresh every $2 s" || return 1
	case $3 in
	q) tmux -L "$sock" send-keys -t "$1" q ;;
	TERM) pkill -TERM -x -P "$(tmux -L "$sock" display -p -t "$1" '#{pane_pid}')" ps-status ;;
	esac
	wait_for "$1" '^exited=0$' 30 || return 1
	! grep -q '^pseudoscopic: ' "$work/screen" &&
		[ "$(tmux -L "$sock" display -p -t "$1" '#{alternate_on} #{cursor_flag}')" = "0 1" ]
}
leave_test keyq 0.6 q; check "q quits: exit 0, main screen back, cursor shown"
leave_test term 0.7 TERM; check "SIGTERM: the same"

# Colour: a lost device's warning in red, unless NO_COLOR is set.
attr 0000:00:04.0 lost 1
tmux -L "$sock" -f /dev/null new-session -d -s color -x 100 -y 30 "$bin --watch 0.5 --sysfs-root $root; sleep 30"
tmux -L "$sock" -f /dev/null new-session -d -s nocolor -x 100 -y 30 \
	"env NO_COLOR=1 $bin --watch 0.5 --sysfs-root $root; sleep 30"
wait_for color 'DEVICE LOST' && wait_for nocolor 'DEVICE LOST'; check "both draw the lost device"
tmux -L "$sock" capture-pane -e -p -t color > "$work/color"
tmux -L "$sock" capture-pane -e -p -t nocolor > "$work/nocolor"
grep -q $'\033\\[[0-9;]*31m.*!!! DEVICE LOST' "$work/color"; check "the warning is red on a terminal"
! grep -q $'\033\\[' "$work/nocolor"; check "NO_COLOR: no colour at all"
attr 0000:00:04.0 lost 0

tap_done

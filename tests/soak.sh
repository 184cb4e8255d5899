#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make soak: the ps-stress scenario for SECONDS (default 600) on each test
# kernel, then the lost-device race for 200 rounds.  usage: soak.sh [SECONDS]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/lib/common.sh"
cd "$top"
secs=${1:-${SOAK_SECONDS:-600}}
tests/setup/deps.sh demo
make -s tools >/dev/null
tests/vm/build-progs.sh build/guest build/tools
# soak_run SCENARIO APPEND TIMEOUT: one scenario on kernel $k with APPEND on
# the kernel command line.  run-vm.sh's verdict counts every declared
# result, a crash or a timeout included, and exits non-zero on any
# failure; a verdict that never completed is a failure too.
soak_run() {
	local tap="build/soak-$1-$k.tap" vrc=0
	log "kernel $k: $1 ($2)"
	tests/vm/run-vm.sh --kernel "$kd" --kmod "build/kmod/$(cat "$kd/release")" --progs build/guest \
		--append "$2" --timeout "$3" tests/vm/scenarios/"$1".sh > "$tap" || vrc=$?
	cat "$tap"
	grep -q "^# verdict complete $1\$" "$tap" || { log "kernel $k: $1 reached no verdict"; vrc=1; }
	! grep -q '^not ok' "$tap" || vrc=1
	[ "$vrc" = 0 ] || log "kernel $k: $1 FAILED"
	return "$vrc"
}
rc=0
for k in 6.12 7.3; do
	kd=$(tests/kernel/build-kernel.sh "$k" | tail -n1)
	make -s module KDIR="$kd/build" >/dev/null
	soak_run stress "ps_stress_seconds=$secs" $((secs + 600)) || rc=1
	# The lost-device race at the 200 rounds issue 12 asks for (make test
	# runs 40).
	soak_run lost-race "ps_lost_rounds=200" 3600 || rc=1
done
exit $rc

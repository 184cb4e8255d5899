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
rc=0
for k in 6.12 7.3; do
	kd=$(tests/kernel/build-kernel.sh "$k" | tail -n1)
	make -s module KDIR="$kd/build" >/dev/null
	log "kernel $k: ps-stress for $secs s"
	# run-vm.sh's verdict counts every declared result, a crash or a
	# timeout included, and exits non-zero on any failure; a verdict that
	# never completed is a failure too.
	vrc=0
	tests/vm/run-vm.sh --kernel "$kd" --kmod "build/kmod/$(cat "$kd/release")" --progs build/guest \
		--append "ps_stress_seconds=$secs" --timeout $((secs + 600)) \
		tests/vm/scenarios/stress.sh > "build/soak-$k.tap" || vrc=$?
	cat "build/soak-$k.tap"
	grep -q '^# verdict complete stress$' "build/soak-$k.tap" || { log "kernel $k: no verdict"; vrc=1; }
	! grep -q '^not ok' "build/soak-$k.tap" || vrc=1
	[ "$vrc" = 0 ] || { log "kernel $k: soak FAILED"; rc=1; }
	# The lost-device race at the 200 rounds issue 12 asks for (make test
	# runs 40).
	log "kernel $k: lost-race, 200 rounds"
	vrc=0
	tests/vm/run-vm.sh --kernel "$kd" --kmod "build/kmod/$(cat "$kd/release")" --progs build/guest \
		--append "ps_lost_rounds=200" --timeout 3600 \
		tests/vm/scenarios/lost-race.sh > "build/soak-lost-race-$k.tap" || vrc=$?
	cat "build/soak-lost-race-$k.tap"
	grep -q '^# verdict complete lost-race$' "build/soak-lost-race-$k.tap" || { log "kernel $k: no lost-race verdict"; vrc=1; }
	! grep -q '^not ok' "build/soak-lost-race-$k.tap" || vrc=1
	[ "$vrc" = 0 ] || { log "kernel $k: lost-race FAILED"; rc=1; }
done
exit $rc

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: migration and fault throughput of pseudoscopic on emulated
# VRAM against, in the same VM and the same run, plain memcpy, the
# kernel's test_hmm (dmirror) and zram swap, in five interleaved
# repetitions; prints the median ratios with their range.  The guest
# runs tools/ps-bench (static, from build/tools, put in the guest by
# tests/vm/build-progs.sh like the other tools).
# Results: build/bench/<kernel>.txt.  This is QEMU TCG emulation: compare
# ratios within one run, not absolute numbers with hardware.
#
# usage: run-bench.sh [--kernels "6.12 7.3"]
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib/common.sh"
cd "$top"
kernels="7.3 6.12"
[ "${1:-}" = --kernels ] && kernels=$2

tests/setup/deps.sh demo
make -s tools >/dev/null
tests/vm/build-progs.sh build/guest build/tools
mkdir -p build/bench
for k in $kernels; do
	kd=$(tests/kernel/build-kernel.sh "$k" | tail -n1)
	rel=$(cat "$kd/release")
	make -s module KDIR="$kd/build" >/dev/null
	log "kernel $k: benchmark VM"
	tests/vm/run-vm.sh --kernel "$kd" --kmod "build/kmod/$rel" --progs build/guest \
		--logs "build/bench/logs-$rel" tests/bench/bench-guest.sh > "build/bench/$rel.tap"
	grep -q '^not ok' "build/bench/$rel.tap" && { cat "build/bench/$rel.tap" >&2; die "benchmark on $k failed"; }
	python3 tests/bench/ratios.py "$k ($rel)" < "build/bench/$rel.tap" | tee "build/bench/$rel.txt"
done

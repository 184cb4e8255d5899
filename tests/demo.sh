#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make demo: build what is needed, boot a VM with emulated VRAM and show the
# driver at work.  The first run builds a test kernel (about 6 minutes on
# 2 cores); later runs reuse it from the cache.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/lib/common.sh"
cd "$top"

tests/setup/deps.sh demo
log "test kernel 6.12 (Debian's source, with CONFIG_DEVICE_PRIVATE)"
kd=$(tests/kernel/build-kernel.sh 6.12 | tail -n1)
log "building pseudoscopic.ko and the tools"
make -s module KDIR="$kd/build" >/dev/null
make -s tools >/dev/null
tests/vm/build-progs.sh build/guest build/tools
log "booting QEMU (TCG) with a 256 MiB ivshmem BAR as VRAM"
echo
tap=$(mktemp)
set +e
tests/vm/run-vm.sh --kernel "$kd" --kmod "build/kmod/$(cat "$kd/release")" \
	--progs build/guest --live --keep-vram tests/vm/demo-guest.sh 2>&1 >"$tap" |
	sed -u -e '/^# \(modules\|kmemleak\)-begin/,/^# \(modules\|kmemleak\)-end/d' \
		-e '/^1\.\.0\|^# vram-offset\|^# scenario exit status/d' >&2
vm_status=${PIPESTATUS[0]}
set -e
# The VM's verdict (finished, both CPUs, no kernel warning): shown if red.
if [ "$vm_status" != 0 ]; then
	grep '^not ok\|^# console' "$tap" >&2 || true
	rm -f "$tap"
	die "the demo VM did not finish cleanly (see above)"
fi
vram=$(ls -t /dev/shm/pseudoscopic-test-*-vram0 2>/dev/null | head -n1)
echo
echo "== host: read each of the 300 pages at its reported offset in the VM's VRAM backing file =="
echo "   ($vram)"
if [ -n "$vram" ] && grep '^# vram-offset' "$tap" |
	python3 tests/vm/vram-peek.py check-offsets "$vram" 4242 300; then
	echo "host: all 300 pages are in the device's memory, byte for byte, exactly where the driver said."
	rm -f "$vram" "$tap"
else
	rm -f "$vram" "$tap"
	die "the migrated pages are not in the VRAM backing file"
fi

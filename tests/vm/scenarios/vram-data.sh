# SPDX-License-Identifier: GPL-2.0
# results: 2
# vram: 64M
# host-check: 1
# Pages migrated to VRAM really sit in the device's memory: the host finds
# every one of them, byte for byte, in the ivshmem backing file
# (vram-data.host.sh).
. /ps/lib.sh

load_module && bind_new_id; check "load and bind"
migrate-test /dev/pseudoscopic0 keep 300 4242 > /tmp/keep.out &
i=0
while ! grep -q '^# pool free after keep' /tmp/keep.out && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
grep -q '^ok .*300 tagged pages left in VRAM' /tmp/keep.out; check "300 tagged pages migrated and left in VRAM"
done_testing

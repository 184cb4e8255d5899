# SPDX-License-Identifier: GPL-2.0
# results: 4
# vram: 64M
# host-check: 1
# Every page RESIDENCY places in VRAM is, byte for byte, at exactly the BAR
# offset it reports: the host reads each one at that offset in the ivshmem
# backing file (vram-offsets.host.sh).  The pages belong to another process,
# moved through a pidfd.
. /ps/lib.sh

load_module && bind_new_id; check "load and bind"
pidfd-test /dev/pseudoscopic0 keep 300 5151 > /tmp/keep.out &
i=0
while ! grep -q '^# keep ready' /tmp/keep.out && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
grep -q '^ok .*300 tagged pages moved to VRAM through a pidfd' /tmp/keep.out; check "300 tagged pages of another process moved to VRAM"
grep -q '^ok .*keep: offsets read' /tmp/keep.out; check "their BAR offsets read with PS_RES_OFFSETS"
[ "$(grep -c '^# offset ' /tmp/keep.out)" = 300 ]; check "one offset per page"
grep '^# offset ' /tmp/keep.out | sed 's/^# /# vram-/' >&3
done_testing

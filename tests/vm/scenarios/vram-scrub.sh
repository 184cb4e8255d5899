# SPDX-License-Identifier: GPL-2.0
# results: 5
# vram: 64M
# host-check: 2
# What processes and the block device leave in VRAM does not outlive the
# binding: after a process exits with pages in VRAM and the device is
# unbound, the host finds neither its pages nor the block device's data in
# the ivshmem backing file (vram-scrub.host.sh), so the GPU's next owner
# cannot read them.
. /ps/lib.sh

dev=$(ivshmem_devices | head -n1)
load_module blkdev_mb=8 && bind_new_id && [ -b /dev/psblk0 ]; check "load and bind with an 8 MiB block device"
# The process moves 300 tagged pages to VRAM and is killed: its device
# pages go back to the pool with the data still in them.
migrate-test /dev/pseudoscopic0 keep 300 4343 > /tmp/keep.out 2>&1 &
pid=$!
i=0
while ! grep -q '^# pool free after keep' /tmp/keep.out && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
kill "$pid"; wait "$pid"
grep -q '^ok .*300 tagged pages left in VRAM' /tmp/keep.out &&
	[ "$(cat /sys/bus/pci/devices/$dev/pseudoscopic/free_pages)" = "$(cat /sys/bus/pci/devices/$dev/pseudoscopic/pool_pages)" ]
check "a process moved 300 tagged pages to VRAM and exited; the pool is whole again"
for i in $(seq 1 200); do printf 'PS-SCRUB-MARK-%04d\n' "$i"; done > /tmp/mark
dd if=/tmp/mark of=/dev/psblk0 bs=4096 conv=fsync 2>/dev/null &&
	dd if=/dev/psblk0 bs=4096 count=1 2>/dev/null | grep -q PS-SCRUB-MARK-0001
check "a marker written to /dev/psblk0 reads back"
dmesg_mark
unbind "$dev" && ! bound_to_us "$dev"; check "unbind"
dmesg_new | grep -q "scrubbed [0-9]* MiB of VRAM"; check "the unbind reports the VRAM it scrubbed"
done_testing

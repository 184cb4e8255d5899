# SPDX-License-Identifier: GPL-2.0
# results: 33
# vram: 128M
# timeout: 600
# host-check: 1
# Block-device mode: blkdev_mb carves /dev/psblkN from the end of the pool.
# Data written through it reads back intact and sits at the BAR offset the
# driver reports (blkdev.host.sh reads the backing file); mkswap + swapon
# on it take paged-out memory, which comes back intact; swapoff, unbind and
# rmmod are clean; bad sizes are refused with a message.
. /ps/lib.sh

dev=$(ivshmem_devices | head -n1)
a=/sys/bus/pci/devices/$dev/pseudoscopic

# ------------------------------------------------------------- refusals
dmesg_mark
load_module blkdev_mb=126 && bind_new_id 2>/dev/null
! bound_to_us "$dev" && dmesg_new | grep -q "blkdev_mb=126 leaves less than the minimum pool (4 MiB)"
check "blkdev_mb=126 on a 128 MiB BAR refused: too little pool left"
unload_module
dmesg_mark
! load_module blkdev_mb=99999999 2>/dev/null && dmesg_new | grep -q "blkdev_mb=99999999 is out of range"
check "blkdev_mb beyond the maximum refused at load"

load_module selftest=0 && bind_new_id && [ ! -e /dev/psblk0 ] && [ "$(cat $a/blkdev_bytes)" = 0 ] &&
	[ "$(cat $a/pool_bytes)" = $((128 << 20)) ]
check "blkdev_mb=0 (default): no disk, the whole BAR is pool"
unload_module

# --------------------------------------------------------------- a disk
load_module blkdev_mb=31 && bind_new_id; check "load with blkdev_mb=31 and bind"
[ -b /dev/psblk0 ]; check "/dev/psblk0 exists"
[ "$(cat $a/blkdev_bytes)" = $((32 << 20)) ]; check "blkdev_bytes: 31 MiB rounded up to 32 MiB"
[ "$(cat /sys/block/psblk0/size)" = $((32 << 11)) ]; check "disk size 65536 sectors"
[ "$(cat $a/pool_bytes)" = $((96 << 20)) ] && [ "$(cat $a/pool_pages)" = 24576 ]
check "the pool keeps the other 96 MiB"
[ "$(cat $a/blkdev_offset)" = $(($(cat $a/pool_offset) + (96 << 20))) ]
check "the disk sits right after the pool (BAR offset $(cat $a/blkdev_offset))"
[ -e /sys/bus/pci/devices/$dev/block/psblk0 ]; check "sysfs links the disk to its PCI device"
[ "$(cat /sys/block/psblk0/queue/physical_block_size)" = 4096 ]; check "4 KiB physical blocks"

dd if=/dev/urandom of=/tmp/data bs=1M count=4 2>/dev/null
dd if=/tmp/data of=/dev/psblk0 bs=1M seek=3 conv=fsync 2>/dev/null; check "write 4 MiB at 3 MiB"
echo 3 > /proc/sys/vm/drop_caches
dd if=/dev/psblk0 of=/tmp/back bs=1M skip=3 count=4 2>/dev/null && cmp /tmp/data /tmp/back
check "read back through the disk: identical"
dd if=/tmp/data of=/dev/psblk0 bs=512 seek=7 count=3 conv=fsync 2>/dev/null &&
	dd if=/dev/psblk0 of=/tmp/small bs=512 skip=7 count=3 2>/dev/null &&
	dd if=/tmp/data of=/tmp/small.ref bs=512 count=3 2>/dev/null && cmp /tmp/small /tmp/small.ref
check "unaligned 512-byte sectors write and read back"
! dd if=/tmp/data of=/dev/psblk0 bs=1M seek=32 count=1 conv=fsync 2>/dev/null; check "a write past the end fails"

# Discard and write-zeroes zero their range and nothing else.  blk-zero
# punches a hole, which the kernel sends as REQ_OP_WRITE_ZEROES with no
# fallback: it fails unless the driver zeroes the range itself.
q=/sys/block/psblk0/queue
[ "$(cat $q/discard_max_bytes)" -gt 0 ] && [ "$(cat $q/write_zeroes_max_bytes)" -gt 0 ]
check "the disk offers discard ($(cat $q/discard_max_bytes) bytes) and write-zeroes ($(cat $q/write_zeroes_max_bytes) bytes)"
d0=$(awk '{print $12}' /sys/block/psblk0/stat)
blkdiscard -o $((4 << 20)) -l $((1 << 20)) /dev/psblk0; check "blkdiscard 1 MiB at 4 MiB"
[ "$(awk '{print $12}' /sys/block/psblk0/stat)" -gt "$d0" ]; check "the disk counted the discard"
blk-zero /dev/psblk0 $((6 << 20)) 65536; check "write-zeroes (fallocate punch-hole) of 64 KiB at 6 MiB"
cp /tmp/data /tmp/expect
dd if=/dev/zero of=/tmp/expect bs=1M seek=1 count=1 conv=notrunc 2>/dev/null
dd if=/dev/zero of=/tmp/expect bs=64K seek=48 count=1 conv=notrunc 2>/dev/null
echo 3 > /proc/sys/vm/drop_caches
dd if=/dev/psblk0 of=/tmp/back bs=1M skip=3 count=4 2>/dev/null && cmp /tmp/expect /tmp/back
check "both ranges read back as zeros, the data around them intact"
! blkdiscard -o $((32 << 20)) -l $((1 << 20)) /dev/psblk0 2>/dev/null; check "a discard past the end fails"

# ------------------------------------------------------------ swap on it
mkswap /dev/psblk0 > /dev/null && swapon /dev/psblk0; check "mkswap + swapon /dev/psblk0"
grep -q '^/dev/psblk0 ' /proc/swaps; check "/proc/swaps lists it"
w0=$(awk '{print $5}' /sys/block/psblk0/stat)
mem-holder -a 4096 -n -p 4096 23 > /tmp/h.out 2>&1 &
pid=$!
wait_for /tmp/h.out '^ready'; check "mem-holder: 4096 pages paged out"
used=$(awk '$1 == "/dev/psblk0" {print $4}' /proc/swaps)
diag "swap used: ${used} kB; sectors written: $(( $(awk '{print $7}' /sys/block/psblk0/stat) ))"
[ "${used:-0}" -ge 8192 ]; check "swap on VRAM holds the paged-out memory (${used} kB used)"
[ "$(awk '{print $5}' /sys/block/psblk0/stat)" -gt "$w0" ]; check "the disk counted the writes"
kill -USR1 $pid && wait $pid && grep -q '^verified .*, 0 bad$' /tmp/h.out
check "every paged-out byte came back from swap on VRAM"
swapoff /dev/psblk0; check "swapoff"

# -------------------------------------------------- teardown and rebind
unbind "$dev" && [ ! -e /dev/psblk0 ]; check "unbind removes /dev/psblk0"
echo "$dev" > $PS_SYSDRV/bind && [ -b /dev/psblk0 ]; check "bind again: the disk is back"
unload_module && [ ! -e /dev/psblk0 ]; check "rmmod"

# Data for the host to find (blkdev.host.sh compares this digest with the
# backing file at the disk's offset + 3 MiB).  Written last, and the module
# stays bound: swap and a bind's probe self-test overwrite the disk's VRAM,
# and unbind scrubs it (vram-scrub checks that).
load_module blkdev_mb=31 && bind_new_id && [ -b /dev/psblk0 ]; check "load and bind once more for the host check"
dd if=/tmp/data of=/dev/psblk0 bs=1M seek=3 conv=fsync 2>/dev/null; check "write 4 MiB for the host check"
tap "# blk-data $(($(cat $a/blkdev_offset) + (3 << 20))) $((4 << 20)) $(md5sum < /tmp/data | cut -d' ' -f1)"
done_testing

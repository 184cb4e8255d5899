# SPDX-License-Identifier: GPL-2.0
# results: 19
# vram: 128M
# timeout: 600
# Unbinding while swap is active on /dev/psblkN (issue 12 item 5): PCI
# remove cannot fail, so the open disk is copied to RAM and stays, served
# from RAM, until its last close.  The paged-out memory comes back byte
# for byte, swap keeps working, rmmod is refused while swap holds the disk
# (and works after swapoff), and a device bound meanwhile gets another N.
. /ps/lib.sh

dev=$(ivshmem_devices | head -n1)
load_module blkdev_mb=32 && bind_new_id && [ -b /dev/psblk0 ]; check "load with blkdev_mb=32 and bind"
mkswap /dev/psblk0 > /dev/null && swapon /dev/psblk0; check "mkswap + swapon /dev/psblk0"
mem-holder -a 4096 -n -p 4096 29 > /tmp/h.out 2>&1 &
pid=$!
wait_for /tmp/h.out '^ready'; check "mem-holder: 4096 pages paged out"
used=$(awk '$1 == "/dev/psblk0" {print $4}' /proc/swaps)
[ "${used:-0}" -ge 8192 ]; check "swap on VRAM holds the paged-out memory (${used} kB used)"
# Swapped-out pages may still sit in the swap cache: the disk's own bytes
# are compared too (read afresh: the block device's page cache dropped).
echo 3 > /proc/sys/vm/drop_caches
sum0=$(dd if=/dev/psblk0 bs=1M 2>/dev/null | md5sum | cut -d' ' -f1)
dmesg_mark
unbind "$dev" && ! bound_to_us "$dev"; check "unbind with swap active on /dev/psblk0"
dmesg_new | grep -q "psblk0 is open: its 32 MiB were copied to RAM"; check "the disk was copied to RAM"
[ -b /dev/psblk0 ] && grep -q '^/dev/psblk0 ' /proc/swaps; check "/dev/psblk0 stays, swap still on it"
echo 3 > /proc/sys/vm/drop_caches
sum1=$(dd if=/dev/psblk0 bs=1M 2>/dev/null | md5sum | cut -d' ' -f1)
[ "$sum0" = "$sum1" ]; check "every byte of the disk is the same after the unbind ($sum1)"
! unload_module 2>/dev/null; check "rmmod refused while swap is on the disk"
kill -USR1 $pid && wait $pid && grep -q '^verified .*, 0 bad$' /tmp/h.out
check "every paged-out byte came back (from the swap cache or the disk in RAM)"
mem-holder -a 2048 -n -p 2048 -x 1 37 > /tmp/h2.out 2>&1 && grep -q '^verified .*, 0 bad$' /tmp/h2.out
check "swap keeps working: 2048 more pages out and back"
bind_override "$dev" && [ -c /dev/pseudoscopic1 ] && [ -b /dev/psblk1 ]; check "the device binds again, as pseudoscopic1 and psblk1"
unbind "$dev" && [ ! -e /dev/psblk1 ]; check "unbinding it deletes the unused psblk1"
dmesg_mark
swapoff /dev/psblk0; check "swapoff"
dmesg_wait "psblk0 closed: deleted with its 32 MiB of RAM"; check "the disk goes on its last close"
[ ! -e /dev/psblk0 ]; check "/dev/psblk0 is gone"
unload_module; check "rmmod after swapoff"
load_module blkdev_mb=32 && bind_new_id && [ -b /dev/psblk0 ]; check "bind again: psblk0 is free"
unload_module; check "rmmod"
done_testing

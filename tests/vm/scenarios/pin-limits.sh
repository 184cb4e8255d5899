# SPDX-License-Identifier: GPL-2.0
# results: 23
# vram: 128M
# timeout: 400
# Pinning and async prefetch are bounded: PS_MIGRATE_PIN stops at the
# device's max_pinned_pages (ENOSPC) and at the caller's RLIMIT_MEMLOCK
# (ENOMEM, charged as VmPin), PS_MIGRATE_UNPIN and munmap give pins and
# charge back, and more than max_async queued prefetches get EAGAIN.
. /ps/lib.sh

load_module max_async=2 && bind_new_id; check "load and bind (max_async=2)"
dev=$(ivshmem_devices | head -n1)
a=/sys/bus/pci/devices/$dev/pseudoscopic
[ "$(cat $a/max_pinned_pages)" = "$(($(cat $a/pool_pages) / 2))" ]; check "max_pinned_pages defaults to half the pool ($(cat $a/max_pinned_pages))"
echo 1000 > $a/max_pinned_pages && [ "$(cat $a/max_pinned_pages)" = 1000 ]; check "max_pinned_pages set to 1000"
subtests pin-test pin-test /dev/pseudoscopic0 $a; check "pin-test suite (see the lines above)"
[ "$(cat $a/pinned_pages)" = 0 ]; check "no pin left after the program exited"
i=0
while [ "$(cat $a/free_pages)" != "$(cat $a/pool_pages)" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ "$(cat $a/free_pages)" = "$(cat $a/pool_pages)" ]; check "pool fully free afterwards"
unload_module; check "rmmod"
done_testing

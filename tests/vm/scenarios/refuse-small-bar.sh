# SPDX-License-Identifier: GPL-2.0
# results: 5
# vram: 2M
# A BAR too small for the minimum pool (4 MiB) is refused with a clear
# message, and nothing is left claimed.
. /ps/lib.sh

dev=$(ivshmem_devices | head -n1)
dmesg_mark
load_module; check "insmod"
bind_new_id 2>/dev/null
! bound_to_us "$dev"; check "2 MiB BAR refused"
dmesg_new | grep -q "$dev: BAR2 (2 MiB, 2 MiB VRAM) leaves less than the minimum pool (4 MiB)"
check "refusal names the BAR, its size and the minimum"
! grep -q pseudoscopic /proc/iomem; check "nothing left claimed"
unload_module; check "rmmod"
done_testing

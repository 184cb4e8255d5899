# SPDX-License-Identifier: GPL-2.0
# results: 17
# vram: 256M
# The module loads, binds emulated VRAM through new_id and driver_override,
# maps the BAR write-combined, and unbinds and unloads cleanly.
. /ps/lib.sh

dev=$(ivshmem_devices | head -n1)
[ -n "$dev" ]; check "an ivshmem device is present ($dev)"

dmesg_mark
load_module; check "insmod pseudoscopic.ko"
dmesg_new | grep -q "pseudoscopic: kernel API: "; check "module reports the kernel API it was built for"
! bound_to_us "$dev"; check "ivshmem is not claimed without new_id"

bind_new_id; check "new_id accepted"
bound_to_us "$dev"; check "device bound through new_id"
dmesg_new | grep -q "$dev: BAR2: 256 MiB at .*64-bit prefetchable, mapped write-combined"
check "BAR2 chosen as the 64-bit prefetchable 256 MiB BAR and mapped WC"
grep -q pseudoscopic /proc/iomem; check "BAR region claimed in /proc/iomem"

unbind "$dev"; check "unbind"
! bound_to_us "$dev"; check "device no longer bound"
! grep -q pseudoscopic /proc/iomem; check "BAR region released on unbind"

echo "1af4 1110" > $PS_SYSDRV/remove_id; check "remove_id"
bind_override "$dev"; check "bind through driver_override"
bound_to_us "$dev"; check "device bound through driver_override"

dmesg_mark
unload_module; check "rmmod while bound"
dmesg_new | grep -q "$dev: unbound"; check "rmmod unbinds the device first"
! grep -q pseudoscopic /proc/iomem; check "nothing left in /proc/iomem after rmmod"
echo > /sys/bus/pci/devices/$dev/driver_override

done_testing

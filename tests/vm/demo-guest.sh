# SPDX-License-Identifier: GPL-2.0
# vram: 256M
# Guest half of `make demo`: everything printed here is shown to the user.
. /ps/lib.sh
say() { printf '%s\n' "$*" >&3; }
run() { say "guest# $*"; "$@" 2>&1 | sed 's/^/  /' >&3; }
kmsg() { dmesg_new | grep -E 'pseudoscopic' | sed 's/^\[[ 0-9.]*\] /  /' >&3; }

dev=$(ivshmem_devices | head -n1)
say "== emulated GPU: ivshmem device $dev with a 256 MiB BAR (the 'VRAM') =="
run cat /sys/bus/pci/devices/$dev/vendor /sys/bus/pci/devices/$dev/device
dmesg_mark
say ""
say "== load the driver and bind the device through new_id =="
run insmod /ps/pseudoscopic.ko
say "guest# echo 1af4 1110 > /sys/bus/pci/drivers/pseudoscopic/new_id"
bind_new_id
kmsg
say ""
say "== what the driver publishes =="
run ps-status
run ls /sys/bus/pci/devices/$dev/pseudoscopic/
run grep pseudoscopic /proc/iomem
say ""
say "== write a pattern through the BAR; the host reads it back from the backing file =="
run vram-poke write /sys/bus/pci/devices/$dev/resource2 0x100000 1048576 42
say ""
say "== unbind and unload =="
dmesg_mark
unbind "$dev"
run rmmod pseudoscopic
kmsg
tap "1..0"

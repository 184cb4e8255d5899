# SPDX-License-Identifier: GPL-2.0
# results: 4
# vram: 64M
# host-check: 3
# Platform check: data the guest writes through the BAR lands in the host's
# ivshmem backing file at the same offset (see vram-window.host.sh).
. /ps/lib.sh

dev=$(ivshmem_devices | head -n1)
res=/sys/bus/pci/devices/$dev/resource2
vram-poke write "$res" 0x0 65536 7; check "write pattern at BAR offset 0"
vram-poke write "$res" 0x3ff0000 65536 9; check "write pattern at the last 64 KiB"
vram-poke verify "$res" 0x0 65536 7; check "read the pattern back in the guest"
! vram-poke verify "$res" 0x10000 65536 7 2>/dev/null; check "verify detects a wrong pattern"
done_testing

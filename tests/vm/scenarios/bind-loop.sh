# SPDX-License-Identifier: GPL-2.0
# vram: 64M
# timeout: 600
# 50 bind/unbind cycles and 5 load/unload cycles leak nothing: memory,
# /proc/iomem ranges and pool state all return to where they started.
. /ps/lib.sh

dev=$(ivshmem_devices | head -n1)
load_module && bind_new_id && unbind "$dev"; check "first bind and unbind"
free0=$(memfree_settled)
ok=1
i=0
while [ $i -lt 50 ]; do
	echo "$dev" > $PS_SYSDRV/bind || { ok=0; break; }
	[ "$(cat /sys/bus/pci/devices/$dev/pseudoscopic/free_pages)" = 16384 ] || { ok=0; break; }
	unbind "$dev" || { ok=0; break; }
	i=$((i + 1))
done
[ $ok = 1 ]; check "50 bind/unbind cycles ($i done)"
free1=$(memfree_settled)
diag "MemFree before $free0 kB, after $free1 kB"
# One cycle allocates ~1 MiB of struct pages; 50 leaked cycles would be
# 50 MiB.  Allow 2 MiB of noise.
[ $((free0 - free1)) -lt 2048 ]; check "no memory leaked over 50 cycles ($((free0 - free1)) kB)"
[ "$(grep -c pseudoscopic /proc/iomem)" = 0 ]; check "no /proc/iomem range left"
unload_module; check "rmmod"
ok=1
for i in 1 2 3 4 5; do
	load_module && bind_new_id && bound_to_us "$dev" && unload_module || { ok=0; break; }
done
[ $ok = 1 ]; check "5 load/bind/rmmod cycles"
free2=$(memfree_settled)
[ $((free0 - free2)) -lt 2048 ]; check "no memory leaked over load cycles ($((free0 - free2)) kB)"
done_testing

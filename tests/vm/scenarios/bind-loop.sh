# SPDX-License-Identifier: GPL-2.0
# results: 7
# vram: 64M
# timeout: 600
# 50 bind/unbind cycles and 5 load/unload cycles leak nothing: memory,
# /proc/iomem ranges and pool state all return to where they started.
. /ps/lib.sh

dev=$(ivshmem_devices | head -n1)
load_module && bind_new_id && unbind "$dev"; check "first bind and unbind"
# An unsettled reading (memfree_settled fails) proves nothing: u0..u2.
u0=0 u1=0 u2=0
free0=$(memfree_settled) || u0=1
ok=1
i=0
while [ $i -lt 50 ]; do
	echo "$dev" > $PS_SYSDRV/bind || { ok=0; break; }
	[ "$(cat /sys/bus/pci/devices/$dev/pseudoscopic/free_pages)" = 16384 ] || { ok=0; break; }
	unbind "$dev" || { ok=0; break; }
	i=$((i + 1))
done
[ $ok = 1 ]; check "50 bind/unbind cycles ($i done)"
free1=$(memfree_settled) || u1=1
diag "free memory (MemFree and the per-CPU lists) before $free0 kB, after $free1 kB"
# One cycle allocates ~1 MiB of struct pages; 50 leaked cycles would be
# 50 MiB.  Allow 2 MiB of noise.
[ $((u0 + u1)) = 0 ] && [ $((free0 - free1)) -lt 2048 ]
check "no memory leaked over 50 cycles ($((free0 - free1)) kB, $((u0 + u1)) unsettled readings)"
[ "$(grep -c pseudoscopic /proc/iomem)" = 0 ]; check "no /proc/iomem range left"
unload_module; check "rmmod"
ok=1
for i in 1 2 3 4 5; do
	load_module && bind_new_id && bound_to_us "$dev" && unload_module || { ok=0; break; }
done
[ $ok = 1 ]; check "5 load/bind/rmmod cycles"
free2=$(memfree_settled) || u2=1
[ $((u0 + u2)) = 0 ] && [ $((free0 - free2)) -lt 2048 ]
check "no memory leaked over load cycles ($((free0 - free2)) kB, $((u0 + u2)) unsettled readings)"
done_testing

# SPDX-License-Identifier: GPL-2.0
# results: 5
# vram: 64M
# cpu: qemu64
# On a CPU with only x86-64's baseline SIMD (SSE2, no SSE4.1 and so no
# MOVNTDQA), data comes back from VRAM through the SSE2 copy: CPU faults
# on device pages neither oops nor corrupt.
. /ps/lib.sh

! grep -qw sse4_1 /proc/cpuinfo; check "the CPU has no SSE4.1 (qemu64)"
grep -qw sse2 /proc/cpuinfo; check "the CPU has SSE2"
load_module && bind_new_id; check "load and bind"
subtests cycles migrate-test /dev/pseudoscopic0 cycles 50
done_testing

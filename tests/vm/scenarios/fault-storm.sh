# SPDX-License-Identifier: GPL-2.0
# results: 7
# vram: 64M
# smp: 8
# timeout: 900
# Many threads fault on the same page in VRAM at once, round after round
# (onepage-test): every round ends, every read is right.  On 6.12 each
# fault holds a reference on the device page while it runs and the kernel
# does not serialise them (7.x locks the page first), so the driver must:
# a migration that gives up on the other faults' references sends them all
# back to fault again, a livelock no kernel detector sees.  8 vCPUs on
# the machine's 2 cores: the host preempts vCPUs inside the fault path,
# which widens the window as many cores would.
. /ps/lib.sh

dev=$(ivshmem_devices | head -n1)
a=/sys/bus/pci/devices/$dev/pseudoscopic
[ "$(grep -c '^processor' /proc/cpuinfo)" = 8 ]; check "8 vCPUs, as the smp header asks (the runner read it)"
load_module && bind_new_id; check "load and bind"
f0=$(cat $a/cpu_faults) c0=$(cat $a/fault_collisions)
subtests storm onepage-test /dev/pseudoscopic0 32 200
f=$(( $(cat $a/cpu_faults) - f0 )) c=$(( $(cat $a/fault_collisions) - c0 ))
# Unserialised, every one of the 32 threads makes a whole migration
# attempt per page (6.12 before the fix: 7287 for 200 pages, 36 a page);
# serialised, only one fault at a time does, the others retry the access.
[ "$f" -le $((200 * 32 / 4)) ]
check "migration attempts stay below a quarter of the threads per page ($f for 200 pages, $c faults sent back)"
unload_module; check "rmmod"
done_testing

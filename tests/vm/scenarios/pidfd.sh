# SPDX-License-Identifier: GPL-2.0
# results: 29
# vram: 64M
# timeout: 300
# Another process's memory through a pidfd: MIGRATE and RESIDENCY with
# PS_MIGRATE_PIDFD / PS_RES_PIDFD, the rights they need (CAP_SYS_PTRACE:
# a module cannot call the LSM ptrace hook; Yama's ptrace_scope 3 refuses
# everyone), and per-page BAR offsets (CAP_SYS_ADMIN).
. /ps/lib.sh

dev=$(ivshmem_devices | head -n1)
a=/sys/bus/pci/devices/$dev/pseudoscopic
load_module && bind_new_id; check "load and bind"
subtests pidfd-test pidfd-test /dev/pseudoscopic0 all; check "pidfd-test suite (see the lines above)"
# Last: ptrace_scope 3 cannot be set back.
subtests yama pidfd-test /dev/pseudoscopic0 yama; check "pidfd-test yama (see the lines above)"
[ "$(cat $a/free_pages)" = "$(cat $a/pool_pages)" ]; check "pool fully free after the suite"
unload_module; check "rmmod"
done_testing

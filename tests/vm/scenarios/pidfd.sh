# SPDX-License-Identifier: GPL-2.0
# results: 22
# vram: 64M
# timeout: 300
# Another process's memory through a pidfd: MIGRATE and RESIDENCY with
# PS_MIGRATE_PIDFD / PS_RES_PIDFD, the ptrace-like rights they need (own
# descendants, same credentials, dumpable; CAP_SYS_PTRACE otherwise), and
# per-page BAR offsets (CAP_SYS_ADMIN).
. /ps/lib.sh

dev=$(ivshmem_devices | head -n1)
a=/sys/bus/pci/devices/$dev/pseudoscopic
load_module && bind_new_id; check "load and bind"
subtests pidfd-test pidfd-test /dev/pseudoscopic0 all; check "pidfd-test suite (see the lines above)"
[ "$(cat $a/free_pages)" = "$(cat $a/pool_pages)" ]; check "pool fully free after the suite"
unload_module; check "rmmod"
done_testing

# SPDX-License-Identifier: GPL-2.0
# results: 32
# vram: 64M
# timeout: 300
# PS_IOC_RESIDENCY with PS_RES_SWAP: pages paged out to (zram) swap read as
# swapped, page for page as /proc/self/pagemap says, unpopulated ones as
# absent, and the query brings nothing back in; without the flag the
# version-2 states are kept.  ps-migrate --query uses the same answer.
# The query is a pure read: PROT_NONE pages in VRAM read as in VRAM (not
# swapped), and a THP (plain or PROT_NONE) is never split by it.
. /ps/lib.sh

echo madvise > /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null
load_module && bind_new_id; check "load and bind"
# Every test kernel has zram and swap: a setup failure fails, and the suite
# runs all the same (its swap checks then fail too).
zram_swap_on; check "zram swap on"
subtests swap-test swap-test /dev/pseudoscopic0; check "swap-test suite (see the lines above)"
swapoff /dev/zram0; check "swapoff: every swapped page came back"
dev=$(ivshmem_devices | head -n1)
a=/sys/bus/pci/devices/$dev/pseudoscopic
[ "$(cat $a/free_pages)" = "$(cat $a/pool_pages)" ]; check "pool fully free afterwards"
unload_module; check "rmmod"
done_testing

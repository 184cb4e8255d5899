# SPDX-License-Identifier: GPL-2.0
# results: 11
# vram: 64M
# timeout: 600
# A short ps-stress run: 2 processes x 4 threads migrating, faulting,
# forking, unmapping, moving (mremap) and madvising (DONTNEED, FREE,
# PAGEOUT) pages half in VRAM for 15 s (make soak: ps_stress_seconds= on
# the kernel command line), every byte checked; the checker itself is
# shown to catch a corrupted byte.
. /ps/lib.sh

secs=$(sed -n 's/.*ps_stress_seconds=\([0-9]*\).*/\1/p' /proc/cmdline)
secs=${secs:-15}

dev=$(ivshmem_devices | head -n1)
load_module && bind_new_id; check "load and bind"
ps-stress --procs 2 --threads 4 --duration "$secs" --size 16 --seed 3 > /tmp/s.out 2>&1; check "ps-stress for $secs s exits 0"
diag "$(cat /tmp/s.out)"
grep -q "corrupt pages 0, errors 0: ok" /tmp/s.out; check "no corruption, no error"
grep -q "pages moved  [1-9]" /tmp/s.out; check "pages really moved"
ps-stress --json --duration 2 --size 4 > /tmp/j.out; check "--json run"
grep -q '"corrupt_pages": 0' /tmp/j.out && grep -q '"p99.9"' /tmp/j.out; check "--json carries corruption count and latency percentiles"
! ps-stress --duration 1 --size 4 --corrupt-one > /tmp/c.out 2>&1; check "a corrupted byte makes ps-stress fail"
grep -q "corrupt pages [1-9]" /tmp/c.out; check "and it reports the corrupt page"
ps-stress --threads 0 2>/dev/null; [ $? = 2 ]; check "bad --threads is a usage error (exit 2)"
[ "$(cat /sys/bus/pci/devices/$dev/pseudoscopic/free_pages)" = "$(cat /sys/bus/pci/devices/$dev/pseudoscopic/pool_pages)" ]
check "pool whole after the stress runs"
unload_module; check "rmmod"
done_testing

# SPDX-License-Identifier: GPL-2.0
# results: 17
# vram: 64M
# timeout: 300
# The copy microbenchmark in debugfs (src/iface/copy_bench.c): one measurement
# per routine and size, a verified round trip through the BAR, and no harm
# to pages resident in VRAM or to the pool's accounting.
. /ps/lib.sh

bench=/sys/kernel/debug/pseudoscopic/copy_bench
load_module && bind_new_id; check "load and bind"
dev=$(ivshmem_devices | head -n1)
attr=/sys/bus/pci/devices/$dev/pseudoscopic
[ -r $bench ]; check "debugfs file $bench exists"

# Resident data the benchmark must not touch (it borrows a free chunk).
migrate-test /dev/pseudoscopic0 hold 4096 77 > /tmp/hold.out &
pid=$!
i=0
while ! grep -q '^# ready' /tmp/hold.out && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
grep -q '^ok .*hold: 4096 pages moved' /tmp/hold.out; check "4096 pages resident in VRAM"
free_before=$(cat $attr/free_pages)

cat $bench > /tmp/bench.out; check "copy_bench reads without error"
sed 's/^/# /' /tmp/bench.out >&3
re="^$dev (4096|65536|2097152) [a-z_]+ [0-9]+\.[0-9]{3} [0-9]+\$"
bad=0
for t in ram_memcpy ram_memcpy_cold memcpy_toio ps_copy_to_wc ps_copy_to_wc_cold \
	memcpy_fromio ps_copy_from_wc ps_copy_from_wc_cold; do
	n=$(grep -E "$re" /tmp/bench.out | awk -v t=$t '$3 == t && $4 > 0' | wc -l)
	[ "$n" = 3 ] || { diag "$t: $n of 3 sizes measured"; bad=1; }
done
[ $bad = 0 ]; check "every copy test measured at 4 KiB, 64 KiB and 2 MiB with a non-zero rate"
for t in clflush clflushopt clwb; do
	if grep -q "^# cache line .*has:.* $t\( \|\$\)" /tmp/bench.out; then
		[ "$(grep -E "$re" /tmp/bench.out | awk -v t=$t '$3 == t' | wc -l)" = 3 ]
		check "$t measured at every size"
	else
		grep -q "$t: not supported" /tmp/bench.out; check "$t reported as unsupported"
	fi
done
grep -q 'round trip through the BAR differs' /tmp/bench.out; [ $? = 1 ]; check "no round-trip mismatch"
dmesg | grep -q 'copy_bench: cache write-back [a-z]*, flush [a-z]*, [0-9]*-byte lines'
check "chosen cache routines logged"
[ "$(cat $attr/free_pages)" = "$free_before" ]; check "pool free pages unchanged by the benchmark ($free_before)"

kill -USR1 $pid; wait $pid; check "holder exits cleanly"
grep -q '^ok .*all 4096 pages intact' /tmp/hold.out; check "resident data intact after the benchmark"

unbind "$dev"; check "unbind"
cat $bench > /tmp/bench2.out && grep -q '^# no bound device' /tmp/bench2.out; check "no device: the file says so"
unload_module; check "unload"
[ ! -e $bench ]; check "debugfs file gone after unload"
done_testing

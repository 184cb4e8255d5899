# SPDX-License-Identifier: GPL-2.0
# vram: 256M
# timeout: 2400
# results: 7
# Guest half of `make bench`: set up the three references and run
# ps-bench (tools/ps-bench) on all four contenders in five interleaved
# repetitions, then, where 2 MiB folios moved (device-private THP), the
# pseudoscopic part again with device_thp=0, then the copy
# microbenchmark.  Lines starting with "bench:", "bench-spread:" and
# "copybench:" carry the measurements, ps-bench's "ratios" section the
# ratios (medians of the per-repetition ratios, with their range).
. /ps/lib.sh

reps=5
modprobe test_hmm; check "test_hmm.ko (reference driver)"
modprobe zram; check "zram.ko (with its dependencies)"
echo lz4 > /sys/block/zram0/comp_algorithm 2>/dev/null
echo 512M > /sys/block/zram0/disksize && mkswap /dev/zram0 >/dev/null && swapon /dev/zram0
check "zram swap on ($(cat /sys/block/zram0/comp_algorithm | tr -d '\n'))"
load_module && bind_new_id; check "pseudoscopic bound"
dev=$(ivshmem_devices | head -n1)
attrs=/sys/bus/pci/devices/$dev/pseudoscopic
# --only: a contender that is missing here is a failure, not a skip.
ps-bench --raw --size 64 --repeat $reps --only memcpy,pseudoscopic,dmirror,zram > /tmp/bench.out 2>&1
check "ps-bench ran $reps interleaved repetitions and verified every buffer"
sed 's/^/# /' /tmp/bench.out >&3
# Where whole 2 MiB folios moved, the same without them: what the folios
# are worth under this emulation (explains the to-device figure).
thp=$(cat $attrs/thp_to_vram)
if [ "$thp" -gt 0 ]; then
	unbind "$dev" && unload_module && load_module device_thp=0 && bind_override "$dev" &&
		ps-bench --raw --size 64 --repeat $reps --only memcpy,pseudoscopic > /tmp/nothp.out 2>&1 &&
		[ "$(cat $attrs/thp_to_vram)" = 0 ]
	check "device_thp=0: pseudoscopic measured again with single pages ($thp folios had moved whole)"
	sed 's/^/# nothp: /' /tmp/nothp.out >&3
else
	true; check "device_thp=0 run not needed: no 2 MiB folio moved on this kernel"
fi
# The copy routines' microbenchmark on the same emulated BAR (a free pool
# chunk, borrowed and given back): lines "copybench: DEV BYTES TEST GB/s ROUNDS".
cat /sys/kernel/debug/pseudoscopic/copy_bench > /tmp/copybench.out; check "copy_bench (debugfs) ran"
sed 's/^/# copybench: /' /tmp/copybench.out >&3
done_testing

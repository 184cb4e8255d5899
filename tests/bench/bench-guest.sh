# SPDX-License-Identifier: GPL-2.0
# vram: 256M
# timeout: 900
# Guest half of `make bench`: set up the three references and run
# ps-bench (tools/ps-bench) on all four contenders, then the copy
# microbenchmark.  Lines starting with "bench:" and "copybench:" carry the
# measurements, ps-bench's "ratios" section the ratios.
. /ps/lib.sh

rel=$(uname -r)
modprobe test_hmm; check "test_hmm.ko (reference driver)"
modprobe zram; check "zram.ko (with its dependencies)"
echo lz4 > /sys/block/zram0/comp_algorithm 2>/dev/null
echo 512M > /sys/block/zram0/disksize && mkswap /dev/zram0 >/dev/null && swapon /dev/zram0
check "zram swap on ($(cat /sys/block/zram0/comp_algorithm | tr -d '\n'))"
load_module && bind_new_id; check "pseudoscopic bound"
# --only: a contender that is missing here is a failure, not a skip.
ps-bench --raw --size 64 --only memcpy,pseudoscopic,dmirror,zram > /tmp/bench.out 2>&1
check "ps-bench ran and verified every buffer"
sed 's/^/# /' /tmp/bench.out >&3
# The copy routines' microbenchmark on the same emulated BAR (a free pool
# chunk, borrowed and given back): lines "copybench: DEV BYTES TEST GB/s ROUNDS".
cat /sys/kernel/debug/pseudoscopic/copy_bench > /tmp/copybench.out; check "copy_bench (debugfs) ran"
sed 's/^/# copybench: /' /tmp/copybench.out >&3
done_testing

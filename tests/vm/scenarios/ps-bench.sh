# SPDX-License-Identifier: GPL-2.0
# vram: 64M
# timeout: 900
# results: 13
# ps-bench in the test suite (make bench runs it at full size): short runs
# of all four contenders in interleaved repetitions verify every buffer,
# report medians with their spread, count the pages that really moved and
# time random faults only on pages that are away; a reference named by
# --only that is missing exits 2, and so do usage errors.
. /ps/lib.sh

quick="--size 4 --samples 100 --repeat 2"
load_module && bind_new_id; check "load and bind"
ps-bench $quick --only memcpy,pseudoscopic > /tmp/b.out 2>&1; check "ps-bench: memcpy and pseudoscopic measured and verified"
diag "$(cat /tmp/b.out)"
ps-bench --size 4 --samples 100 --only dmirror > /tmp/e.out 2>&1; [ $? = 2 ]
check "--only dmirror without test_hmm loaded: exit 2"
diag "$(cat /tmp/e.out)"
ps-bench --size 0 > /dev/null 2>&1; [ $? = 2 ]; check "--size 0: exit 2"
ps-bench --repeat 0 > /dev/null 2>&1; [ $? = 2 ]; check "--repeat 0: exit 2"
modprobe test_hmm; check "test_hmm.ko (reference driver)"
# Every test kernel has zram and swap (CONFIG_ZRAM=m, CONFIG_SWAP=y): a
# setup failure fails, and the runs below then fail too.
modprobe zram && echo 64M > /sys/block/zram0/disksize && mkswap /dev/zram0 > /dev/null &&
	swapon /dev/zram0
check "zram swap on"
ps-bench $quick --json > /tmp/b.json 2>/tmp/b.err; check "all four contenders, two repetitions, --json" ||
	diag "stderr: $(cat /tmp/b.err)"
diag "$(head -c 600 /tmp/b.json)"
for c in memcpy pseudoscopic dmirror zram; do
	grep -q "\"$c\"" /tmp/b.json || { diag "no $c in the JSON"; false; }
done && grep -q '"repetitions": 2' /tmp/b.json
check "the JSON has every contender and both repetitions"
ps-bench $quick --raw > /tmp/r.out 2>&1 &&
	grep -q '^bench: pseudoscopic_to_vram [0-9.]* MB/s$' /tmp/r.out &&
	grep -q '^bench: zram_fault_p50 [0-9.]* us$' /tmp/r.out &&
	grep -q '^bench-spread: zram_fault_p50 [0-9.]* [0-9.]* [0-9.]* [0-9.]* us 2$' /tmp/r.out
check "--raw prints bench: lines with their spread over two repetitions"
diag "$(grep -E '_fault_(timed|pages) ' /tmp/r.out)"
# Random faults time only pages found away: each contender timed some,
# and every timed fault brought back at least its own page.
for c in pseudoscopic dmirror zram; do
	awk -v c="$c" '$1 == "bench:" && $2 == c "_fault_timed" { t = $3 }
		$1 == "bench:" && $2 == c "_fault_pages" { p = $3 }
		END { exit !(t >= 1 && p >= 1) }' /tmp/r.out || { diag "$c: no random fault timed on a page away"; false; }
done
check "random faults: pages found away were timed, each bringing back at least one page"
swapoff /dev/zram0; check "swapoff"
unload_module; check "rmmod"
done_testing

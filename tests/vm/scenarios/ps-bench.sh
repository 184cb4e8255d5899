# SPDX-License-Identifier: GPL-2.0
# vram: 64M
# timeout: 600
# ps-bench in the test suite (make bench runs it at full size): a short run
# of all four contenders verifies every buffer and prints ratios; a missing
# reference is skipped unless --only asks for it; usage errors exit 2.
. /ps/lib.sh

load_module && bind_new_id; check "load and bind"
ps-bench --size 4 --samples 100 --only memcpy,pseudoscopic > /tmp/b.out 2>&1; check "ps-bench: memcpy and pseudoscopic measured and verified"
diag "$(cat /tmp/b.out)"
ps-bench --size 4 --samples 100 --only dmirror > /tmp/e.out 2>&1; [ $? = 2 ]
check "--only dmirror without test_hmm loaded: exit 2"
diag "$(cat /tmp/e.out)"
ps-bench --size 0 > /dev/null 2>&1; [ $? = 2 ]; check "--size 0: exit 2"
modprobe test_hmm; check "test_hmm.ko (reference driver)"
if modprobe zram && echo 64M > /sys/block/zram0/disksize && mkswap /dev/zram0 > /dev/null &&
	swapon /dev/zram0; then
	check "zram swap on"
	ps-bench --size 4 --samples 100 --json > /tmp/b.json 2>/tmp/b.err; check "all four contenders, --json"
	diag "$(head -c 600 /tmp/b.json)"
	for c in memcpy pseudoscopic dmirror zram; do
		grep -q "\"$c\"" /tmp/b.json || { diag "no $c in the JSON"; false; }
	done
	check "the JSON has every contender"
	ps-bench --size 4 --samples 100 --raw > /tmp/r.out 2>&1 &&
		grep -q '^bench: pseudoscopic_to_vram [0-9.]* MB/s$' /tmp/r.out &&
		grep -q '^bench: zram_fault_p50 [0-9.]* us$' /tmp/r.out
	check "--raw prints bench: lines"
	swapoff /dev/zram0
else
	skip "all four contenders" "no zram swap in this kernel"
fi
unload_module; check "rmmod"
done_testing

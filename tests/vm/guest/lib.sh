# SPDX-License-Identifier: GPL-2.0
# Helpers for guest scenarios (sourced by /ps/scenario.sh).  Results are TAP
# lines written to fd 3, the second serial port, which the host reads.
# Kernel messages go to the first serial port and never mix with them.

PS_TESTS=0
PS_FAILED=0
PS_SYSDRV=/sys/bus/pci/drivers/pseudoscopic

tap() { echo "$*" >&3; }
diag() { printf "%s\n" "$*" | sed "s/^/# /" >&3; }

# ok CONDITION-STATUS DESCRIPTION: record one test from the last command's
# status.  usage: some_command; check "what it proves"
check() {
	local rc=$?
	PS_TESTS=$((PS_TESTS + 1))
	if [ "$rc" = 0 ]; then
		tap "ok $PS_TESTS - $*"
	else
		PS_FAILED=$((PS_FAILED + 1))
		tap "not ok $PS_TESTS - $* (status $rc)"
	fi
	return $rc
}
skip() {
	PS_TESTS=$((PS_TESTS + 1))
	tap "ok $PS_TESTS - $1 # SKIP $2"
}
# Print the end-of-run plan; the host treats a missing plan as a crash.
done_testing() {
	tap "1..$PS_TESTS"
	[ "$PS_FAILED" = 0 ]
}

# wait_for FILE PATTERN [TENTHS]: wait until FILE has a line matching the
# grep PATTERN, at most TENTHS tenths of a second (300); fails if it never
# does.
wait_for() {
	local i=0
	while ! grep -q "$2" "$1" 2>/dev/null && [ $i -lt "${3:-300}" ]; do
		sleep 0.1
		i=$((i + 1))
	done
	grep -q "$2" "$1"
}

# Kernel log since the last mark.  The mark is a unique line written to
# /dev/kmsg, not a line count: once the log buffer wraps, a count points at
# the wrong place, and "nothing since the mark" would hold without anything
# being looked at.  dmesg_new prints the lines after the (last) mark line;
# if the mark is no longer in the buffer it prints nothing, says so, and
# fails.  A negative check must use dmesg_lacks, which fails then too.
PS_DMESG_MARK=
PS_DMESG_SEQ=0
dmesg_mark() {
	PS_DMESG_SEQ=$((PS_DMESG_SEQ + 1))
	PS_DMESG_MARK="ps-test: log mark <$$.$PS_DMESG_SEQ>"
	echo "$PS_DMESG_MARK" > /dev/kmsg
}
dmesg_new() {
	local log
	[ -n "$PS_DMESG_MARK" ] || { diag "dmesg_new without dmesg_mark"; return 1; }
	log=$(dmesg)
	case $log in
	*"$PS_DMESG_MARK"*) ;;
	*)
		diag "kernel log: mark '$PS_DMESG_MARK' lost (the log buffer wrapped): nothing since it can be checked"
		return 1 ;;
	esac
	printf "%s\n" "$log" | awk -v m="$PS_DMESG_MARK" '
		index($0, m) { n = 0; next }
		{ l[++n] = $0 }
		END { for (i = 1; i <= n; i++) print l[i] }'
}
# dmesg_wait PATTERN [TENTHS]: wait until a line since the mark matches the
# grep PATTERN, at most TENTHS tenths of a second (50).
dmesg_wait() {
	local i=0
	while ! dmesg_new 3>/dev/null | grep -q "$1" && [ $i -lt "${2:-50}" ]; do
		sleep 0.1
		i=$((i + 1))
	done
	dmesg_new | grep -q "$1"
}
# dmesg_lacks PATTERN: the mark is still in the log and no line since it
# matches the grep PATTERN.
dmesg_lacks() {
	local new
	new=$(dmesg_new) || return 1
	! printf "%s\n" "$new" | grep -q "$1"
}

# PCI addresses of the emulated VRAM devices (ivshmem-plain, 1af4:1110).
ivshmem_devices() {
	local d
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor")" = 0x1af4 ] && [ "$(cat "$d/device")" = 0x1110 ] &&
			basename "$d"
	done
}

load_module() { insmod /ps/pseudoscopic.ko "$@"; }
unload_module() { rmmod pseudoscopic; }

# memfree_settled: free memory in kB once it stops moving.  MemFree leaves
# out the pages parked on the per-CPU free lists, and with two CPUs those
# lists hold 10-20 MiB that come and go with every burst of frees (an
# unbind frees its struct pages that way): MemFree alone swings by 10 MiB
# where the sum below stays within 0.1 MiB, so the sum is what is read
# (the "count:" lines of /proc/zoneinfo, in pages).  On debug kernels
# freed slab objects wait in KASAN's quarantine (up to 1/32 of RAM) and
# emptied slabs stay cached: shrinking every slab cache first releases both
# (settled readings swung by 9 MiB on debug 7.3, shrunk ones by 0.3 MiB;
# the plain test kernels have no slab sysfs files).  Freed struct pages
# and pool arrays also reach the free lists late (RCU), so: drop the
# caches, then read every half second until two readings agree within
# 1 MiB (at most 10 tries).  If they never do, it still prints the last
# reading but fails and says so: callers count that status (usage:
# free=$(memfree_settled) || unsettled=1).
memfree_now() {
	local f
	for f in /sys/kernel/slab/*/shrink; do
		[ -w "$f" ] && echo 1 > "$f"
	done 2>/dev/null
	echo $(($(awk '/^MemFree:/ {print $2}' /proc/meminfo) +
		$(awk '$1 == "count:" {n += $2} END {print n * 4}' /proc/zoneinfo)))
}
memfree_settled() {
	local a b d i=0
	sync
	echo 3 > /proc/sys/vm/drop_caches
	b=$(memfree_now)
	while [ $i -lt 10 ]; do
		sleep 0.5
		a=$b
		b=$(memfree_now)
		d=$((a - b))
		if [ ${d#-} -lt 1024 ]; then
			echo "$b"
			return 0
		fi
		i=$((i + 1))
	done
	diag "free memory never settled: the last two readings, half a second apart, differ by $d kB ($a, $b)"
	echo "$b"
	return 1
}
# zram_swap_on: swap on a 64 MiB zram device, /dev/zram0.  Every test
# kernel has both (CONFIG_ZRAM=m, CONFIG_SWAP=y in test.config), so callers
# check this and never skip on it.
zram_swap_on() {
	modprobe zram && echo 64M > /sys/block/zram0/disksize &&
		mkswap /dev/zram0 > /dev/null && swapon /dev/zram0
}
# Bind one device through the dynamic id table (first call) or, when the
# id is already known, through driver_override.
bind_new_id() { echo "1af4 1110" > $PS_SYSDRV/new_id; }
bind_override() {
	echo pseudoscopic > /sys/bus/pci/devices/$1/driver_override &&
		echo "$1" > $PS_SYSDRV/bind
}
unbind() { echo "$1" > $PS_SYSDRV/unbind; }
bound_to_us() { [ "$(basename "$(readlink /sys/bus/pci/devices/$1/driver)")" = pseudoscopic ]; }

# kunit_send PREFIX: send the debugfs KTAP of every KUnit suite whose name
# starts with PREFIX to the host (one "# ktap-begin NAME" block per suite;
# the host parses them with the kernel's kunit_parser); fails if none.
kunit_send() {
	local d found=1
	for d in /sys/kernel/debug/kunit/"$1"*; do
		[ -f "$d/results" ] || continue
		found=0
		tap "# ktap-begin $(basename "$d")"
		cat "$d/results" >&3
		tap "# ktap-end"
	done
	return $found
}

# import_tap LABEL FILE: make each result a test program wrote to FILE one
# of this scenario's results (renumbered, prefixed with LABEL); its "#"
# comments pass through, any other line becomes a comment.  The scenario's
# declared count ("# results:") includes them.
import_tap() {
	local line
	while IFS= read -r line; do
		case "$line" in
		"ok "[0-9]*)
			PS_TESTS=$((PS_TESTS + 1))
			tap "ok $PS_TESTS - $1: ${line#ok * - }" ;;
		"not ok "[0-9]*)
			PS_TESTS=$((PS_TESTS + 1))
			PS_FAILED=$((PS_FAILED + 1))
			tap "not ok $PS_TESTS - $1: ${line#not ok * - }" ;;
		"#"*) tap "$line" ;;
		*) diag "$1: $line" ;;
		esac
	done < "$2"
}
# subtests LABEL CMD...: run a test program that prints TAP and import its
# results (import_tap); returns the program's own exit status.
subtests() {
	local label=$1 rc
	shift
	"$@" > /tmp/.subtests.out 2>&1
	rc=$?
	import_tap "$label" /tmp/.subtests.out
	return $rc
}

# rmmod and modprobe -r record the module's /proc/modules line (name, size,
# load address) in /ps/modules.log before it goes: kmemleak prints frames
# of an unloaded module as bare addresses, and the host attributes them
# through these lines.  (Functions: busybox sh runs its applets before
# anything in PATH.)
_ps_modrecord() {
	local a m
	for a in "$@"; do
		case "$a" in
		-*) ;;
		*) m=${a##*/}; m=${m%.ko}; grep "^$(echo "$m" | tr - _) " /proc/modules >> /ps/modules.log ;;
		esac
	done
}
rmmod() { _ps_modrecord "$@"; command rmmod "$@"; }
modprobe() {
	case " $* " in *" -r "*) _ps_modrecord "$@" ;; esac
	command modprobe "$@"
}

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

# Kernel log since the last mark (dmesg is small in these VMs).
PS_DMESG_MARK=0
dmesg_mark() { PS_DMESG_MARK=$(dmesg | wc -l); }
dmesg_new() { dmesg | tail -n +$((PS_DMESG_MARK + 1)); }

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

# Bind one device through the dynamic id table (first call) or, when the
# id is already known, through driver_override.
# memfree_settled: MemFree in kB once it stops moving.  Freed struct pages
# and pool arrays reach the free lists late (RCU, per-CPU lists), so one
# reading right after an unbind is off by tens of MiB either way: drop the
# caches, then read every half second until two readings agree within 1 MiB
# (at most 10 tries).
memfree_settled() {
	local a b d i=0
	sync
	echo 3 > /proc/sys/vm/drop_caches
	b=$(awk '/MemFree/ {print $2}' /proc/meminfo)
	while [ $i -lt 10 ]; do
		sleep 0.5
		a=$b
		b=$(awk '/MemFree/ {print $2}' /proc/meminfo)
		d=$((a - b))
		[ ${d#-} -lt 1024 ] && break
		i=$((i + 1))
	done
	echo "$b"
}
bind_new_id() { echo "1af4 1110" > $PS_SYSDRV/new_id; }
bind_override() {
	echo pseudoscopic > /sys/bus/pci/devices/$1/driver_override &&
		echo "$1" > $PS_SYSDRV/bind
}
unbind() { echo "$1" > $PS_SYSDRV/unbind; }
bound_to_us() { [ "$(basename "$(readlink /sys/bus/pci/devices/$1/driver)")" = pseudoscopic ]; }

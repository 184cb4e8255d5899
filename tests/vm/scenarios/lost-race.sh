# SPDX-License-Identifier: GPL-2.0
# results: 7
# vram: 64M
# timeout: 900
# A device lost while CPU faults copy from it (issue 12 item 1): four
# threads keep moving 2 MiB buffers to VRAM and reading them back with
# fault-around windows of 512 pages (each fault held 50 ms between its
# look at the lost flag and its copy: test_fault_delay_ms) while the
# device is marked gone (its VRAM then reads all ones, as a vanished PCIe
# device does) or lost, and unbound, ROUNDS times.  remove() must not
# unmap the BAR under a copy, and no copy that began before the loss may
# be committed: every page ends intact or raising SIGBUS, never all ones.
. /ps/lib.sh

# The issue asks for 200 rounds; they do not fit the suite's time: a
# round takes 3.3 s on the plain 6.12 kernel (6 s with other VMs running)
# and 13.5 s on a KASAN kernel (17 s with other VMs).  The fault delay
# makes every round hit the race (the old code oopsed in round 1), so 40
# rounds, and 12 on debug kernels, each with its own timing
# (sleep 0.$((r % 4)) and odd/even unbind orders below).  make soak runs
# the 200 (ps_lost_rounds= on the kernel command line).
ROUNDS=40
case "$(uname -r)" in *debug*) ROUNDS=12 ;; esac
soak=$(sed -n 's/.*ps_lost_rounds=\([0-9]*\).*/\1/p' /proc/cmdline)
[ -n "$soak" ] && ROUNDS=$soak
dev=$(ivshmem_devices | head -n1)
dbg=/sys/kernel/debug/pseudoscopic
load_module migration_threshold=512 test_fault_delay_ms=50 && bind_new_id
check "load with migration_threshold=512 test_fault_delay_ms=50 and bind"
r=0 bad=0 intact=0 sigbus=0
while [ $r -lt $ROUNDS ]; do
	if [ $r -gt 0 ] && ! bind_override "$dev"; then
		diag "round $r: the device does not bind again"
		break
	fi
	r=$((r + 1))
	dmesg_mark
	lost-race /dev/pseudoscopic0 4 512 $r > /tmp/race.out 2>&1 &
	pid=$!
	wait_for /tmp/race.out "^# ready" 600 || diag "round $r: not ready"
	# Let the threads run a little, differently each round.
	sleep 0.$((r % 4))
	# Odd rounds: unbind right after the loss, while copies that passed
	# their check still run.  Even rounds: the VRAM reads all ones first.
	inject=$dbg/inject_lost
	[ $((r % 2)) = 0 ] && inject=$dbg/inject_gone
	echo "$dev" > $inject && unbind "$dev" || diag "round $r: inject or unbind failed"
	if ! wait $pid; then
		bad=$((bad + 1))
		diag "round $r:"
		sed 's/^/  /' /tmp/race.out | while read -r l; do diag "$l"; done
	fi
	set -- $(sed -n 's/.*every page intact or SIGBUS: \([0-9]*\) intact, \([0-9]*\) SIGBUS.*/\1 \2/p' /tmp/race.out)
	intact=$((intact + ${1:-0}))
	sigbus=$((sigbus + ${2:-0}))
	dmesg_wait "$dev: lost device released" 100 || { diag "round $r: not released"; break; }
done
[ $r = $ROUNDS ]; check "$ROUNDS rounds of bind, migrate, lose and unbind ($r ran)"
[ $bad = 0 ]; check "every round: each page intact or SIGBUS, never all ones ($bad rounds failed)"
diag "$intact pages intact, $sigbus raised SIGBUS over $r rounds"
[ $sigbus -gt 0 ] && [ $intact -gt 0 ]; check "the loss found pages both in VRAM and at home"
! dmesg | grep -q "BUG:\|Oops\|WARNING:\|general protection"; check "no oops or warning"
! bound_to_us "$dev"; check "the device is unbound"
unload_module; check "rmmod"
done_testing

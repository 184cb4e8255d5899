# SPDX-License-Identifier: GPL-2.0
# results: 9
# vram: 128M
# timeout: 600
# One hung descriptor on a DMA channel that four processes' migration
# windows share (test-only provider, tests/dma-provider/).  The window
# that waits out the timeout stops the channel, which drops every other
# window's descriptors too; those windows must learn it and fall back to
# CPU copies at once, not each wait out its own timeout holding its page
# locks and stop the channel once more.  Every byte survives either way.
. /ps/lib.sh

dev=$(ivshmem_devices | head -n1)
a=/sys/bus/pci/devices/$dev/pseudoscopic
D=/sys/kernel/debug/ps_soft_dma
node=/dev/pseudoscopic0
P=4
N=512		# 2 MiB a process: one window

insmod /ps/ps_soft_dma.ko && [ -d $D ]; check "software DMA provider loads"
load_module copy_engine=dma && bind_new_id && [ "$(cat $a/copy_engine)" = dma ]
check "copy_engine=dma binds with a channel"

f0=$(cat $a/dma_fallbacks)
dmesg_mark
# The first process's 100th descriptor hangs the channel; the others
# start two seconds apart, so their windows queue behind it and start
# waiting at different times: unfixed, each waited out a timeout of its
# own after the first stop.  Two seconds, not one: stopping the test
# provider's channel (dmaengine_terminate_sync) took 1.2 s on the KASAN
# kernel, and a window whose own timeout fell within it timed out too.
# Only the moves to VRAM use the channel: the way back is by the CPU, so
# no other window can time out merely because a slow (KASAN) provider is
# busy.
echo 100 > $D/hang_in
pids=
for i in $(seq $P); do
	copy-test $node split $N $((40 + i)) > /tmp/rt$i.out 2>&1 &
	pids="$pids $!"
	sleep 2
done
for i in $(seq $P); do wait_for /tmp/rt$i.out '^# in-vram' 600; done
echo cpu > $a/copy_mode
rc=0
for p in $pids; do kill -USR1 "$p"; wait "$p" || rc=1; done
for i in $(seq $P); do import_tap "process $i" /tmp/rt$i.out; done
[ $rc = 0 ]; check "$P processes' round trips of $N pages exit 0 (every byte intact)"
[ "$(cat $D/hang_in)" = 0 ] && [ "$(cat $D/hangs)" = 1 ]; check "one descriptor hung the channel"
dmesg_new > /tmp/log
timeouts=$(grep -c "$dev: DMA window of .* timed out after 5000 ms" /tmp/log)
stopped=$(grep -c "$dev: DMA window of .* stopped by another window's timeout" /tmp/log)
diag "windows that timed out: $timeouts; stopped by that timeout: $stopped; fallbacks: $(($(cat $a/dma_fallbacks) - f0))"
[ "$timeouts" = 1 ]; check "one window waited out the timeout ($timeouts did)"
[ "$stopped" -ge 1 ]; check "the windows stuck behind it were told and fell back at once ($stopped)"
[ $(($(cat $a/dma_fallbacks) - f0)) = $((timeouts + stopped)) ]
check "each of them was redone by the CPU (dma_fallbacks)"
unload_module; check "rmmod"
rmmod ps_soft_dma; check "provider unloads"
done_testing

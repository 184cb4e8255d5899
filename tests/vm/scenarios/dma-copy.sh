# SPDX-License-Identifier: GPL-2.0
# results: 142
# vram: 64M
# timeout: 900
# host-check: 1
# The dmaengine copy path, through the test-only software provider
# (tests/dma-provider/, ps_soft_dma.ko): copy_engine=auto|cpu|dma and its
# older spelling enable_dma; migrations to VRAM and back through a
# DMA_MEMCPY channel with every byte checked and every page counted by the
# provider (so CPU copies cannot pass for DMA); a failed prep, an error
# result and a hung descriptor, in each direction, fall back to CPU copies
# with no data lost and are counted; the per-device copy_mode file; INFO.
# dma-copy.host.sh then finds pages that DMA put in VRAM in the backing file.
. /ps/lib.sh

dev=$(ivshmem_devices | head -n1)
a=/sys/bus/pci/devices/$dev/pseudoscopic
D=/sys/kernel/debug/ps_soft_dma
N=1024		# 4 MiB: three or more 2 MiB migration windows
node=/dev/pseudoscopic0

info_is() {
	local got; got=$(copy-test $node info)
	[ "$got" = "$1" ] || { echo "INFO: $got" >&2; false; }
}
provider_copies() { cat $D/copies; }

# --- without a provider ----------------------------------------------------
load_module && bind_new_id; check "copy_engine=auto (default) binds without a DMA channel"
[ "$(cat $a/copy_mode)" = auto ] && [ "$(cat $a/copy_engine)" = cpu ] &&
	[ "$(cat $a/dma_channel)" = none ]; check "sysfs: mode auto, engine cpu, no channel"
[ "$(cat /sys/module/pseudoscopic/parameters/copy_engine)" = auto ]; check "parameter copy_engine reads auto"
info_is "copy_engine=1 copy_mode=0 dma_flag=0"; check "INFO: PS_COPY_CPU, PS_COPY_MODE_AUTO, no PS_INFO_DMA"
subtests copy-test copy-test $node roundtrip 256 1; check "round trip with CPU copies"
[ "$(cat $a/dma_pages)" = 0 ]; check "no DMA pages counted"
! echo dma > $a/copy_mode 2>/dev/null && [ "$(cat $a/copy_mode)" = auto ]; check "copy_mode=dma refused (ENODEV) with no channel; mode unchanged"
! echo gpu > $a/copy_mode 2>/dev/null; check "copy_mode=gpu refused"
unload_module; check "rmmod"

dmesg_mark
load_module copy_engine=dma && bind_new_id 2>/dev/null
! bound_to_us "$dev" && dmesg_new | grep -qF "$dev: copy_engine=dma but no DMA_MEMCPY channel is available"
check "copy_engine=dma without a channel refuses the bind, saying why"
unload_module

refused_at_load() {
	dmesg_mark
	! load_module $1 2>/dev/null && dmesg_new | grep -qF "$2"
	check "$1 refused at load: '$2'"
}
refused_at_load copy_engine=gpu "copy_engine=gpu is not one of auto, cpu, dma"
refused_at_load "copy_engine=cpu enable_dma=1" "copy_engine=cpu conflicts with enable_dma=1 (its older spelling); give only one"
refused_at_load "copy_engine=auto enable_dma=0" "copy_engine=auto conflicts with enable_dma=0 (its older spelling); give only one"
! grep -q '^pseudoscopic ' /proc/modules; check "module not loaded after refusals"

# --- with the software provider ---------------------------------------------
insmod /ps/ps_soft_dma.ko && [ -d $D ]; check "software DMA provider loads"
load_module copy_engine=dma && bind_new_id; check "copy_engine=dma binds with a channel"
[ "$(cat $a/copy_mode)" = dma ] && [ "$(cat $a/copy_engine)" = dma ] &&
	[ "$(cat $a/dma_channel)" != none ]; check "sysfs: mode dma, engine dma, channel $(cat $a/dma_channel)"
info_is "copy_engine=2 copy_mode=2 dma_flag=1"; check "INFO: PS_COPY_DMA, PS_COPY_MODE_DMA, PS_INFO_DMA"
! rmmod ps_soft_dma 2>/dev/null; check "provider cannot be unloaded while its channel is held"

c0=$(provider_copies); d0=$(cat $a/dma_pages)
subtests copy-test copy-test $node roundtrip $N 2; check "round trip of $N pages through the DMA channel"
[ $(($(provider_copies) - c0)) = $((2 * N)) ]; check "provider copied every page both ways ($((2 * N)) descriptors)"
[ $(($(cat $a/dma_pages) - d0)) = $((2 * N)) ]; check "dma_pages counts them"
[ "$(cat $a/dma_fallbacks)" = 0 ] && [ "$(cat $a/copy_errors)" = 0 ]; check "no fallback, no error"

# One direction by each engine: DMA to VRAM then CPU back, and the reverse.
split_run() {	# split_run SEED MODE_IN MODE_OUT
	echo "$2" > $a/copy_mode
	c0=$(provider_copies)
	copy-test $node split 512 "$1" > /tmp/split.out &
	pid=$!
	i=0
	while ! grep -q '^# in-vram' /tmp/split.out && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
	echo "$3" > $a/copy_mode
	kill -USR1 $pid; wait $pid
	local rc=$?
	import_tap split /tmp/split.out
	[ $rc = 0 ] && [ $(($(provider_copies) - c0)) = 512 ]
}
split_run 3 dma cpu; check "512 pages to VRAM by DMA, back by CPU copies: intact, 512 DMA copies"
split_run 4 cpu dma; check "512 pages to VRAM by CPU copies, back by DMA: intact, 512 DMA copies"
[ "$(cat $a/copy_engine)" = dma ]; check "copy_engine reads dma again after copy_mode=dma"

# inject KNOB AT WHAT: the AT-th operation from now misbehaves once.
inject() {
	local f0 e0 c0
	seed=$((seed + 1))
	f0=$(cat $a/dma_fallbacks); e0=$(cat $a/copy_errors); c0=$(provider_copies)
	echo "$2" > $D/$1
	subtests copy-test copy-test $node roundtrip $N $seed; check "$3: every byte intact"
	[ "$(cat $D/$1)" = 0 ]; check "$3: the fault was injected"
	[ $(($(cat $a/dma_fallbacks) - f0)) = 1 ] && [ $(($(cat $a/copy_errors) - e0)) = 1 ]
	check "$3: one window redone by the CPU (dma_fallbacks $(cat $a/dma_fallbacks), copy_errors $(cat $a/copy_errors))"
	diag "$3: provider copied $(($(provider_copies) - c0)) of $((2 * N)) pages"
}
seed=10
inject fail_prep_in 100 "prep failure to VRAM"
inject fail_prep_in $((N + 100)) "prep failure to RAM"
inject error_in 100 "error result to VRAM"
inject error_in $((N + 100)) "error result to RAM"
dmesg_mark
inject hang_in 100 "hung descriptor to VRAM"
dmesg_new | grep -q "$dev: DMA window of .* pages on .* timed out after 5000 ms"; check "the timeout is logged"
inject hang_in $((N + 100)) "hung descriptor to RAM"
c0=$(provider_copies)
subtests copy-test copy-test $node roundtrip 512 30 && [ $(($(provider_copies) - c0)) = 1024 ]
check "the channel works again after the faults"

# Teardown's eviction goes through the channel too: one DMA window per
# 2 MiB of the pool, waited for once.
c0=$(provider_copies)
migrate-test $node hold $N 77 > /tmp/hold.out &
pid=$!
wait_for /tmp/hold.out '^# ready' && [ $(($(provider_copies) - c0)) = $N ]; check "$N pages held in VRAM, moved there by DMA"
unbind "$dev"; check "unbind with $N resident pages"
[ $(($(provider_copies) - c0)) = $((2 * N)) ]; check "unbind evicted them through the channel ($(($(provider_copies) - c0 - N)) DMA copies)"
kill -USR1 $pid; wait $pid; check "holder exits cleanly"
grep -q "^ok .*all $N pages intact" /tmp/hold.out; check "holder's data intact after DMA eviction"
echo "$dev" > $PS_SYSDRV/bind && [ "$(cat $a/copy_engine)" = dma ]; check "bind again, with the channel"

# The whole migration suite (fork/COW, munmap, mremap, concurrent
# threads sharing the channel, ...) with DMA copies.
c0=$(provider_copies); f0=$(cat $a/dma_fallbacks)
subtests migrate-test migrate-test $node all; check "migrate-test suite with DMA copies (see the lines above)"
diag "migrate-test: $(($(provider_copies) - c0)) DMA copies"
[ $(($(provider_copies) - c0)) -gt 25000 ] && [ "$(cat $a/dma_fallbacks)" = "$f0" ]
check "the suite's requested migrations went through the channel, no fallback"

# copy_mode flips while migrations run: each window keeps the engine it
# started with, so nothing is lost and nothing fails.  The flipper pauses
# 20 ms between flips.  Without a pause it kept a vCPU busy and the
# console printing; on the KASAN kernel, with other VMs on the same two
# cores, the software provider then copied about 120 pages a second, and
# one 512-page window overran the 5 s DMA timeout (its CPU fallback fails
# the check below).
c0=$(provider_copies); f0=$(cat $a/dma_fallbacks); e0=$(cat $a/copy_errors)
rm -f /tmp/stop
( while [ ! -e /tmp/stop ]; do for m in cpu dma auto; do echo $m > $a/copy_mode; sleep 0.02; done; done ) &
flipper=$!
bad=0
for s in 40 41 42 43; do copy-test $node roundtrip 2048 $s > /tmp/flip.out || { bad=1; import_tap copy-test /tmp/flip.out; }; done
touch /tmp/stop; wait $flipper
[ $bad = 0 ]; check "copy_mode flipped during 4 round trips of 2048 pages: every byte intact"
c1=$(($(provider_copies) - c0))
diag "flipping: $c1 of $((4 * 2 * 2048)) pages copied by DMA"
[ "$(cat $a/dma_fallbacks)" = "$f0" ] && [ "$(cat $a/copy_errors)" = "$e0" ]; check "no fallback, no error while flipping"
[ $c1 -gt 0 ] && [ $c1 -lt $((4 * 2 * 2048)) ]; check "both engines were used while flipping"
echo dma > $a/copy_mode

echo auto > $a/copy_mode && [ "$(cat $a/copy_engine)" = dma ]; check "copy_mode=auto keeps the DMA channel"
echo cpu > $a/copy_mode && [ "$(cat $a/copy_engine)" = cpu ]; check "copy_mode=cpu switches to CPU copies"
info_is "copy_engine=1 copy_mode=1 dma_flag=0"; check "INFO follows: PS_COPY_CPU, PS_COPY_MODE_CPU"
c0=$(provider_copies)
subtests copy-test copy-test $node roundtrip 256 31 && [ "$(provider_copies)" = "$c0" ]; check "copy_mode=cpu: round trip without the channel"
unload_module; check "rmmod with the channel attached"

load_module copy_engine=cpu && bind_new_id; check "copy_engine=cpu binds"
[ "$(cat $a/copy_engine)" = cpu ] && [ "$(cat $a/dma_channel)" = none ]; check "copy_engine=cpu takes no channel"
c0=$(provider_copies)
subtests copy-test copy-test $node roundtrip 256 32 && [ "$(provider_copies)" = "$c0" ]; check "copy_engine=cpu: the provider copies nothing"
echo auto > $a/copy_mode && [ "$(cat $a/copy_engine)" = dma ]; check "copy_mode=auto at run time attaches the channel"
unload_module

load_module enable_dma=0 && bind_new_id && [ "$(cat $a/copy_mode)" = cpu ]; check "enable_dma=0 (older spelling) means cpu"
unload_module
load_module enable_dma=1 && bind_new_id && [ "$(cat $a/copy_engine)" = dma ]; check "enable_dma=1 (older spelling) means dma"
unload_module

load_module && bind_new_id; check "default (auto) binds with the provider loaded"
[ "$(cat $a/copy_mode)" = auto ] && [ "$(cat $a/copy_engine)" = dma ]; check "auto picks the DMA channel"
info_is "copy_engine=2 copy_mode=0 dma_flag=1"; check "INFO: PS_COPY_DMA, PS_COPY_MODE_AUTO"

# Pages left in VRAM by DMA, for the host to find (dma-copy.host.sh).
c0=$(provider_copies)
migrate-test $node keep 300 4343 > /tmp/keep.out &
i=0
while ! grep -q '^# pool free after keep' /tmp/keep.out && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
grep -q '^ok .*300 tagged pages left in VRAM' /tmp/keep.out && [ $(($(provider_copies) - c0)) = 300 ]
check "300 tagged pages moved to VRAM by 300 DMA copies and left there"
done_testing

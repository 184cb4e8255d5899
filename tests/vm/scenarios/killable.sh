# SPDX-License-Identifier: GPL-2.0
# results: 6
# vram: 64M
# timeout: 400
# A MIGRATE over a huge range (64 TiB, nearly all untouched) stays
# interruptible: kill -9 reaps the caller, another thread's mmap() gets
# in, and an unbind stops it with EBUSY, each within a few seconds where
# the walk itself takes minutes (killable-test).
. /ps/lib.sh

dev=$(ivshmem_devices | head -n1)
load_module && bind_new_id; check "load and bind"
subtests kill killable-test /dev/pseudoscopic0 kill
subtests mmap killable-test /dev/pseudoscopic0 mmap
killable-test /dev/pseudoscopic0 busy > /tmp/busy.out 2>&1 &
pid=$!
i=0
while ! grep -q '^# migrating' /tmp/busy.out && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
sleep 0.5
t0=$(date +%s)
unbind "$dev"
t1=$(date +%s)
[ $((t1 - t0)) -le 5 ] && ! bound_to_us "$dev"; check "unbind during a 64 TiB MIGRATE finishes within 5 s ($((t1 - t0)) s)"
wait "$pid"
import_tap busy /tmp/busy.out
unload_module; check "rmmod"
done_testing

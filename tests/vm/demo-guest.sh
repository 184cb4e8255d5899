# SPDX-License-Identifier: GPL-2.0
# vram: 256M
# results: 0
# Guest half of `make demo`: everything printed here is shown to the user.
. /ps/lib.sh
say() { printf '%s\n' "$*" >&3; }
run() { say "guest# $*"; "$@" 2>&1 | sed 's/^/  /' >&3; }
kmsg() { dmesg_new | grep -E 'pseudoscopic' | sed 's/^\[[ 0-9.]*\] /  /' >&3; }
stat() { say "  $(cd /sys/bus/pci/devices/$dev/pseudoscopic && for f in "$@"; do printf '%s=%s ' "$f" "$(cat $f)"; done)"; }

dev=$(ivshmem_devices | head -n1)
say "== emulated GPU: ivshmem device $dev, its 256 MiB BAR stands in for VRAM =="
dmesg_mark
say ""
say "== load the driver and bind the device through new_id =="
run insmod /ps/pseudoscopic.ko
say "guest# echo 1af4 1110 > /sys/bus/pci/drivers/pseudoscopic/new_id"
bind_new_id
kmsg
say ""
say "== what the driver publishes =="
run ps-status
stat pool_pages free_pages selftest_write_mbps selftest_read_mbps
run ls -l /dev/pseudoscopic0
say ""
say "== a workload holds 48 MiB of tagged memory; ps-migrate moves it into VRAM =="
mem-holder -h 2048 -a 10240 7 > /tmp/holder.out 2>&1 &
hpid=$!
while ! grep -q '^ready' /tmp/holder.out; do sleep 0.1; done
run ps-migrate --pid $hpid --to vram --all-anon
run ps-migrate --pid $hpid --query --all-anon
say ""
say "== the dashboard (ps-status --watch, one frame) =="
ps-status --watch 1 --count 1 2>&1 | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g' | grep -v '^$' | sed 's/^/  /' >&3
say ""
say "== the workload touches its memory: pages fault back, every byte checked =="
kill -USR1 $hpid; wait $hpid
sed -n 's/^verified/  workload: verified/p' /tmp/holder.out >&3
stat pages_to_vram pages_to_ram cpu_faults fault_around_pages fault_ns_ema
say ""
say "== the same through the raw ioctls (Documentation/uapi.md) =="
run uapi-example /dev/pseudoscopic0
say ""
say "== unbind while a process has 8 MiB in VRAM: the pages come home first =="
migrate-test /dev/pseudoscopic0 hold 2048 99 > /tmp/hold.out &
pid=$!
while ! grep -q '^# ready' /tmp/hold.out; do sleep 0.1; done
stat free_pages
dmesg_mark
say "guest# echo $dev > /sys/bus/pci/drivers/pseudoscopic/unbind"
unbind "$dev"
kmsg
kill -USR1 $pid; wait $pid
grep '^ok' /tmp/hold.out | sed 's/^ok [0-9]* - /  process: /' >&3
say ""
say "== bind again; a process leaves 300 tagged pages in VRAM, at offsets the driver reports =="
echo "$dev" > $PS_SYSDRV/bind
pidfd-test /dev/pseudoscopic0 keep 300 4242 > /tmp/keep.out &
while ! grep -q '^# keep ready' /tmp/keep.out; do sleep 0.1; done
grep '^ok' /tmp/keep.out | sed 's/^ok [0-9]* - /  process: /' >&3
grep '^# offset ' /tmp/keep.out | sed 's/^# /# vram-/' >&3
tap "1..0"

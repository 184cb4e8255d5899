# SPDX-License-Identifier: GPL-2.0
# results: 15
# vram: 64M
# timeout: 400
# Teardown is bounded: pages someone holds for good (a leaked reference,
# made here with debugfs inject_hold) do not hang unbind.  After 30 s with
# none leaving VRAM, unbind says which pages and what holds them, gives up
# on them (they would raise SIGBUS; their struct pages wait for the holder,
# with a module reference), and completes; every other page came home
# intact.  rmmod is refused until the holder lets go, then succeeds.
. /ps/lib.sh

dev=$(ivshmem_devices | head -n1)
D=/sys/bus/pci/devices/$dev/pseudoscopic
H=/sys/kernel/debug/pseudoscopic/inject_hold
load_module && bind_new_id; check "load and bind"

migrate-test /dev/pseudoscopic0 hold 64 3 > /tmp/h1.out &
h1=$!
wait_for /tmp/h1.out '^# ready'; check "64 pages resident"
echo "$dev 2" > $H; check "inject_hold takes a reference on 2 of them"
kill -KILL "$h1"; wait "$h1"
pool=$(cat $D/pool_pages)
wait_for_free() {
	local i=0
	while [ "$(cat $D/free_pages)" != "$1" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	[ "$(cat $D/free_pages)" = "$1" ]
}
wait_for_free $((pool - 2)); check "after the process exits, the 2 held pages stay allocated ($(cat $D/free_pages) of $pool free)"

# Another process's pages, resident and not held, must come home intact.
migrate-test /dev/pseudoscopic0 hold 512 4 > /tmp/h2.out &
h2=$!
wait_for /tmp/h2.out '^# ready'; check "512 more pages resident, not held"

dmesg_mark
start=$(date +%s)
unbind "$dev" &
u=$!
i=0
while kill -0 "$u" 2>/dev/null && [ $i -lt 900 ]; do sleep 0.1; i=$((i + 1)); done
! kill -0 "$u" 2>/dev/null; check "unbind completes ($(($(date +%s) - start)) s)"
dmesg_new > /tmp/log
while read -r l; do diag "$l"; done < /tmp/log
grep -q "$dev: evicted 512 pages to RAM" /tmp/log; check "every page that could move moved (512)"
grep -q "$dev: 2 pages stayed busy for 30 s with none leaving VRAM; giving up on them" /tmp/log
check "after 30 s without progress it gives up on the 2 held pages, and says so"
[ "$(grep -c "$dev: held page [0-9]* (pfn 0x[0-9a-f]*, order 0): refcount 1, mapcount 0, unlocked, holds data" /tmp/log)" = 2 ]
check "it describes each held page: refcount 1, mapcount 0 (held, mapped by nobody)"
grep -q "page dumped because: pseudoscopic: held at teardown" /tmp/log; check "and the kernel's dump of the first one"
kill -USR1 "$h2"; wait "$h2" && grep -q '^ok .*all 512 pages intact' /tmp/h2.out
check "the other process's 512 pages are intact after the unbind"
! rmmod pseudoscopic 2>/dev/null; check "rmmod refused while the held pages keep the module"
dmesg_mark
echo release > $H; check "the holder lets go"
dmesg_wait "$dev: lost device released: every page was unmapped" 50; check "the device's last pages are released"
unload_module; check "then rmmod succeeds"
done_testing

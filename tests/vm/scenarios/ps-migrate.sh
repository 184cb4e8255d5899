# SPDX-License-Identifier: GPL-2.0
# results: 75
# vram: 128M
# timeout: 600
# ps-migrate moves another process's memory through a pidfd: by --range,
# --map and --all-anon, back to RAM, "cold pages only" with idle page
# tracking, and for a command it starts; --query and the sysfs counters
# agree, and the target checks every byte afterwards.  Without ptrace
# rights the move is refused with a clear message; bad ranges, missing
# mappings and processes are clear errors with documented exit codes.
. /ps/lib.sh

# holder NAME ARGS...: start mem-holder in the background; its pid in
# $NAME_pid, its address lines in /tmp/NAME.out.
holder() {
	local name=$1; shift
	mem-holder "$@" > /tmp/$name.out 2>&1 &
	eval "${name}_pid=$!"
	local i=0
	while ! grep -q '^ready' /tmp/$name.out && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
	grep -q '^ready' /tmp/$name.out
}
# addr NAME WHAT: "START-END" of a region mem-holder printed.
addr() { sed -n "s/^$2 \(0x[0-9a-f]*\) \(0x[0-9a-f]*\)$/\1-\2/p" /tmp/$1.out; }
# finish NAME: SIGUSR1, wait, and succeed only if every byte was intact.
finish() {
	local pid; eval "pid=\$${1}_pid"
	kill -USR1 "$pid" && wait "$pid" && grep -q "^verified .*, 0 bad$" /tmp/$1.out
}
# total_of FILE COLUMN: a column of the "total" row of a --query table
# (3 PAGES, 4 VRAM, 5 RAM, 6 OTHER, 7 SWAPPED, 8 ABSENT; RANGE and MAPPING
# are 1-2, the total row has no mapping).
total_of() { awk -v c=$(($2 - 1)) '$1 == "total" { print $c }' "$1"; }
moved_of() { sed -n 's/^moved \([0-9]*\) of .*/\1/p' "$1"; }

! ps-migrate --pid 1 --to vram --all-anon 2>/tmp/err; check "fails without the module"
grep -q "module is not loaded" /tmp/err; check "and says the module is not loaded"
load_module && bind_new_id; check "load and bind"
dev=$(ivshmem_devices | head -n1)
D=/sys/bus/pci/devices/$dev/pseudoscopic

# ---------------------------------------------------------- usage errors
ps-migrate --pid 1 --to vram --range 0x1001-0x3000 2>/tmp/err; [ $? = 2 ]; check "misaligned range: exit 2"
grep -q "start and end must be multiples of the page size (4096)" /tmp/err; check "and says why"
ps-migrate --pid 1 --to vram --range 0x3000-0x1000 2>/tmp/err; [ $? = 2 ] && grep -q "is empty" /tmp/err
check "reversed range: exit 2, 'is empty'"
ps-migrate --pid 1 --to vram --range banana 2>/tmp/err; [ $? = 2 ] && grep -q "expected START-END or START+LENGTH" /tmp/err
check "malformed range: exit 2 with the expected syntax"
ps-migrate --to vram --all-anon 2>/tmp/err; [ $? = 2 ] && grep -q "no target" /tmp/err
check "no --pid and no command: exit 2, 'no target'"
ps-migrate --pid 1 --to vram 2>/tmp/err; [ $? = 2 ] && grep -q "nothing selected" /tmp/err
check "no range selected: exit 2"
ps-migrate --help | grep -q "Exit status: 0 on success, 1 on errors, 2 on usage errors"; check "--help documents exit codes"

# ------------------------------------------------- a process and its pages
holder h -h 256 -a 2048 5; check "mem-holder holds 256 heap and 2048 anonymous pages"
anon=$(addr h anon); heap=$(addr h heap)
diag "$(cat /tmp/h.out)"
ps-migrate --pid 999999 --to vram --all-anon 2>/tmp/err; [ $? = 1 ] && grep -q "no process 999999" /tmp/err
check "missing process: exit 1, 'no process 999999'"
ps-migrate --pid "$h_pid" --to vram --map libnothing 2>/tmp/err; [ $? = 1 ] &&
	grep -q "no mapping named 'libnothing'" /tmp/err
check "missing mapping: exit 1, names it"
diag "$(cat /tmp/err)"

ps-migrate --pid "$h_pid" --query --range "$anon" > /tmp/q; check "--query by pidfd"
diag "$(cat /tmp/q)"
[ "$(total_of /tmp/q 3)" = 2048 ] && [ "$(total_of /tmp/q 5)" = 2048 ] && [ "$(total_of /tmp/q 4)" = 0 ]
check "--query: 2048 pages, all in RAM"

to_vram0=$(cat $D/pages_to_vram); free0=$(cat $D/free_pages)
ps-migrate --pid "$h_pid" --to vram --range "$anon" > /tmp/m; check "--range to VRAM by pidfd"
diag "$(cat /tmp/m)"
grep -q "^moved 2048 of 2048 pages (8M) to VRAM; skipped: 0 not populated" /tmp/m; check "summary: 2048 moved"
[ $(($(cat $D/pages_to_vram) - to_vram0)) = 2048 ]; check "sysfs pages_to_vram grew by 2048"
[ $((free0 - $(cat $D/free_pages))) = 2048 ]; check "sysfs free_pages dropped by 2048"
ps-migrate --pid "$h_pid" --query --range "$anon" > /tmp/q && [ "$(total_of /tmp/q 4)" = 2048 ]
check "--query: all 2048 in VRAM"

ps-migrate --pid "$h_pid" --to vram --map '[heap]' > /tmp/m; check "--map [heap] to VRAM"
diag "$(cat /tmp/m)"
n=$(moved_of /tmp/m); [ "${n:-0}" -ge 256 ]; check "heap: at least our 256 pages moved ($n)"
ps-migrate --pid "$h_pid" --query --range "$heap" --json > /tmp/j; check "--query --json"
grep -q '"vram": 256' /tmp/j; check "--query --json: the 256 heap pages in VRAM"

ps-migrate --pid "$h_pid" --to vram --map mem-holder > /tmp/m; check "--map by the binary's basename"
diag "$(cat /tmp/m)"
grep -Eq "skipped: [0-9]+ not populated, [1-9][0-9]* unmovable" /tmp/m; check "file-backed pages are reported unmovable"

to_ram0=$(cat $D/pages_to_ram)
ps-migrate --pid "$h_pid" --to ram --range "$anon" > /tmp/m && grep -q "^moved 2048 of 2048 pages (8M) to RAM" /tmp/m
check "--to ram brings the 2048 pages back"
[ $(($(cat $D/pages_to_ram) - to_ram0)) -ge 2048 ]; check "sysfs pages_to_ram grew by 2048"

ps-migrate --pid "$h_pid" --to vram --all-anon --json > /tmp/j; check "--all-anon to VRAM, JSON summary"
diag "$(cat /tmp/j)"
n=$(sed -n 's/^  "migrated": \([0-9]*\),$/\1/p' /tmp/j); [ "${n:-0}" -ge 2048 ]; check "--all-anon moved the mapping again ($n)"
ps-migrate --pid "$h_pid" --query > /tmp/q; check "--query defaults to every anonymous mapping"
diag "$(cat /tmp/q)"
grep -q '\[heap\]' /tmp/q && grep -q '\[stack\]' /tmp/q && [ "$(total_of /tmp/q 4)" -ge 2304 ]
check "--query lists heap and stack, 2304+ pages in VRAM"
ps-migrate --pid "$h_pid" --to ram --range "$anon" --progress --chunk 1M > /tmp/m 2>/tmp/bar; check "--progress --chunk 1M"
grep -q "100% *8M of 8M" /tmp/bar; check "progress bar reaches 100% of 8M"
finish h; check "mem-holder: every byte of 2304 pages intact after the moves"

# ------------------------------------------------------ cold pages only
# Small pages (MADV_NOHUGEPAGE): the 128 pages mem-holder keeps reading stay,
# the 896 it never touches again move.
holder c -a 1024 -H 128 -n 7; check "mem-holder with 128 hot and 896 cold small pages"
hot=$(addr c hot); cold=$(addr c cold)
ps-migrate --pid "$c_pid" --to vram --cold 3 --range "$(addr c anon)" > /tmp/m 2>&1; check "--cold 3"
diag "$(cat /tmp/m)"
ps-migrate --pid "$c_pid" --query --range "$hot" > /tmp/qh && ps-migrate --pid "$c_pid" --query --range "$cold" > /tmp/qc
check "--query hot and cold parts"
diag "$(cat /tmp/qh /tmp/qc)"
[ "$(total_of /tmp/qh 4)" = 0 ]; check "no hot page moved"
n=$(total_of /tmp/qc 4); [ "${n:-0}" -ge 850 ]; check "the cold pages moved ($n of 896)"
finish c; check "mem-holder: hot and cold pages intact"
# Transparent huge pages carry one idle flag for all their 512 pages: the
# huge page holding the hot pages stays whole, the other one moves.  Every
# test kernel has THP (CONFIG_TRANSPARENT_HUGEPAGE=y): "always", as in
# thp.sh, is set here, never a reason to skip.
echo always > /sys/kernel/mm/transparent_hugepage/enabled &&
	grep -q '\[always\]' /sys/kernel/mm/transparent_hugepage/enabled && holder t -a 1024 -H 128 8
check "THP always; mem-holder with 128 hot pages in two huge pages"
anon_t=$(addr t anon); first=${anon_t%-*}
second=$(printf '%#x' $((${first:-0} + 2097152)))
ps-migrate --pid "$t_pid" --to vram --cold 3 --range "$anon_t" > /tmp/m 2>&1; check "--cold 3 on huge pages"
diag "$(cat /tmp/m)"
ps-migrate --pid "$t_pid" --query --range "$first+2M" > /tmp/q1 && ps-migrate --pid "$t_pid" --query --range "$second+2M" > /tmp/q2
diag "$(cat /tmp/q1 /tmp/q2)"
[ "$(total_of /tmp/q1 4)" = 0 ]; check "the huge page with hot pages stayed in RAM"
[ "$(total_of /tmp/q2 4)" = 512 ]; check "the idle huge page moved: 512 pages"
finish t; check "mem-holder: huge pages intact"

# ------------------------------------------------- swapped, not absent
# --query asks the driver to tell swapped-out pages from absent ones
# (PS_RES_SWAP; tests/vm/scenarios/residency-swap.sh checks it page by page).
# Every test kernel has zram and swap: a setup failure fails, and the checks
# after it run all the same (and fail).
zram_swap_on; check "zram swap on"
holder s -a 512 -n -p 256 15; check "mem-holder with 256 of 512 pages paged out to zram swap"
ps-migrate --pid "$s_pid" --query --range "$(addr s anon)" > /tmp/q; check "--query"
diag "$(cat /tmp/q)"
sw=$(total_of /tmp/q 7)
[ "${sw:-0}" -ge 200 ] && [ "$(total_of /tmp/q 8)" = 0 ] && [ $((sw + $(total_of /tmp/q 5))) = 512 ]
check "swapped pages ($sw) reported as swapped, none as absent, the rest in RAM"
ps-migrate --pid "$s_pid" --query --range "$(addr s anon)" --json | grep -q "\"swapped\": $sw"
check "--json carries the swapped count"
finish s; check "mem-holder: swapped pages come back intact"
swapoff /dev/zram0; check "swapoff"

# ------------------------------------------------------ launch a command
to_vram0=$(cat $D/pages_to_vram)
ps-migrate --to vram --all-anon --delay 1 -- mem-holder -a 1024 -x 4 9 > /tmp/c.out 2>/tmp/c.err
check "command: exit status 0 (the command's)"
diag "$(cat /tmp/c.err /tmp/c.out)"
n=$(moved_of /tmp/c.err); [ "${n:-0}" -ge 1024 ]; check "command: its 1024 pages moved ($n), summary on stderr"
[ $(($(cat $D/pages_to_vram) - to_vram0)) -ge 1024 ]; check "sysfs agrees"
grep -q "^verified 1024 pages, 0 bad$" /tmp/c.out; check "command: every byte intact, its output on stdout"
ps-migrate --to vram --all-anon --after-rss 4M -- mem-holder -a 2048 -x 3 10 > /tmp/c.out 2>/tmp/c.err &&
	grep -q "^verified 2048 pages, 0 bad$" /tmp/c.out && grep -q "^moved [1-9]" /tmp/c.err
check "--after-rss 4M: moved once the command had 4M, data intact"
diag "$(cat /tmp/c.err)"
ps-migrate --to vram --all-anon --delay 0.5 -- sh -c 'sleep 1; exit 7' 2>/dev/null; [ $? = 7 ]
check "the command's exit status is passed on (7)"
ps-migrate --to vram --all-anon --delay 5 -- true 2>/tmp/err; [ $? = 0 ] && grep -q "ended before anything was moved" /tmp/err
check "a command that ends first: said so, its status kept"
ps-migrate --to vram --all-anon -- /nonexistent 2>/tmp/err; [ $? = 1 ] && grep -q "cannot run '/nonexistent'" /tmp/err
check "a command that cannot start: exit 1"

# ---------------------------------------------- permissions (ptrace rights)
chmod 666 /dev/pseudoscopic0	# what a udev rule granting a group would do
holder r -a 256 11; check "a root-owned target"
run-as 1000 ps-migrate --pid "$r_pid" --to vram --range "$(addr r anon)" 2>/tmp/err; [ $? = 1 ]
check "uid 1000 on a root process: exit 1"
diag "$(cat /tmp/err)"
grep -q "permission denied: acting on process $r_pid needs the rights ptrace would need" /tmp/err
check "and the message names the ptrace rights"
run-as 1000 ps-migrate --pid "$r_pid" --to vram --all-anon 2>/tmp/err; [ $? = 1 ] && grep -q "ptrace" /tmp/err
check "the same through /proc/PID/maps (--all-anon)"
ps-migrate --pid "$r_pid" --query --range "$(addr r anon)" > /tmp/q && [ "$(total_of /tmp/q 4)" = 0 ]
check "nothing of the root process moved"
finish r; check "root process intact"
run-as 1000 mem-holder -a 256 12 > /tmp/u.out &
u_pid=$!
while ! grep -q '^ready' /tmp/u.out; do sleep 0.1; done
run-as 1000 ps-migrate --pid "$u_pid" --to vram --range "$(sed -n 's/^anon \(0x[0-9a-f]*\) \(0x[0-9a-f]*\)$/\1-\2/p' /tmp/u.out)" 2>/tmp/err
[ $? = 1 ] && grep -q "requires CAP_SYS_PTRACE" /tmp/err
check "uid 1000 on another uid 1000 process: refused, the message says why"
kill -USR1 "$u_pid"; wait "$u_pid" && grep -q ", 0 bad$" /tmp/u.out; check "that process intact"
# Even its own child: the driver cannot ask the security modules whether
# ptrace would be allowed (Documentation/uapi.md), so it needs privilege.
run-as 1000 ps-migrate --to vram --all-anon --delay 1 -- mem-holder -a 256 -x 3 13 > /tmp/u.out 2>/tmp/u.err
[ $? = 1 ] && grep -q "requires CAP_SYS_PTRACE" /tmp/u.err
check "uid 1000 launching its own command: refused (exit 1), the message says why"
diag "$(cat /tmp/u.err)"
n=$(moved_of /tmp/u.err); [ "${n:-0}" = 0 ]; check "none of its pages moved (${n:-0})"
grep -q "^verified 256 pages, 0 bad$" /tmp/u.out; check "and the command still ran and verified its data"
run-as 1000 ps-migrate --to vram --all-anon --cold 1 -- mem-holder -a 16 -x 2 14 > /dev/null 2>/tmp/err
[ $? = 1 ] && grep -q -- "--cold needs root" /tmp/err; check "--cold without root: exit 1, 'needs root'"
diag "$(cat /tmp/err)"
chmod 600 /dev/pseudoscopic0

[ "$(cat $D/free_pages)" = "$(cat $D/pool_pages)" ]; check "pool whole after every target exited"
unload_module; check "rmmod"
done_testing

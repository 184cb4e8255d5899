#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The harness's self-test, run first by make test: every scenario in
# tests/harness/scenarios/ plants one failure (a failing KUnit expectation,
# a suite that does not run, a panic, a hang, a WARN, a KASAN report, a
# kmemleak leak, a missing host check).  Each is run through run-vm.sh as a
# real scenario would be, and this script checks that the verdict is red
# and names that exact failure ("# expect-verdict: REGEX" lines, each of
# which must match a line of the verdict).
#
# The planted failures themselves are not counted: only this script's own
# results are (TAP on stdout).
#
# usage: selftest.sh --kernel DIR --kmod DIR --progs DIR --logs DIR
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"

kernel= kmod= progs= logs=
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) kernel=$2; shift 2 ;;
	--kmod) kmod=$2; shift 2 ;;
	--progs) progs=$2; shift 2 ;;
	--logs) logs=$2; shift 2 ;;
	-h|--help) sed -n '4,16p' "$0"; exit 0 ;;
	*) die "unknown option $1" ;;
	esac
done
[ -n "$kernel" ] && [ -n "$kmod" ] && [ -n "$progs" ] && [ -n "$logs" ] ||
	die "usage: selftest.sh --kernel DIR --kmod DIR --progs DIR --logs DIR"
mkdir -p "$logs"

# Run one planted scenario; its verdict goes to $logs/NAME.verdict.
plant() {
	local s=$1 name
	name=$(basename "$s" .sh)
	"$here/../vm/run-vm.sh" --kernel "$kernel" --kmod "$kmod" --progs "$progs" \
		--logs "$logs" "$s" > "$logs/$name.verdict" 2> "$logs/$name.err"
	echo $? > "$logs/$name.status"
}

# The hang waits out its whole timeout: run it beside the others.
pids=()
for s in "$here"/scenarios/*.sh; do
	case "$s" in
	*/hang.sh) plant "$s" & pids+=($!) ;;
	esac
done
for s in "$here"/scenarios/*.sh; do
	case "$s" in */hang.sh) continue ;; esac
	plant "$s"
done
wait "${pids[@]}"

n=0
result() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - harness: $2"; else echo "not ok $n - harness: $2"; fi
}
for s in "$here"/scenarios/*.sh; do
	name=$(basename "$s" .sh)
	v="$logs/$name.verdict"
	need=$(sed -n 's/^# needs: *//p' "$s")
	if [ -n "$need" ] && ! grep -q "^$need=y" "$kernel/build/.config"; then
		result 1 "planted $name: kernel has $need (the self-test needs the debug kernel)"
		continue
	fi
	[ "$(cat "$logs/$name.status" 2>/dev/null)" = 1 ]
	result $? "planted $name turns the verdict red (run-vm.sh status $(cat "$logs/$name.status" 2>/dev/null))"
	grep -q '^not ok' "$v"
	result $? "planted $name: the verdict has a failed result"
	while IFS= read -r re; do
		grep -qE -- "$re" "$v"
		result $? "planted $name reported as: $re"
	done < <(sed -n 's/^# expect-verdict: *//p' "$s")
done
echo "1..$n"

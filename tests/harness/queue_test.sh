#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The VM job queue (tests/lib/queue.sh): every job runs exactly once with
# several workers, and a job that never ran, or ran without reaching a
# verdict, is reported, including one planted that way.  TAP on stdout.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/queue.sh"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
n=0 failed=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi; }

for k in 7.3-debug 6.12; do
	for i in $(seq 1 40); do echo "$k tests/vm/scenarios/s$i.sh"; done
done > "$t/jobs"

# A job writes its verdict file, as a VM scenario's run does.
mkdir -p "$t/res"
job() {
	local name; name=$(basename "$2" .sh)
	echo "$1 $2" >> "$t/ran.$BASHPID"
	sleep 0.0$((RANDOM % 5))
	echo "# verdict complete $name" > "$t/res/vm-$1-$name.tap"
}
run_queue 3 "$t/jobs" job
cat "$t"/ran.* | sort > "$t/ran"
sort "$t/jobs" | cmp -s - "$t/ran"; ok $? "3 workers ran each of 80 jobs exactly once ($(wc -l < "$t/ran") runs)"
[ "$(ls "$t"/ran.* | wc -l)" -ge 2 ]; ok $? "the jobs were shared among the workers ($(ls "$t"/ran.* | wc -l) wrote)"
[ -z "$(jobs_without_verdict "$t/jobs" "$t/res")" ]; ok $? "no job reported without a verdict when all reached one"

# Planted: one job never runs, one runs but its verdict breaks off.
rm "$t/res/vm-6.12-s17.tap"
echo "ok - something" > "$t/res/vm-7.3-debug-s3.tap"
missing=$(jobs_without_verdict "$t/jobs" "$t/res" | tr '\n' ',')
[ "$missing" = "7.3-debug tests/vm/scenarios/s3.sh,6.12 tests/vm/scenarios/s17.sh," ]
ok $? "planted: the job that never ran and the one without a verdict are reported ($missing)"

# Longest first, by the scenarios' "# timeout:" headers (300 without one),
# file order among equals, every line kept.
mkdir -p "$t/sc"
printf '# timeout: 900\n' > "$t/sc/long.sh"
printf '# timeout: 60\n' > "$t/sc/short.sh"
printf '# results: 1\n' > "$t/sc/plain.sh"
printf '%s\n' "7.3-debug $t/sc/short.sh" "7.3-debug $t/sc/plain.sh" "7.3-debug $t/sc/long.sh" \
	"6.12 $t/sc/short.sh" "6.12 $t/sc/long.sh" > "$t/order"
jobs_longest_first "$t/order" | sed "s|$t/sc/||" | tr '\n' ',' > "$t/sorted"
[ "$(cat "$t/sorted")" = "7.3-debug long.sh,6.12 long.sh,7.3-debug plain.sh,7.3-debug short.sh,6.12 short.sh," ]
ok $? "longest first, file order among equals ($(cat "$t/sorted"))"
# Planted: a line lost between the list and the queue is still reported,
# because the verdicts are checked against the list itself.
jobs_longest_first "$t/order" | sed 1d > "$t/queue"
while read -r k f; do job "$k" "$f"; done < "$t/queue"
missing=$(jobs_without_verdict "$t/order" "$t/res" | sed "s|$t/sc/||" | tr '\n' ',')
[ "$missing" = "7.3-debug long.sh," ]
ok $? "planted: a job dropped from the queue is reported ($missing)"

# One worker, and more workers than jobs.
rm -f "$t"/ran.*
head -n 2 "$t/jobs" > "$t/two"
run_queue 5 "$t/two" job
[ "$(cat "$t"/ran.* | sort)" = "$(sort "$t/two")" ]; ok $? "5 workers, 2 jobs: each ran once"
echo "1..$n"
[ "$failed" = 0 ]

# SPDX-License-Identifier: GPL-2.0
# A job queue for the VM suites (sourced, bash).  The scenarios of every
# kernel are one list, run by a few workers side by side, each job taken
# once: a worker that finishes its kernel's share early takes another
# kernel's jobs instead of idling (tests/harness/queue_test.sh checks it).

# run_queue LANES JOBFILE FUNC: call FUNC with the words of each line of
# JOBFILE as arguments, every line exactly once, in LANES workers side by
# side, in file order (put the long jobs first).  Returns once all are done.
run_queue() {
	local lanes=$1 jobs=$2 fn=$3 q total lane pids=()
	q=$(mktemp -d "${TMPDIR:-/tmp}/ps-queue.XXXXXX")
	echo 0 > "$q/next"
	total=$(wc -l < "$jobs")
	for ((lane = 0; lane < lanes; lane++)); do
		(
			while :; do
				# Take the next line number under the lock.
				n=$(flock "$q/next" sh -c 'n=$(cat "$1"); echo $((n + 1)) > "$1"; echo "$n"' _ "$q/next")
				[ "$n" -lt "$total" ] || break
				# shellcheck disable=SC2046 # the line's words are the arguments
				"$fn" $(sed -n "$((n + 1))p" "$jobs")
			done
		) &
		pids+=($!)
	done
	# Each worker by its pid: a bare "wait" would reap the caller's other
	# background jobs too.
	for p in "${pids[@]}"; do wait "$p"; done
	rm -rf "$q"
}

# jobs_longest_first JOBFILE: print JOBFILE's "KERNEL SCENARIO" lines, the
# scenarios with the longest "# timeout:" header first (300, run-vm.sh's
# default, without one), in file order among equals.  Check the verdicts
# against JOBFILE itself, not this output: a line lost here must still be
# reported as a job that never ran.
jobs_longest_first() {
	local k s t
	while read -r k s; do
		t=$(sed -n 's/^# timeout: *//p' "$s" 2>/dev/null | head -n1)
		echo "${t:-300} $k $s"
	done < "$1" | sort -s -k1,1nr | cut -d' ' -f2-
}

# jobs_without_verdict JOBFILE RESULTS: print each "KERNEL SCENARIO" line of
# JOBFILE whose result file RESULTS/vm-KERNEL-NAME.tap lacks the verdict's
# last line: a job that never ran, or whose verdict broke off.
jobs_without_verdict() {
	local k s name
	while read -r k s; do
		name=$(basename "$s" .sh)
		grep -q "^# verdict complete $name\$" "$2/vm-$k-$name.tap" 2>/dev/null ||
			echo "$k $s"
	done < "$1"
}

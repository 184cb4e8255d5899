#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The whole test suite (make test), or only the static checks (make check).
#
# usage: run-tests.sh [--static-only] [--kernels "6.12 7.3:debug"] [--scenario NAME]
#
# --kernels takes SERIES[:VARIANT] words; VARIANT is test (the default) or
# debug (KASAN, kmemleak, UBSAN, KFENCE, lockdep: tests/kernel/config/).
#
# The harness's self-test runs first (tests/harness/): it plants failures
# and checks that each turns the verdict red for its own reason.  Every
# check is then one TAP result in build/test-results/*.tap; the run ends
# with one line "N passed, N failed, N skipped" over all of them and exits
# non-zero if anything failed.  Logs of every step are in build/test-logs/.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/lib/common.sh"
. "$top/tests/lib/queue.sh"
cd "$top"

static_only=0
kernels=${PS_TEST_KERNELS:-"6.12 7.3:debug"}
only_scenario=
while [ $# -gt 0 ]; do
	case "$1" in
	--static-only) static_only=1; shift ;;
	--kernels) kernels=$2; shift 2 ;;
	--scenario) only_scenario=$2; shift 2 ;;
	-h|--help) sed -n '4,16p' "$0"; exit 0 ;;
	*) die "unknown option $1" ;;
	esac
done

results="$top/build/test-results"
logs="$top/build/test-logs"
rm -rf "$results" "$logs"
mkdir -p "$results" "$logs"

# record FILE STATUS DESCRIPTION
record() {
	if [ "$2" = 0 ]; then echo "ok - $3" >> "$results/$1.tap"
	else echo "not ok - $3" >> "$results/$1.tap"; fi
}
# step FILE LOGNAME DESCRIPTION COMMAND...: run, log, record one result.
step() {
	local file=$1 logname=$2 desc=$3; shift 3
	log "$desc"
	"$@" > "$logs/$logname.log" 2>&1
	local rc=$?
	record "$file" $rc "$desc"
	[ $rc = 0 ] || { log "FAILED: $desc (see build/test-logs/$logname.log)"; tail -n 20 "$logs/$logname.log" | sed 's/^/    /' >&2; }
	return $rc
}

tests/setup/deps.sh test || exit 1

# ---------------------------------------------------------------- kernels
# Each word of $kernels is SERIES[:VARIANT]; its label in the results is
# the series, with "-debug" for the debug variant.
declare -A kdir_of
labels=
for spec in $kernels; do
	series=${spec%%:*} variant=test
	[ "$spec" != "$series" ] && variant=${spec#*:}
	k=$series
	[ "$variant" = debug ] && k=$series-debug
	labels="$labels $k"
	if step kernels "kernel-$k" "$variant kernel $series built (cached in $PS_CACHE)" \
		tests/kernel/build-kernel.sh --variant "$variant" "$series"; then
		kdir_of[$k]=$(tail -n1 "$logs/kernel-$k.log")
	fi
done
kernels=${labels# }
series_of() { echo "${1%-debug}"; }

# ------------------------------------------------------ harness self-test
# First the verdict logic on recorded inputs (no VM), then the planted
# failures in VMs on the first debug kernel, in the background while the
# static checks and the tools build.  Its modules build in their own tree.
harness_pid=
if [ "$static_only" = 0 ]; then
	# The VM job queue: each job exactly once, a missing verdict reported.
	tests/harness/queue_test.sh > "$results/harness-queue.tap" 2> "$logs/harness-queue.log"
	grep -q '^1\.\.' "$results/harness-queue.tap" ||
		record harness 1 "harness self-test: the VM job queue's tests ran to their plan (see $logs/harness-queue.log)"
	step harness guest-progs-min "guest programs for the harness self-test build" \
		tests/vm/build-progs.sh build/guest
	hk=
	for k in $kernels; do
		case "$k" in *-debug) [ -n "${kdir_of[$k]:-}" ] && { hk=$k; break; } ;; esac
	done
	hkd=${kdir_of[${hk:-${kernels%% *}}]:-}
	if [ -n "$hkd" ]; then
		log "harness self-test: verdict logic on recorded inputs"
		python3 tests/harness/verdict_test.py --kernel "$hkd" > "$results/harness-unit.tap" 2> "$logs/harness-unit.log"
		grep -q '^1\.\.' "$results/harness-unit.tap" ||
			record harness 1 "harness self-test: verdict unit tests ran to their plan (see $logs/harness-unit.log)"
	fi
	if [ -z "$hk" ]; then
		record harness 1 "harness self-test: a debug kernel is among --kernels (KASAN and kmemleak plants need one)"
	elif step harness harness-kmod "harness self-test: planted modules build for $hk" \
		make -s module KDIR="$hkd/build" BUILD="$top/build/harness"; then
		log "harness self-test: planted failures on $hk (background)"
		( tests/harness/selftest.sh --kernel "$hkd" --kmod "build/harness/kmod/$(cat "$hkd/release")" \
			--progs build/guest --logs "$logs/harness" > "$results/harness.tap" 2> "$logs/harness.log"
		  grep -q '^1\.\.' "$results/harness.tap" ||
			record harness 1 "harness self-test ran to its plan (see $logs/harness.log)" ) &
		harness_pid=$!
	fi
fi

# ---------------------------------------------------------- static checks
static_checks() {
	local k=$1 kd=${kdir_of[$1]} series
	local krel; krel=$(cat "$kd/release")
	series=$(series_of "$k")
	# W=1 with warnings as errors, and sparse on every file (C=2) where
	# Debian 12's sparse (0.6.4) is new enough for the kernel: 7.x
	# kernels refuse it, so sparse runs on 6.12 only.
	local sparse="C=2" what="W=1 -Werror and sparse (C=2)"
	if [ "$series" != 6.12 ]; then sparse=""; what="W=1 -Werror (Debian's sparse is too old for $k)"; fi
	step static "w1-sparse-$k" "kernel $k: module builds with $what, no warnings" \
		bash -c "make -s module KDIR='$kd/build' KBUILD_ARGS='W=1 $sparse KCFLAGS=-Werror' 2>&1 | tee /dev/stderr | grep -E 'warning|error|sparse is not available' && exit 1; test \${PIPESTATUS[0]} = 0"
	# No PCI aliases: udev must never load the module for a GPU by itself.
	step static "no-alias-$k" "kernel $k: the module has no modalias, and a udev-style coldplug of NVIDIA GPUs loads nothing (nothing binds at boot)" \
		tests/kernel/check-no-alias.sh "build/kmod/$krel/pseudoscopic.ko"
	# The NASM routines as the kernel lays out, calls and checks its own
	# assembly (padding for call-depth tracking, ENDBR64, direct calls
	# only for CFI, objtool as on a kernel without IBT).
	step static "nasm-$k" "kernel $k: NASM routines padded, ENDBR64, typed, called directly only, objtool-clean without IBT" \
		/usr/bin/python3 tests/kernel/check-nasm.py --kdir "$kd/build" --ko "build/kmod/$krel/pseudoscopic.ko" \
		"build/kmod/$krel/asm/copy_nt.o" "build/kmod/$krel/asm/cache_flush.o"
	# The probes run again into a directory of their own: regenerating the
	# build's compat header would make the module build below start over.
	step static "compat-$k" "kernel $k: conftest probes match the kernel's API" \
		tests/kernel/check-compat.sh "$series" "$kd/build" "$logs/compat-$k"
}

for k in $kernels; do
	[ -n "${kdir_of[$k]:-}" ] || continue
	static_checks "$k"
done
first=${kernels%% *}
if [ -n "${kdir_of[$first]:-}" ]; then
	cp_pl="${kdir_of[$first]}/build/scripts/checkpatch.pl"
	step static checkpatch "checkpatch.pl --strict clean on src/ include/ tests/kunit/ tests/dma-provider/ tests/harness/" \
		bash -c "find src include tests/kunit tests/dma-provider tests/harness -name '*.[ch]' -not -path 'src/conftest/*' | xargs perl '$cp_pl' --strict --no-tree --terse --show-types --ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -f"
fi
# The layering of src/ (Documentation/design.md): first the checker on
# planted violations, then the tree.
python3 tests/kernel/check-layers.py --self-test > "$results/layers-selftest.tap" 2> "$logs/layers-selftest.log"
grep -q '^1\.\.' "$results/layers-selftest.tap" ||
	record static 1 "layer check self-test ran to its plan (see $logs/layers-selftest.log)"
# The NASM check on planted routines (each rule broken once).
if [ -n "${kdir_of[$first]:-}" ]; then
	/usr/bin/python3 tests/kernel/check-nasm.py --kdir "${kdir_of[$first]}/build" --self-test \
		> "$results/nasm-selftest.tap" 2> "$logs/nasm-selftest.log"
	grep -q '^1\.\.' "$results/nasm-selftest.tap" ||
		record static 1 "NASM check self-test ran to its plan (see $logs/nasm-selftest.log)"
fi
step static layers "src/ in layers: no include, call or cycle across the rule (tests/kernel/check-layers.py)" \
	python3 tests/kernel/check-layers.py
step static kconfig "build stops with one clear sentence on a kernel without CONFIG_DEVICE_PRIVATE" \
	tests/kernel/check-kconfig-refusal.sh
# clang-tidy after the tools build when there is one: the build's
# dependency files then tell which headers each verdict depends on.
[ "$static_only" = 1 ] && step static clang-tidy "clang-tidy clean on tools/" tests/tools/clang-tidy.sh

if [ "$static_only" = 0 ]; then
	# ------------------------------------------------------------- tools
	if step tools tools-build "C++ tools build (-Wall -Wextra -Werror, libsmartcols)" make -s tools; then
		step static clang-tidy "clang-tidy clean on tools/" tests/tools/clang-tidy.sh
		(cd build/tools && ctest --output-on-failure) > "$logs/ctest.log" 2>&1
		sed -nE 's/^ *[0-9]+\/[0-9]+ Test +#[0-9]+: ([^ ]+) \.+ *(\*\*\*)?([A-Za-z]+).*/\3 \1/p' "$logs/ctest.log" |
		while read -r status name; do
			[ "$status" = Passed ] && echo "ok - gtest $name" || echo "not ok - gtest $name"
		done > "$results/gtest.tap"
		[ -s "$results/gtest.tap" ] || record tools 1 "GoogleTest suite ran (see build/test-logs/ctest.log)"
		# The --watch dashboard as a person sees it, in a tmux pane.
		log "ps-status --watch in tmux (capture-pane)"
		tests/tools/ps-status-tmux.sh build/tools/ps-status > "$results/ps-status-tmux.tap" 2> "$logs/ps-status-tmux.log"
		grep -q '^ok' "$results/ps-status-tmux.tap" ||
			record tools 1 "ps-status --watch tmux test ran (see build/test-logs/ps-status-tmux.log)"
		# Its formats, columns, DEVICE arguments and exit statuses.
		tests/tools/ps-status-cli.sh build/tools/ps-status > "$results/ps-status-cli.tap" 2> "$logs/ps-status-cli.log"
		grep -q '^1\.\.' "$results/ps-status-cli.tap" ||
			record tools 1 "ps-status output test ran to its plan (see build/test-logs/ps-status-cli.log)"
		# make install into a scratch root, the way a packager runs it.
		log "make install DESTDIR=... (file list, library users, uninstall)"
		tests/tools/install-test.sh > "$results/install.tap" 2> "$logs/install.log"
		grep -q '^1\.\.' "$results/install.tap" ||
			record tools 1 "make install test ran to its plan (see build/test-logs/install.log)"
		# make deb: the Debian packages, lintian, their files and dependencies.
		log "make deb (lintian, file lists, dependencies, packaged tools)"
		tests/tools/deb-test.sh > "$results/deb.tap" 2> "$logs/deb.log"
		grep -q '^1\.\.' "$results/deb.tap" ||
			record tools 1 "make deb test ran to its plan (see build/test-logs/deb.log)"
	fi
	step tools guest-progs "guest programs build" tests/vm/build-progs.sh build/guest build/tools

	# ------------------------------------------------- per-kernel VM tests
	# Every kernel's scenarios are one job list, run by PS_VM_LANES
	# workers (default 3) side by side (tests/lib/queue.sh): guests spend
	# much of their time idle or booting, so three share the machine's two
	# cores well, and a worker done with one kernel's jobs takes another's.
	# The debug kernels' jobs come first: they are the long ones (KASAN,
	# kmemleak scans).  Results go to one file per kernel and scenario.
	# vm_job LABEL SCENARIO: one VM, its verdict in
	# build/test-results/vm-LABEL-NAME.tap.
	vm_job() {
		local k=$1 s=$2 kd=${kdir_of[$1]} krel name
		krel=$(cat "$kd/release")
		name=$(basename "$s" .sh)
		log "kernel $k: VM scenario $name"
		tests/vm/run-vm.sh --kernel "$kd" --kmod "build/kmod/$krel" --progs build/guest --progs "build/guest-$krel" \
			--logs "$logs/vm-$k" "$s" 2>"$logs/vm-$k-$name.err" |
			sed -E "s/^(ok|not ok)( [0-9]+)? - /\1 - $k /" \
			> "$results/vm-$k-$name.tap"
	}
	# The kernels' modules and hmm-tests build side by side.
	prep_pids=()
	for k in $kernels; do
		kd=${kdir_of[$k]:-}
		[ -n "$kd" ] || continue
		krel=$(cat "$kd/release")
		rm -f "build/kmod/$krel/pseudoscopic.ko"
		# With the static check's flags (W=1, warnings as errors), so the
		# objects that build made are reused, not compiled a second time.
		( step "vm-$k" "module-$k" "kernel $k: pseudoscopic.ko and the KUnit module build" \
			make -s module KDIR="$kd/build" KBUILD_ARGS="W=1 KCFLAGS=-Werror" &&
		  step "vm-$k" "hmm-tests-$k" "kernel $k: reference selftest hmm-tests builds" \
			tests/vm/build-hmm-tests.sh "$kd/build" "build/guest-$krel" ) &
		prep_pids+=($!)
	done
	for p in "${prep_pids[@]}"; do wait "$p"; done
	vm_ready=
	for k in $kernels; do
		kd=${kdir_of[$k]:-}
		[ -n "$kd" ] && [ -f "build/kmod/$(cat "$kd/release")/pseudoscopic.ko" ] &&
			vm_ready="$vm_ready $k"
	done
	jobs_file="$logs/vm-jobs.txt"
	for k in $vm_ready; do
		case "$k" in *-debug) ;; *) continue ;; esac
		for s in tests/vm/scenarios/*.sh; do echo "$k $s"; done
	done > "$jobs_file"
	for k in $vm_ready; do
		case "$k" in *-debug) continue ;; esac
		for s in tests/vm/scenarios/*.sh; do echo "$k $s"; done
	done >> "$jobs_file"
	sed -i -e '/\.host\.sh$/d' "$jobs_file"
	[ -z "$only_scenario" ] || sed -i -n "\|/$only_scenario\.sh\$|p" "$jobs_file"
	# Longest first: a long scenario started last would run alone while
	# the other lanes sit idle.  The verdicts are checked against the
	# unsorted list below.
	jobs_longest_first "$jobs_file" > "$logs/vm-queue.txt"
	run_queue "${PS_VM_LANES:-3}" "$logs/vm-queue.txt" vm_job
	# Every job ran and reached its verdict's last line: without it,
	# results may be lost.
	jobs_without_verdict "$jobs_file" "$results" | while read -r k s; do
		name=$(basename "$s" .sh)
		record "vm-$k-$name" 1 "kernel $k: scenario $name reached a verdict (see $logs/vm-$k-$name.err)"
	done
	[ -n "$harness_pid" ] && wait "$harness_pid"
	for k in $vm_ready; do
		step "dkms-$k" "dkms-$k" "kernel $k: dkms add/build against the test kernel tree" \
			tests/setup/dkms.sh selftest "$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)" "${kdir_of[$k]}/build"
	done

	# Every scenario listed in tests/vm/scenarios.list exists and nothing
	# else does: a scenario that is deleted or renamed cannot drop out of
	# the count unnoticed.
	if [ -z "$only_scenario" ]; then
		step vm scenario-list "tests/vm/scenarios.list names exactly the scenarios in tests/vm/scenarios/" \
			tests/vm/check-scenario-list.sh
	else
		log "only scenario $only_scenario: a partial run, not a verdict on the suite"
	fi
fi

echo
python3 tests/lib/tapsum.py "$results"/*.tap > "$logs/summary.txt"
status=$?
grep -E '^not ok ' "$logs/summary.txt"
grep -E '^# ' "$logs/summary.txt"
tail -n1 "$logs/summary.txt"
exit $status

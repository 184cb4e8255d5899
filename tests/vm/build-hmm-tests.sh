#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build the kernel's own hmm-tests selftest (the reference for test_hmm.ko)
# from a test kernel's source tree (dynamically linked, as the guest
# programs are: run-vm.sh adds the shared objects).
# usage: build-hmm-tests.sh KERNEL_TREE OUTDIR
set -eu
tree=$1
out=$2
mm="$tree/tools/testing/selftests/mm"
mkdir -p "$out"
[ -f "$out/hmm-tests" ] && [ "$out/hmm-tests" -nt "$mm/hmm-tests.c" ] &&
	! file -L "$out/hmm-tests" | grep -q 'statically linked' && exit 0
srcs="$mm/hmm-tests.c"
# Newer trees split helpers out of hmm-tests.c.
for extra in vm_util.c hugepage_settings.c; do
	if grep -q "${extra%.c}.h" "$mm/hmm-tests.c" 2>/dev/null; then
		srcs="$srcs $mm/$extra"
	fi
done
gcc -O2 -w -I "$tree" -I "$tree/tools/include/uapi" -I "$tree/tools/include" \
	-I "$mm/.." -o "$out/hmm-tests" $srcs -lpthread

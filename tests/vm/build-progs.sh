#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build the guest programs (tests/vm/progs/*.c) and collect the tools into
# one directory for the initramfs.  All are linked dynamically: run-vm.sh
# puts the shared objects they need in the guest once, where static glibc
# copied into each of twenty programs made a 13 MiB initramfs that a KASAN
# kernel under TCG took seconds per boot to unpack.
# usage: build-progs.sh OUTDIR [TOOLS_BUILD_DIR]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$1
tools=${2:-}
mkdir -p "$out"
for c in "$here"/progs/*.c; do
	bin="$out/$(basename "$c" .c)"
	if [ ! -f "$bin" ] || [ "$c" -nt "$bin" ] ||
	   [ "$here/../../include/uapi/linux/pseudoscopic.h" -nt "$bin" ] ||
	   [ "$here/progs/testlib.h" -nt "$bin" ] ||
	   file -L "$bin" | grep -q 'statically linked'; then
		gcc -O2 -Wall -Wextra -Werror -pthread \
			-I "$here/../../include/uapi" -o "$bin" "$c"
	fi
done
if [ -n "$tools" ]; then
	for t in "$tools"/ps-*; do
		[ -x "$t" ] && [ -f "$t" ] && cp "$t" "$out/"
	done
fi
exit 0

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build the static guest programs (tests/vm/progs/*.c) and collect the
# tools (dynamically linked: run-vm.sh adds their libraries) into one
# directory for the initramfs.
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
	   [ "$here/progs/testlib.h" -nt "$bin" ]; then
		gcc -static -O2 -Wall -Wextra -Werror -pthread \
			-I "$here/../../include/uapi" -o "$bin" "$c"
	fi
done
if [ -n "$tools" ]; then
	for t in "$tools"/ps-*; do
		[ -x "$t" ] && [ -f "$t" ] && cp "$t" "$out/"
	done
fi
exit 0

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The build must stop with one clear sentence on a kernel without
# CONFIG_DEVICE_PRIVATE: checked on a synthetic kernel tree, and on Debian's
# stock kernel headers when they are installed.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ps-kconfig.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/include/generated"
for o in PCI ZONE_DEVICE MIGRATION HMM_MIRROR; do
	echo "#define CONFIG_$o 1"
done > "$tmp/include/generated/autoconf.h"
echo '#define UTS_RELEASE "0.0-fake"' > "$tmp/include/generated/utsrelease.h"

expect_refusal() {
	if make -s -C "$top" module KDIR="$1" BUILD="$tmp/build" >"$tmp/out" 2>&1; then
		echo "build against $1 did not fail"
		return 1
	fi
	if ! grep -q "is built without CONFIG_DEVICE_PRIVATE, which this driver needs; Ubuntu, Fedora and Arch kernels enable it but Debian's stock kernel does not" "$tmp/out"; then
		echo "unclear refusal for $1:"
		cat "$tmp/out"
		return 1
	fi
	echo "refused $1 with: $(grep -m1 CONFIG_DEVICE_PRIVATE "$tmp/out")"
}

expect_refusal "$tmp"
for h in /usr/src/linux-headers-*-amd64; do
	[ -f "$h/include/generated/autoconf.h" ] || continue
	grep -q '^#define CONFIG_DEVICE_PRIVATE 1' "$h/include/generated/autoconf.h" && continue
	expect_refusal "$h"
done
# A real test kernel (with the option) passes the same check.
sh "$top/src/kconfig-check.sh" "$(sh -c "$top/tests/kernel/build-kernel.sh --print-dir 6.12" | tail -n1)/build"

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Check the generated compat header against tests/compat-expect.txt.
# usage: check-compat.sh SERIES KDIR MODULE_BUILD_DIR
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
series=$1 kdir=$2 out=$3
mkdir -p "$out/generated"
hdr="$out/generated/ps_compat_generated.h"
sh "$top/src/conftest.sh" "$kdir" "$hdr"
fail=0
grep -v '^#' "$top/tests/compat-expect.txt" | while read -r s macro want; do
	[ "$s" = "$series" ] || continue
	if grep -q "^#define $macro 1" "$hdr"; then got=yes; else got=no; fi
	if [ "$got" != "$want" ]; then
		echo "conftest: $macro is '$got' on $series, expected '$want'"
		exit 1
	fi
	echo "conftest: $macro = $got (as expected)"
done

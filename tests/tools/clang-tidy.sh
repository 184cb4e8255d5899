#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# clang-tidy over the C++ tools with tools/.clang-tidy (warnings are errors).
#
# Files run two at a time.  A file found clean is remembered in
# $PS_CACHE/clang-tidy under a hash of everything its verdict depends on
# (tests/tools/tidy-key.py): the clang-tidy version, tools/.clang-tidy, its
# compile command, the file and the project headers it includes (from the
# build's dependency files; all of them before a build).  An unchanged file
# is therefore not re-checked, in this clone or another; a failure is never
# cached.  PS_TIDY_NO_CACHE=1 checks everything.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"

# Internal: check one file (run by xargs below, with PS_TIDY_* set).
if [ "${1:-}" = --one ]; then
	f=$2
	key=$(python3 tests/tools/tidy-key.py "$top" "$f" "$PS_TIDY_COMMON") || exit 1
	[ -n "$key" ] || exit 1
	if [ -z "${PS_TIDY_NO_CACHE:-}" ] && [ -e "$PS_TIDY_CACHE/$key" ]; then
		exit 0
	fi
	clang-tidy -quiet -p build/tools "$f" || exit 1
	touch "$PS_TIDY_CACHE/$key"
	exit 0
fi

. tests/lib/common.sh
command -v clang-tidy >/dev/null || { echo "clang-tidy is missing: apt-get install clang-tidy"; exit 1; }
cmake -S tools -B build/tools -DCMAKE_BUILD_TYPE=Release >/dev/null

PS_TIDY_CACHE="$PS_CACHE/clang-tidy"
mkdir -p "$PS_TIDY_CACHE"
PS_TIDY_COMMON=$( {
	clang-tidy --version
	cat tools/.clang-tidy
} | sha256sum | cut -c1-64)
export PS_TIDY_CACHE PS_TIDY_COMMON

find tools -name '*.cpp' -not -path 'tools/tests/*' | sort |
	xargs -P 2 -n 1 sh "$0" --one

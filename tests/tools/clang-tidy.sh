#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# clang-tidy over the C++ tools with tools/.clang-tidy (warnings are errors).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
command -v clang-tidy >/dev/null || { echo "clang-tidy is missing: apt-get install clang-tidy"; exit 1; }
cmake -S tools -B build/tools -DCMAKE_BUILD_TYPE=Release >/dev/null
find tools -name '*.cpp' -not -path 'tools/tests/*' | sort |
	xargs clang-tidy -quiet -p build/tools

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Fails when tests/vm/scenarios.list and the scenario files disagree, so a
# scenario deleted or renamed by mistake cannot drop out of the count.
set -eu
cd "$(dirname "$0")"
listed=$(grep -v '^#' scenarios.list | sort)
present=$(ls scenarios | grep -v '\.host\.sh$' | sed 's/\.sh$//' | sort)
[ "$listed" = "$present" ] && exit 0
echo "scenarios.list and tests/vm/scenarios/ disagree (< listed, > present):"
diff <(echo "$listed") <(echo "$present") || true
exit 1

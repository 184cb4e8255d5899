# SPDX-License-Identifier: GPL-2.0
# TAP for host-side test scripts.  Source it with TAP_PREFIX set to what
# every test name starts with ("ps-status: ").
#   some_command; check "what it proves"   ok/not ok from the status
#   diag [FILE]                             a file (or stdin) as # lines
#   tap_done                                the plan; fails if any failed
tap_n=0 tap_failed=0
check() {
	local rc=$?
	tap_n=$((tap_n + 1))
	if [ $rc = 0 ]; then echo "ok $tap_n - ${TAP_PREFIX:-}$*"
	else echo "not ok $tap_n - ${TAP_PREFIX:-}$*"; tap_failed=$((tap_failed + 1)); fi
	return $rc
}
diag() { sed 's/^/# /' "$@"; }
tap_done() {
	echo "1..$tap_n"
	[ "$tap_failed" = 0 ]
}

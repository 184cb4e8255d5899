# SPDX-License-Identifier: GPL-2.0
# results: 1
# host-check: 1
# expect-verdict: ^not ok - host-missing: host result 1 of 1 missing \(host check script missing\)$
# Planted: the scenario declares a host-side check whose script is absent.
. /ps/lib.sh

true; check "guest half ran"
done_testing

# SPDX-License-Identifier: GPL-2.0
# results: 1
# timeout: 90
# expect-verdict: ^not ok - hang: guest ran to completion \(timed out after 90s\)$
# expect-verdict: ^not ok - hang: result 1 of 1 missing \(timed out after 90s\)$
# Planted: the guest hangs past its timeout.
. /ps/lib.sh

while :; do sleep 10; done

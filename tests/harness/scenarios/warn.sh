# SPDX-License-Identifier: GPL-2.0
# results: 1
# expect-verdict: ^not ok - warn: kernel log free of warnings$
# expect-verdict: ^# .*WARNING: .*ps_planted_init
# expect-verdict: ^ok - warn: guest ran to completion
# Planted: a WARN_ON in a module's init.
. /ps/lib.sh

insmod /ps/ps_planted.ko plant=warn; check "insmod ps_planted.ko plant=warn"
done_testing

# SPDX-License-Identifier: GPL-2.0
# results: 2
# needs: CONFIG_DEBUG_KMEMLEAK
# expect-verdict: ^not ok - leak: no kmemleak report naming a module of this tree \([1-9][0-9]* found\)$
# expect-verdict: ^ok - leak: kernel log free of warnings$
# Planted: sixteen buffers allocated in a module's init and never freed.  The
# module is unloaded before the scan, so the report's frames are bare
# addresses: the harness must attribute them through the recorded load
# address.
. /ps/lib.sh

insmod /ps/ps_planted.ko plant=leak; check "insmod ps_planted.ko plant=leak"
rmmod ps_planted; check "rmmod ps_planted"
done_testing

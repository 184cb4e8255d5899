# SPDX-License-Identifier: GPL-2.0
# results: 1
# needs: CONFIG_KASAN
# expect-verdict: ^not ok - kasan: kernel log free of warnings$
# expect-verdict: ^# .*BUG: KASAN: slab-out-of-bounds in ps_planted
# Planted: a one-byte out-of-bounds read past a kmalloc'd buffer.
. /ps/lib.sh

insmod /ps/ps_planted.ko plant=kasan; check "insmod ps_planted.ko plant=kasan"
done_testing

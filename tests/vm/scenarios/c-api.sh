# SPDX-License-Identifier: GPL-2.0
# results: 8
# vram: 64M
# libpseudoscopic's C interface from a C program (tools/examples/
# move_self.c, linked against the shared library like a program of
# others): it moves 8 MiB of its own memory to VRAM, sees it there, reads
# it back intact and sees it in RAM; bad arguments come back as errno.
. /ps/lib.sh

ps-c-example > /tmp/none.out 2>&1; [ $? = 1 ] && grep -q "open: No such file or directory" /tmp/none.out
check "no device: open fails with ENOENT, exit 1"
load_module && bind_new_id; check "load and bind"
ps-c-example /dev/pseudoscopic0 > /tmp/c.out 2>&1; check "the C program exits 0"
diag "$(cat /tmp/c.out)"
grep -qx "libpseudoscopic $(cat /sys/module/pseudoscopic/version), 1 device(s) bound" /tmp/c.out
check "ps_lib_version() is the driver's package version; ps_device_count() is 1"
grep -qx "moved 2048 of 2048 pages to VRAM" /tmp/c.out && grep -qx "in VRAM 2048, in RAM 0, absent 0" /tmp/c.out
check "ps_move() moved all 2048 pages and ps_where() finds them in VRAM"
grep -qx "after reading every byte: in VRAM 0, in RAM 2048" /tmp/c.out
check "every byte intact after the round trip; ps_where() finds them in RAM"
grep -qx "unaligned start: EINVAL" /tmp/c.out; check "an unaligned range is -EINVAL"
unload_module; check "rmmod"
done_testing

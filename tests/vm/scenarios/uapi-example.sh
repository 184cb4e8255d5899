# SPDX-License-Identifier: GPL-2.0
# results: 16
# vram: 128M
# The example program of Documentation/uapi.md runs as documented.  A
# program built against uapi version 3 or older (ioctl magic 0xb5, which
# belongs to rpmsg) gets EBADRQC and one log line asking for a rebuild.
. /ps/lib.sh

load_module && bind_new_id; check "load and bind"
uapi-example /dev/pseudoscopic0 > /tmp/ex.out; check "example exits 0"
diag "$(cat /tmp/ex.out)"
grep -q "^moved 16384 of 16384 pages to VRAM" /tmp/ex.out; check "example moved its 64 MiB"
grep -q "^in VRAM: 16384 pages, in RAM: 0 pages" /tmp/ex.out; check "example saw them in VRAM"
grep -q "^16384 of 16384 pages intact after the round trip$" /tmp/ex.out; check "example verified the round trip, page by page"
dmesg_mark
subtests old-abi old-abi /dev/pseudoscopic0; check "old-abi suite (see the lines above)"
old-abi /dev/pseudoscopic0 > /dev/null
[ "$(dmesg_new | grep -c 'rebuild it against uapi v4 (magic 0xb9)')" = 1 ]; check "the old numbers are logged once, asking for a rebuild against uapi v4"
unload_module; check "rmmod"
done_testing

# SPDX-License-Identifier: GPL-2.0
# results: 6
# vram: 128M
# The example program of Documentation/uapi.md runs as documented.
. /ps/lib.sh

load_module && bind_new_id; check "load and bind"
uapi-example /dev/pseudoscopic0 > /tmp/ex.out; check "example exits 0"
diag "$(cat /tmp/ex.out)"
grep -q "^moved 16384 of 16384 pages to VRAM" /tmp/ex.out; check "example moved its 64 MiB"
grep -q "^in VRAM: 16384 pages, in RAM: 0 pages" /tmp/ex.out; check "example saw them in VRAM"
grep -q "^16384 of 16384 pages intact after the round trip$" /tmp/ex.out; check "example verified the round trip, page by page"
unload_module; check "rmmod"
done_testing

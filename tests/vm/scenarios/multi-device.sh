# SPDX-License-Identifier: GPL-2.0
# results: 15
# vram: 64M 128M
# Two emulated GPUs of different sizes bind independently, each with its
# own BAR mapping; unbinding one leaves the other bound.
. /ps/lib.sh

set -- $(ivshmem_devices)
[ $# = 2 ]; check "two ivshmem devices present"
a=$1; b=$2
dmesg_mark
load_module && bind_new_id; check "load and bind by id"
bound_to_us "$a" && bound_to_us "$b"; check "both devices bound"
dmesg_new | grep -q "$a: BAR2: 64 MiB"; check "first device maps its 64 MiB BAR"
dmesg_new | grep -q "$b: BAR2: 128 MiB"; check "second device maps its 128 MiB BAR"
[ -c /dev/pseudoscopic0 ] && [ -c /dev/pseudoscopic1 ]; check "one device node each"
subtests migrate-test migrate-test /dev/pseudoscopic0 other /dev/pseudoscopic1; check "pages spread over both devices"
unbind "$a"; check "unbind the first device"
! bound_to_us "$a" && bound_to_us "$b"; check "the second device stays bound"
unload_module; check "rmmod"
! bound_to_us "$b"; check "second device released by rmmod"
done_testing

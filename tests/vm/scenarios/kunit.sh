# SPDX-License-Identifier: GPL-2.0
# vram: 64M
# results: 5
# kunit: kunit/expected.kunit
# expect-warning: ps_pool_release_bit|ps_pool_free
# Run pseudoscopic's KUnit suites and hand their KTAP (one document per
# suite, from debugfs) to the host, which parses it with the kernel's own
# kunit_parser and compares every case with tests/kunit/expected.kunit.
. /ps/lib.sh

load_module; check "insmod pseudoscopic.ko"
# A bound device lets pseudoscopic_copy_wc run the copy routines through
# the real write-combined BAR mapping (on a borrowed, free pool chunk).
bind_new_id && bound_to_us "$(ivshmem_devices | head -n1)"; check "emulated VRAM bound"
insmod /ps/pseudoscopic_kunit.ko; check "insmod pseudoscopic_kunit.ko (suites run at load)"
kunit_send pseudoscopic_; check "KUnit results present in debugfs"
rmmod pseudoscopic_kunit && unload_module; check "unload test and driver modules"
done_testing

# SPDX-License-Identifier: GPL-2.0
# results: 10
# vram: 64M
# timeout: 300
# PS_IOC_RESIDENCY is a pure read: it fires no MMU notifier invalidation
# (the kernel's test_hmm keeps a mirror that any invalidation of its range
# would drop) and reports another driver's device-private pages as
# another device's, never as swapped.  test_hmm is left loaded: on the
# debug kernels its unload BUGs (see hmm-reference).
. /ps/lib.sh

hmm=$(find /lib/modules/$(uname -r) -name 'test_hmm.ko*' | head -n1)
[ -n "$hmm" ] && insmod "$hmm" && [ -c /dev/hmm_dmirror0 ]; check "test_hmm.ko loaded, /dev/hmm_dmirror0 present"
load_module && bind_new_id; check "load and bind"
subtests res-pure res-pure /dev/pseudoscopic0 /dev/hmm_dmirror0; check "res-pure suite (see the lines above)"
unload_module; check "rmmod"
done_testing

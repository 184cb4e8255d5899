# SPDX-License-Identifier: GPL-2.0
# vram: 64M
# Bad parameters are refused with a message naming the parameter and its
# range; a forced BAR that is not a memory BAR refuses the bind.
. /ps/lib.sh

dev=$(ivshmem_devices | head -n1)

dmesg_mark
! load_module bar_index=7 2>/dev/null; check "bar_index=7 refused at load"
dmesg_new | grep -q "bar_index=7 is out of range (-1 for automatic, 0-5)"
check "refusal names bar_index and its range"

dmesg_mark
load_module bar_index=1; check "bar_index=1 loads (valid range)"
bind_new_id 2>/dev/null
! bound_to_us "$dev"; check "bind refused: ivshmem has no BAR1"
dmesg_new | grep -q "$dev: bar_index=1 is not a memory BAR of this device"
check "refusal explains the bad BAR"
unload_module; check "rmmod after refused bind"

load_module bar_index=2 && bind_new_id; check "bar_index=2 binds"
bound_to_us "$dev"; check "device bound with explicit BAR2"
cat /sys/module/pseudoscopic/parameters/bar_index | grep -qx 2
check "bar_index visible in /sys/module/pseudoscopic/parameters"
unload_module; check "rmmod"
done_testing

# SPDX-License-Identifier: GPL-2.0
# results: 25
# vram: 64M
# Every parameter is validated: a bad value refuses the load (or, when it
# depends on the device, the bind) with a message naming the parameter and
# its allowed range; good values take effect.
. /ps/lib.sh

dev=$(ivshmem_devices | head -n1)
a=/sys/bus/pci/devices/$dev/pseudoscopic

# refused_at_load "param=value" "expected message"
refused_at_load() {
	dmesg_mark
	! load_module "$1" 2>/dev/null && dmesg_new | grep -qF "$2"
	check "$1 refused at load: '$2'"
}
refused_at_load bar_index=7 "bar_index=7 is out of range (-1 for automatic, 0-5)"
refused_at_load bar_index=-2 "bar_index=-2 is out of range (-1 for automatic, 0-5)"
refused_at_load pool_size_mb=2 "pool_size_mb=2 is out of range (0 for all, 4-16777216)"
refused_at_load pool_size_mb=16777217 "pool_size_mb=16777217 is out of range (0-16777216)"
refused_at_load reserve_start_mb=-2 "reserve_start_mb=-2 is out of range (-1-16777216)"
refused_at_load reserve_end_mb=-5 "reserve_end_mb=-5 is out of range (-1-16777216)"
refused_at_load migration_threshold=0 "migration_threshold=0 is out of range (1-512)"
refused_at_load migration_threshold=513 "migration_threshold=513 is out of range (1-512)"
refused_at_load enable_dma=2 "enable_dma=2 is out of range (-1-1)"
! grep -q '^pseudoscopic ' /proc/modules; check "module not loaded after refusals"

# refused_at_bind "params" "expected message"
refused_at_bind() {
	dmesg_mark
	load_module $1 && bind_new_id 2>/dev/null
	! bound_to_us "$dev" && dmesg_new | grep -qF "$2"
	check "$1: bind refused: '$2'"
	unload_module
}
refused_at_bind bar_index=1 "$dev: bar_index=1 is not a memory BAR of this device"
refused_at_bind pool_size_mb=128 "$dev: pool_size_mb=128 is out of range for this device (4-64)"
refused_at_bind reserve_start_mb=62 "$dev: BAR2 (64 MiB, 64 MiB VRAM) leaves less than the minimum pool (4 MiB) after reserve_start_mb=62, reserve_end_mb=0"
refused_at_bind "reserve_start_mb=30 reserve_end_mb=32" "leaves less than the minimum pool (4 MiB) after reserve_start_mb=30, reserve_end_mb=32"
refused_at_bind enable_dma=1 "$dev: enable_dma=1 but no DMA_MEMCPY channel is available"

# accepted "params" CHECK...: load, bind, then test sysfs
load_module bar_index=2 pool_size_mb=32 reserve_start_mb=8 migration_threshold=64 enable_dma=0 && bind_new_id
bound_to_us "$dev"; check "bind with explicit good values"
[ "$(cat $a/pool_offset)" = $((8 << 20)) ]; check "reserve_start_mb=8 moves the pool to offset 8 MiB"
[ "$(cat $a/pool_bytes)" = $((32 << 20)) ]; check "pool_size_mb=32 limits the pool"
[ "$(cat $a/reserved_start_bytes)" = $((8 << 20)) ]; check "reserved_start_bytes reports it"
[ "$(cat $a/reserved_pages)" = 2048 ] && [ "$(cat /sys/module/pseudoscopic/pool/reserved_pages)" = 2048 ]
check "reserved_pages (device and module) = 2048 (8 MiB at the start, none at the end)"
wrong=
for p in bar_index:2 pool_size_mb:32 reserve_start_mb:8 reserve_end_mb:-1 migration_threshold:64 enable_dma:0 copy_engine:cpu selftest:Y resize_bar:Y force_boot_vga:N force_bar1_mode:N; do
	v=$(cat /sys/module/pseudoscopic/parameters/${p%%:*} 2>&1)
	[ "$v" = "${p#*:}" ] || wrong="$wrong ${p%%:*}=$v"
done
[ -z "$wrong" ]; check "every parameter visible in /sys/module/pseudoscopic/parameters${wrong:+ (wrong:$wrong)}"
unload_module; check "rmmod"

dmesg_mark
load_module selftest=0 reserve_end_mb=4 && bind_new_id
bound_to_us "$dev" && dmesg_new | grep -q "$dev: self-test skipped (selftest=0)"; check "selftest=0 skips the self-test"
[ "$(cat $a/pool_bytes)" = $((60 << 20)) ]; check "reserve_end_mb=4 trims the end of the pool"
unload_module; check "rmmod"
done_testing

# SPDX-License-Identifier: GPL-2.0
# results: 17
# vram: 256M
# Full bring-up on emulated VRAM: self-test, pool, device-private struct
# pages in a free physical range (not at the BAR), sysfs, clean teardown.
. /ps/lib.sh

dev=$(ivshmem_devices | head -n1)
a=/sys/bus/pci/devices/$dev/pseudoscopic
mem0=$(awk '/MemFree/ {print $2}' /proc/meminfo)
dmesg_mark
load_module && bind_new_id; check "load and bind"
bound_to_us "$dev"; check "bound"
dmesg_new | grep -q "$dev: self-test passed: .* across 256 MiB"; check "self-test passed over the whole pool"
dmesg_new | grep -q "$dev: bound as pseudoscopic0 (generic device): pool of 256 MiB at BAR2 offset 0x0"; check "pool placed at BAR offset 0, node pseudoscopic0"
[ "$(cat $a/pool_pages)" = 65536 ]; check "pool_pages = 65536 (256 MiB of 4 KiB pages)"
[ "$(cat $a/free_pages)" = 65536 ]; check "every pool page free"
[ "$(cat $a/pool_bytes)" = 268435456 ] && [ "$(cat $a/vram_bytes)" = 268435456 ]; check "pool_bytes and vram_bytes"
[ "$(cat $a/reserved_start_bytes)" = 0 ] && [ "$(cat $a/reserved_end_bytes)" = 0 ]; check "generic devices reserve nothing by default"
[ "$(cat $a/architecture)" = none ]; check "architecture is none for a generic device"
[ "$(cat $a/low_watermark_pages)" -lt "$(cat $a/high_watermark_pages)" ]; check "low watermark below high watermark"
[ "$(cat $a/dma_channel)" = none ]; check "no DMA_MEMCPY channel in the VM: CPU copies"
[ "$(cat $a/selftest_write_mbps)" -gt 0 ]; check "bandwidth sampled"
diag "probe took $(cat $a/probe_us) us; write $(cat $a/selftest_write_mbps) MB/s, read $(cat $a/selftest_read_mbps) MB/s"

# The struct pages sit in a free physical range named after the driver,
# distinct from the BAR (0xe0000000 here).
pfn=$(cat $a/device_pfn_first)
n=$(grep -c ' : pseudoscopic$' /proc/iomem)
[ "$n" = 2 ]; check "/proc/iomem: BAR region and device-private range ($n entries)"
phys=$(printf '%x' $((pfn * 4096)))
grep -q "^ *0*$phys-.* : pseudoscopic$" /proc/iomem; check "device pfn range starts at 0x$phys, outside the BAR"
bar=$(grep -B1 -m1 ' : pseudoscopic$' /proc/iomem | head -n1)
diag "iomem: $(grep ' : pseudoscopic$' /proc/iomem | tr -s ' ' | tr '\n' ';')"
mem1=$(awk '/MemFree/ {print $2}' /proc/meminfo)
diag "MemFree dropped by $((mem0 - mem1)) kB for 65536 struct pages and pool bookkeeping"

unbind "$dev"; check "unbind"
[ "$(grep -c ' : pseudoscopic$' /proc/iomem)" = 0 ]; check "both ranges released"
unload_module; check "rmmod"
done_testing

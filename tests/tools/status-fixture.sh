# SPDX-License-Identifier: GPL-2.0
# A sysfs tree with two devices bound to pseudoscopic, laid out as the
# driver lays it out, for ps-status --sysfs-root.  Sourced with $root set;
# defines device() and attr() and makes 0000:00:04.0 (pseudoscopic0, 128M,
# a quarter used) and 0000:00:05.0 (pseudoscopic1, 64M, empty).
mkdir -p "$root/module/pseudoscopic" "$root/bus/pci/drivers/pseudoscopic"
device() {	# BDF NODE POOL_PAGES FREE_PAGES
	local d=$root/devices/pci0000:00/$1
	mkdir -p "$d/pseudoscopic" "$d/misc/$2"
	echo 0x1af4 > "$d/vendor"; echo 0x1110 > "$d/device"
	local a=$d/pseudoscopic
	echo 2 > "$a/bar_index"; echo $(($3 * 4096)) > "$a/bar_bytes"
	echo generic > "$a/vendor_family"
	echo "$3" > "$a/pool_pages"; echo $(($3 * 4096)) > "$a/pool_bytes"; echo "$4" > "$a/free_pages"
	for c in pages_to_vram pages_to_ram cpu_faults fault_around_pages fault_around_hits evicted_pages alloc_failures; do
		echo 0 > "$a/$c"
	done
	echo 0 > "$a/fault_ns_ema"
	# 3 faults under 4 us, 1 under 1024 us: 3 x 3 us + 700 us.
	echo 709000 > "$a/fault_ns_total"
	for i in $(seq 0 20); do
		case $i in 2) c=3 ;; 10) c=1 ;; *) c=0 ;; esac
		echo "<$((1 << i))us $c"
	done > "$a/fault_latency_histogram"
	echo ">=1048576us 0" >> "$a/fault_latency_histogram"
	echo cpu > "$a/copy_engine"; echo auto > "$a/copy_mode"
	for c in dma_pages dma_fallbacks copy_errors thp_to_vram thp_to_ram lost lost_faults; do
		echo 0 > "$a/$c"
	done
	ln -s "$d" "$root/bus/pci/drivers/pseudoscopic/$1"
}
device 0000:00:04.0 pseudoscopic0 32768 24576
device 0000:00:05.0 pseudoscopic1 16384 16384
attr() { echo "$3" > "$root/devices/pci0000:00/$1/pseudoscopic/$2"; }

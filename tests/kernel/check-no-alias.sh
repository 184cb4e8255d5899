#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# usage: check-no-alias.sh MODULE.ko
# The module must carry no modalias: udev loads a module for a device only
# through its aliases, and pseudoscopic must never be loaded for a GPU at
# boot (it would race nvidia or nouveau, and its self-test overwrites VRAM).
#
# Two checks.  modinfo lists no alias.  Then a coldplug as udev does it:
# the module installed in a scratch module tree, depmod run over it, and
# each device's MODALIAS resolved by modprobe, as udev's kmod builtin does
# for every "add" uevent at boot.  Real NVIDIA GPUs (a VGA and a 3D
# controller) and the test VMs' ivshmem device must resolve to nothing.
# The same coldplug on a copy of the module carrying the aliases a
# MODULE_DEVICE_TABLE would give it must find the module: otherwise the
# coldplug check could not fail, and says so.
set -eu
ko=$1
[ -f "$ko" ] || { echo "$ko: no such module" >&2; exit 1; }
aliases=$(modinfo -F alias "$ko")
if [ -n "$aliases" ]; then
	echo "$ko has aliases; udev would load it at boot:"
	echo "$aliases"
	exit 1
fi
echo "$ko: no aliases"

rel=$(modinfo -F vermagic "$ko" | cut -d' ' -f1)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ps-alias.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# MODALIAS strings of real devices, as the kernel writes them in uevents.
devices="pci:v000010DEd00002684sv00001043sd000088E2bc03sc00i00
pci:v000010DEd000020B0sv000010DEsd00001450bc03sc02i00
pci:v00001AF4d00001110sv00001AF4sd00001100bc05sc00i00"

# coldplug MODULE.ko: print the modules udev would load for $devices.
coldplug() {
	root="$tmp/root"
	rm -rf "$root"
	mkdir -p "$root/lib/modules/$rel/extra"
	cp "$1" "$root/lib/modules/$rel/extra/pseudoscopic.ko"
	# The files a kernel's own tree has; depmod warns without them.
	touch "$root/lib/modules/$rel/modules.order" "$root/lib/modules/$rel/modules.builtin" \
		"$root/lib/modules/$rel/modules.builtin.modinfo"
	depmod -b "$root" "$rel"
	for a in $devices; do
		modprobe -d "$root" -S "$rel" -R "$a" 2>/dev/null || true
	done
}

found=$(coldplug "$ko")
if [ -n "$found" ]; then
	echo "coldplug of an NVIDIA GPU or ivshmem would load: $found"
	exit 1
fi
echo "coldplug: no device's MODALIAS resolves to the module"

# The planted module: MODULE_DEVICE_TABLE(pci, ...) over the driver's
# table (NVIDIA VGA and 3D controllers) puts these in .modinfo.
objcopy -O binary --only-section=.modinfo "$ko" "$tmp/modinfo"
printf 'alias=pci:v000010DEd*sv*sd*bc03sc00i*\0alias=pci:v000010DEd*sv*sd*bc03sc02i*\0' >> "$tmp/modinfo"
objcopy --update-section .modinfo="$tmp/modinfo" "$ko" "$tmp/planted.ko"
found=$(coldplug "$tmp/planted.ko")
if [ "$(echo "$found" | grep -c '^pseudoscopic$')" != 2 ]; then
	echo "the coldplug check cannot fail: a module with NVIDIA aliases resolved to '$found', not pseudoscopic for both GPUs"
	exit 1
fi
echo "coldplug: a planted MODULE_DEVICE_TABLE would load it for both GPUs (the check can fail)"

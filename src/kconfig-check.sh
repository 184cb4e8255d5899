#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Refuse, in one clear sentence, to build against a kernel that cannot run
# pseudoscopic.  usage: kconfig-check.sh KDIR
set -eu
kdir=$1
conf="$kdir/include/generated/autoconf.h"

if [ ! -f "$conf" ]; then
	echo "pseudoscopic: no configured kernel build tree at $kdir (install the matching linux-headers package, or pass KDIR=/path/to/kernel/build)." >&2
	exit 1
fi
has() { grep -q "^#define CONFIG_$1 1" "$conf"; }

for opt in PCI ZONE_DEVICE MIGRATION HMM_MIRROR; do
	if ! has "$opt"; then
		echo "pseudoscopic: the kernel at $kdir is built without CONFIG_$opt, which HMM device-private memory needs." >&2
		exit 1
	fi
done
if ! has DEVICE_PRIVATE; then
	echo "pseudoscopic: the kernel at $kdir is built without CONFIG_DEVICE_PRIVATE, which this driver needs; Ubuntu, Fedora and Arch kernels enable it but Debian's stock kernel does not, so build a kernel with it (see README.md, 'Install on real hardware')." >&2
	exit 1
fi

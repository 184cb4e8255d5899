#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# DKMS packaging of the module.
#
# usage: dkms.sh install VERSION       add, build and install for the running
#                                      kernel (root; what `make install` does)
#        dkms.sh uninstall VERSION     remove every installed build (root)
#        dkms.sh export VERSION DIR    lay the DKMS source tree out in DIR
#                                      only (make install with DESTDIR)
#        dkms.sh selftest VERSION KDIR build through dkms into a private tree
#                                      against KDIR (used by make test; needs
#                                      no root and touches no system state)
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cmd=${1:-}; ver=${2:-}
[ -n "$cmd" ] && [ -n "$ver" ] || { sed -n '4,14p' "$0" >&2; exit 2; }

# The files DKMS needs to build the module (the C++ tools are not part of it).
export_source() {
	dest=$1
	rm -rf "$dest"
	mkdir -p "$dest/tests"
	cp -r "$top/Makefile" "$top/Kbuild" "$top/dkms.conf" "$top/LICENSE" \
		"$top/src" "$top/include" "$dest/"
	[ -d "$top/asm" ] && cp -r "$top/asm" "$dest/"
	cp -r "$top/tests/kunit" "$dest/tests/"
}

case "$cmd" in
install)
	[ "$(id -u)" = 0 ] || { echo "make install: run as root (DKMS writes /usr/src and /lib/modules)" >&2; exit 1; }
	command -v dkms >/dev/null || { echo "make install: dkms is missing: apt-get install dkms" >&2; exit 1; }
	# dkms skips a kernel that lacks what the module needs (dkms.conf's
	# BUILD_EXCLUSIVE_CONFIG) with a message of its own: say it our way first.
	sh "$top/src/kconfig-check.sh" "/lib/modules/$(uname -r)/build"
	dkms remove "pseudoscopic/$ver" --all >/dev/null 2>&1 || true
	export_source "/usr/src/pseudoscopic-$ver"
	dkms add "pseudoscopic/$ver"
	dkms build "pseudoscopic/$ver"
	dkms install "pseudoscopic/$ver"
	echo "installed; load with: modprobe pseudoscopic"
	;;
export)
	dir=${3:?usage: dkms.sh export VERSION DIR}
	export_source "$dir"
	echo "DKMS source tree in $dir"
	;;
uninstall)
	[ "$(id -u)" = 0 ] || { echo "make uninstall: run as root" >&2; exit 1; }
	dkms remove "pseudoscopic/$ver" --all
	rm -rf "/usr/src/pseudoscopic-$ver"
	;;
selftest)
	kdir=$3
	krel=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"/\1/p' "$kdir/include/generated/utsrelease.h")
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/ps-dkms.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	export_source "$tmp/src/pseudoscopic-$ver"
	mkdir -p "$tmp/tree"
	dkms add "pseudoscopic/$ver" --sourcetree "$tmp/src" --dkmstree "$tmp/tree"
	dkms build "pseudoscopic/$ver" -k "$krel" --kernelsourcedir "$kdir" \
		--sourcetree "$tmp/src" --dkmstree "$tmp/tree"
	ko=$(find "$tmp/tree/pseudoscopic/$ver/$krel" -name 'pseudoscopic.ko*' | head -n1)
	[ -n "$ko" ] || { echo "dkms build produced no pseudoscopic.ko" >&2; exit 1; }
	modinfo -F vermagic "$ko" | grep -q "^$krel " || { echo "dkms module has the wrong vermagic" >&2; exit 1; }
	echo "dkms built $ko for $krel"
	;;
*) echo "unknown command $cmd" >&2; exit 2 ;;
esac

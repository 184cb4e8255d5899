#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Make sure the Debian packages that building and testing need are there.
# As root, install the missing ones; otherwise print the one apt-get line.
# usage: deps.sh [build|deb|test|demo]
set -eu
what=${1:-test}

build="build-essential make gcc g++ cmake ccache nasm libcli11-dev nlohmann-json3-dev libfmt-dev libsmartcols-dev pkg-config kmod"
kernel="flex bison bc libelf-dev libssl-dev dwarves cpio xz-utils rsync"
vm="qemu-system-x86 busybox-static python3 file"
# make deb: Debian's packaging tools (the control file's Build-Depends
# beyond $build).
deb="dpkg-dev debhelper dh-dkms"
checks="sparse libgtest-dev perl dkms tmux clang-tidy python3-pyelftools lintian"
case "$what" in
build) pkgs="$build" ;;
deb) pkgs="$build $deb" ;;
demo) pkgs="$build $kernel $vm" ;;
test) pkgs="$build $kernel $vm $deb $checks" ;;
*) echo "usage: deps.sh [build|deb|test|demo]" >&2; exit 2 ;;
esac

missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ]; then
	echo "deps: installing$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >&2 || true
	apt-get install -y -q --no-install-recommends $missing >&2
else
	echo "deps: missing packages; run as root:" >&2
	echo "  apt-get install$missing" >&2
	exit 1
fi

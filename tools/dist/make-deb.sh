#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build the Debian packages (make deb): copy the tree and tools/dist/debian/
# to OUTDIR/pseudoscopic-VERSION/, write debian/changelog for dkms.conf's
# PACKAGE_VERSION (the one version source), and run dpkg-buildpackage
# there.  The .debs land in OUTDIR.
#
# usage: make-deb.sh OUTDIR
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:?usage: make-deb.sh OUTDIR}
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf")
[ -n "$ver" ] || { echo "make deb: no PACKAGE_VERSION in dkms.conf" >&2; exit 1; }
# As root the missing packaging tools are installed, otherwise named.
"$top/tests/setup/deps.sh" deb

# One entry, for this version; the user-visible changes are in
# Documentation/changelog.md.  Dated by the last commit, so the same tree
# gives the same packages (dpkg takes SOURCE_DATE_EPOCH from this date).
changelog() {
	maint=$(sed -n 's/^Maintainer: //p' "$top/tools/dist/debian/control")
	rev=$(git -C "$top" rev-parse --short HEAD 2>/dev/null) || rev=
	date=$(git -C "$top" log -1 --format=%cD 2>/dev/null) || date=$(date -R)
	cat <<-EOF
	pseudoscopic ($ver) unstable; urgency=medium

	  * pseudoscopic $ver${rev:+, built from commit $rev}. The changes are
	    listed in Documentation/changelog.md of the source tree.

	 -- $maint  $date
	EOF
}

src=$out/pseudoscopic-$ver
rm -rf "$out"
mkdir -p "$src"
# The source tree as it stands (uncommitted changes included), without
# build output: the top-level layout is fixed (README.md, "Layout").
(cd "$top" && tar --exclude-vcs --exclude=__pycache__ -cf - \
	Makefile Kbuild dkms.conf LICENSE README.md src include asm tools tests Documentation) |
	tar -C "$src" -xf -
cp -r "$top/tools/dist/debian" "$src/debian"
changelog > "$src/debian/changelog"
cd "$src"
# No -dbgsym packages: `apt install ./build/deb/*.deb` would take them too.
DEB_BUILD_OPTIONS="noautodbgsym ${DEB_BUILD_OPTIONS:-}" dpkg-buildpackage -us -uc -b
ls "$out"/*.deb

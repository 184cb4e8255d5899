#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make deb as a user runs it: the four packages build, lintian reports no
# error and no warning, each package holds exactly the files listed in
# tests/tools/deb-files.txt (the DKMS source tree and the library's
# headers compared with their sources), the dependencies come out right
# (dkms for the module, the library through its shlibs for the tools),
# the tools carry Debian's hardening, and the packaged tools run on the
# packaged library.  Planted: a list with one file too many, one with one
# too few, and a package without its copyright file must each fail.
#
# usage: deb-test.sh      Prints TAP; exits non-zero if a check failed.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
work=$(mktemp -d "${TMPDIR:-/tmp}/ps-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
TAP_PREFIX="make deb: "
. "$top/tests/lib/tap.sh"
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
arch=$(dpkg --print-architecture)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null)
out=build/deb
pkgs="pseudoscopic-dkms pseudoscopic-tools libpseudoscopic0 libpseudoscopic-dev"
deb_of() {
	if [ "$1" = pseudoscopic-dkms ]; then echo "$out/$1_${ver}_all.deb"
	else echo "$out/$1_${ver}_$arch.deb"; fi
}

make -s deb > "$work/deb.log" 2>&1
check "builds (dpkg-buildpackage with debhelper and dh-dkms)" || tail -n 40 "$work/deb.log" | diag
for p in $pkgs; do basename "$(deb_of "$p")"; done | sort > "$work/debs-expected"
(cd "$out" && ls -- *.deb 2>/dev/null) | sort > "$work/debs"
diff "$work/debs-expected" "$work/debs" > "$work/debs.diff"
check "exactly the four packages in $out" || diag "$work/debs.diff"

# lint OUT DEB...: lintian's tags (info ones too) in OUT; fails on any
# error or warning.
lint() {
	local out=$1 rc; shift
	lintian --display-info --fail-on error,warning "$@" > "$out" 2> "$out.err"; rc=$?
	[ $rc = 0 ] && ! grep -q '^[EW]: ' "$out"
}
debs=()
for p in $pkgs; do debs+=("$(deb_of "$p")"); done
lint "$work/lintian" "${debs[@]}"
check "lintian: no error and no warning" || diag "$work/lintian" "$work/lintian.err"
grep -v '^[EW]: ' "$work/lintian" | diag # the info tags, for the record

# same_files PKG LIST: PKG's extracted files against LIST's lines for PKG.
same_files() {
	diff <(sed -n "s/^$1 //p" "$2" | sort) \
		<(cd "$work/root/$1" && find . -type f -o -type l | sed 's|^\./||' |
		  grep -v "^usr/src/pseudoscopic-$ver/\|^usr/include/pseudoscopic/" | sort)
}
# files_check PKG LIST: that as one TAP result, the difference as comments.
files_check() {
	same_files "$1" "$2" > "$work/files-$1.diff"
	check "$1 holds exactly the files of tests/tools/deb-files.txt" || diag "$work/files-$1.diff"
}
sed "s/@VERSION@/$ver/g; s/@MULTIARCH@/$multiarch/g" tests/tools/deb-files.txt | grep -v '^#' > "$work/expected"
for p in $pkgs; do
	mkdir -p "$work/root/$p"
	dpkg-deb -x "$(deb_of "$p")" "$work/root/$p" && files_check "$p" "$work/expected"
done
# planted LIST: the same check against a wrong list must say not ok.
planted() {
	(tap_n=0 tap_failed=0; files_check pseudoscopic-tools "$1") > "$work/planted"
	grep -q '^not ok' "$work/planted"
}
{ cat "$work/expected"; echo "pseudoscopic-tools usr/bin/ps-planted"; } > "$work/plus"
planted "$work/plus"; check "(planted) a file the package lacks is reported" || diag "$work/planted"
grep -v ' usr/bin/ps-bench$' "$work/expected" > "$work/minus"
planted "$work/minus"; check "(planted) a file the list lacks is reported" || diag "$work/planted"

tests/setup/dkms.sh export "$ver" "$work/dkms-src" > /dev/null
diff -r "$work/dkms-src" "$work/root/pseudoscopic-dkms/usr/src/pseudoscopic-$ver" > "$work/dkms.diff"
check "pseudoscopic-dkms: usr/src/pseudoscopic-$ver is make install's DKMS source tree" || diag "$work/dkms.diff"
diff -r tools/lib/include/pseudoscopic "$work/root/libpseudoscopic-dev/usr/include/pseudoscopic" > "$work/inc.diff"
check "libpseudoscopic-dev: the library's headers in usr/include/pseudoscopic" || diag "$work/inc.diff"

# has_dep PKG FIELD ERE: FIELD of PKG's control lists a relation matching ERE.
has_dep() { dpkg-deb -f "$(deb_of "$1")" "$2" | sed 's/, */\n/g' | grep -xE "$3" > /dev/null; }
v=${ver//./\\.} # the version as an ERE
dpkg-deb --ctrl-tarfile "$(deb_of libpseudoscopic0)" | tar -xOf - ./shlibs > "$work/shlibs" 2>&1
grep -qx "libpseudoscopic 0 libpseudoscopic0 (>= $ver)" "$work/shlibs" &&
	has_dep pseudoscopic-tools Depends "libpseudoscopic0 \(>= $v\)" &&
	has_dep pseudoscopic-tools Depends "libsmartcols1( \(.*\))?"
check "pseudoscopic-tools depends on libpseudoscopic0 (>= $ver) through its shlibs, and on libsmartcols1" ||
	{ diag "$work/shlibs"; dpkg-deb -f "$(deb_of pseudoscopic-tools)" Depends | diag; }
has_dep pseudoscopic-dkms Depends "dkms( \(.*\))?" && has_dep pseudoscopic-dkms Depends nasm
check "pseudoscopic-dkms depends on dkms and nasm" || dpkg-deb -f "$(deb_of pseudoscopic-dkms)" Depends | diag
has_dep libpseudoscopic-dev Depends "libpseudoscopic0 \(= $v\)" && has_dep libpseudoscopic-dev Depends nlohmann-json3-dev
check "libpseudoscopic-dev depends on the same libpseudoscopic0 and on nlohmann-json3-dev"
dpkg-deb -e "$(deb_of pseudoscopic-dkms)" "$work/dkms-ctl"
grep -qx "DKMS_NAME=pseudoscopic" "$work/dkms-ctl/postinst" && grep -qx "DKMS_VERSION=$ver" "$work/dkms-ctl/postinst" &&
	grep -q "dkms remove -m \$DKMS_NAME -v \$DKMS_VERSION --all" "$work/dkms-ctl/prerm" &&
	grep -q "systemd-sysusers .* pseudoscopic.conf$" "$work/dkms-ctl/postinst"
check "pseudoscopic-dkms registers pseudoscopic/$ver with DKMS (dh_dkms) and creates the group (systemd-sysusers)"

all=$work/all lib=$work/all/usr/lib/$multiarch
for p in $pkgs; do dpkg-deb -x "$(deb_of "$p")" "$all"; done
bad=0
for b in "$all"/usr/bin/ps-* "$lib/libpseudoscopic.so.$ver"; do
	# (grep reads to the end: with pipefail, grep -q's early exit would
	# fail readelf with SIGPIPE.)
	readelf -d "$b" | grep 'FLAGS.*BIND_NOW' > /dev/null && readelf -lW "$b" | grep GNU_RELRO > /dev/null &&
		readelf -hW "$b" | grep 'Type: *DYN' > /dev/null &&
		readelf --dyn-syms -W "$b" | grep __stack_chk_fail > /dev/null ||
		{ echo "# ${b#"$all"/}: not PIE with full RELRO and a stack protector"; bad=1; }
done
readelf --dyn-syms -W "$all/usr/bin/ps-status" | grep '__[a-z]*_chk@' > /dev/null ||
	{ echo "# ps-status calls no fortified function"; bad=1; }
[ $bad = 0 ]; check "the tools and the library are hardened (PIE, BIND_NOW, RELRO, stack protector, _FORTIFY_SOURCE)"
bad=0
for t in ps-status ps-migrate ps-stress ps-bench; do
	LD_LIBRARY_PATH=$lib "$all/usr/bin/$t" --version > "$work/v" 2>&1
	head -n1 "$work/v" | grep -qx "$t (pseudoscopic) $ver, uapi [0-9]*" || { diag "$work/v"; bad=1; }
done; [ $bad = 0 ]
check "the packaged tools run on the packaged library: --version $ver"
LD_LIBRARY_PATH=$lib ldd "$all/usr/bin/ps-status" > "$work/ldd" 2>&1
grep -q "libpseudoscopic\.so\.0 => $lib/libpseudoscopic\.so\.0 " "$work/ldd"
check "and load libpseudoscopic.so.0 from the package" || diag "$work/ldd"

# A package lintian must refuse: the -dev package without its copyright.
dpkg-deb -R "$(deb_of libpseudoscopic-dev)" "$work/bad"
rm "$work/bad/usr/share/doc/libpseudoscopic-dev/copyright"
sed -i '/ usr\/share\/doc\/libpseudoscopic-dev\/copyright$/d' "$work/bad/DEBIAN/md5sums"
dpkg-deb --root-owner-group -b "$work/bad" "$work/bad.deb" > /dev/null
! lint "$work/lintian-bad" "$work/bad.deb" && grep -q '^E: libpseudoscopic-dev: no-copyright-file' "$work/lintian-bad"
check "(planted) a package without its copyright file fails lintian" || diag "$work/lintian-bad"

tap_done

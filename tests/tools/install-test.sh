#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make install as a packager runs it: DESTDIR=<scratch> PREFIX=/usr lays
# out exactly the expected files and nothing else, none of them names the
# build tree, the staged tools run on the staged library, the library
# links from its pkg-config file and its CMake package, the man pages
# carry the version, and make uninstall takes every file away again.
#
# usage: install-test.sh      Prints TAP; exits non-zero if a check failed.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
work=$(mktemp -d "${TMPDIR:-/tmp}/ps-install.XXXXXX")
trap 'rm -rf "$work"' EXIT
stage=$work/stage
TAP_PREFIX="make install: "
. "$top/tests/lib/tap.sh"
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
multiarch=$(gcc -print-multiarch)
lib=usr/lib/$multiarch

make -s install DESTDIR="$stage" PREFIX=/usr > "$work/install.log" 2>&1
check "DESTDIR=... PREFIX=/usr succeeds" || diag "$work/install.log"
(cd "$stage" && find . -type f -o -type l | sed 's|^\./||' | grep -v "^usr/src/\|^usr/include/pseudoscopic/" | sort) > "$work/files"
sort > "$work/expected" <<LIST
usr/bin/ps-bench
usr/bin/ps-migrate
usr/bin/ps-status
usr/bin/ps-stress
usr/include/linux/pseudoscopic.h
usr/lib/sysusers.d/pseudoscopic.conf
usr/lib/udev/rules.d/60-pseudoscopic.rules
$lib/cmake/pseudoscopic/pseudoscopic-config-version.cmake
$lib/cmake/pseudoscopic/pseudoscopic-config.cmake
$lib/cmake/pseudoscopic/pseudoscopic-targets-release.cmake
$lib/cmake/pseudoscopic/pseudoscopic-targets.cmake
$lib/libpseudoscopic.so
$lib/libpseudoscopic.so.0
$lib/libpseudoscopic.so.$ver
$lib/pkgconfig/pseudoscopic.pc
usr/share/bash-completion/completions/ps-bench
usr/share/bash-completion/completions/ps-migrate
usr/share/bash-completion/completions/ps-status
usr/share/bash-completion/completions/ps-stress
usr/share/doc/pseudoscopic/examples/modprobe.d/pseudoscopic.conf
usr/share/man/man1/ps-bench.1
usr/share/man/man1/ps-migrate.1
usr/share/man/man1/ps-status.1
usr/share/man/man1/ps-stress.1
usr/share/man/man4/pseudoscopic.4
LIST
diff "$work/expected" "$work/files" > "$work/diff"; check "exactly the expected files" || diag "$work/diff"
# Planted: the same comparison on the list with a man page dropped.
grep -v '/man1/ps-status\.1$' "$work/files" > "$work/files-planted"
! diff -q "$work/expected" "$work/files-planted" > /dev/null
check "planted: the comparison catches an install missing ps-status.1"
[ "$(ls "$stage/usr/include/pseudoscopic" | wc -l)" = "$(ls tools/lib/include/pseudoscopic | wc -l)" ]
check "the library's headers under usr/include/pseudoscopic"
bad=0
for f in dkms.conf Makefile Kbuild src/driver/main.c include/uapi/linux/pseudoscopic.h; do
	[ -f "$stage/usr/src/pseudoscopic-$ver/$f" ] || { echo "# missing usr/src/pseudoscopic-$ver/$f"; bad=1; }
done; [ $bad = 0 ]; check "the DKMS source tree in usr/src/pseudoscopic-$ver (no dkms run)"
[ ! -d "$stage/usr/src/pseudoscopic-$ver/build" ] && [ ! -d "$stage/usr/src/pseudoscopic-$ver/tools" ]
check "the DKMS tree holds no build output and no tools"

! grep -rlF "$top" "$stage" > "$work/refs"; check "no installed file names the build tree" || diag "$work/refs"
has_run_path() { readelf -d "$1" | grep -q 'RPATH\|RUNPATH'; }
bad=0
for b in "$stage"/usr/bin/ps-* "$stage/$lib/libpseudoscopic.so.$ver"; do
	if has_run_path "$b"; then echo "# $b has a run path"; bad=1; fi
done; [ $bad = 0 ]; check "no RPATH or RUNPATH in the tools and the library"
# Planted: a program linked with a build-tree run path, as a CMake build
# tree's binaries are.
echo 'int main(void) { return 0; }' > "$work/rp.c"
cc -o "$work/rp" "$work/rp.c" -Wl,-rpath,"$top/build/tools"
has_run_path "$work/rp"; check "planted: the run-path check catches a build-tree RUNPATH"
readelf -d "$stage/usr/bin/ps-status" | grep -q 'NEEDED.*\[libpseudoscopic\.so\.0\]' &&
	readelf -d "$stage/usr/bin/ps-status" | grep -q 'NEEDED.*\[libsmartcols\.so\.1\]' &&
	readelf -d "$stage/$lib/libpseudoscopic.so.$ver" | grep -q 'SONAME.*\[libpseudoscopic\.so\.0\]' &&
	! readelf -d "$stage/$lib/libpseudoscopic.so.$ver" | grep -q 'NEEDED.*smartcols'
check "the tools link libpseudoscopic.so.0 (its SONAME) and libsmartcols.so.1; the core library needs no table library"
LD_LIBRARY_PATH=$stage/$lib "$stage/usr/bin/ps-status" --version > "$work/v" 2>&1
head -n1 "$work/v" | grep -qx "ps-status (pseudoscopic) $ver, uapi [0-9]*"; check "the staged ps-status runs on the staged library: --version $ver" || diag "$work/v"
bad=0
for t in ps-migrate ps-stress ps-bench; do
	LD_LIBRARY_PATH=$stage/$lib "$stage/usr/bin/$t" --help > /dev/null || { echo "# $t --help failed"; bad=1; }
done; [ $bad = 0 ]; check "the other staged tools run (--help)"

bad=0
for m in "$stage"/usr/share/man/man*/*; do
	if grep -q '@PS_VERSION@' "$m"; then echo "# $m: version not filled in"; bad=1; fi
	if ! grep -q "^\.TH .* \"pseudoscopic $ver\"" "$m"; then echo "# $m: no version $ver in .TH"; bad=1; fi
	if LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$m" 2>&1 > /dev/null | grep .; then
		echo "# $m: groff warnings"; bad=1
	fi
done; [ $bad = 0 ]; check "man pages carry version $ver and render without warnings"

cat > "$work/use.cpp" <<'CPP'
#include <pseudoscopic/version.hpp>
#include <cstdio>
int main() { std::printf("%s\n", ps::package_version()); }
CPP
PKG_CONFIG_SYSROOT_DIR=$stage PKG_CONFIG_PATH=$stage/$lib/pkgconfig \
	sh -c 'g++ -std=c++20 "$1" -o "$2" $(pkg-config --cflags --libs pseudoscopic)' _ "$work/use.cpp" "$work/use-pc" 2> "$work/pc.err" &&
	[ "$(LD_LIBRARY_PATH=$stage/$lib "$work/use-pc")" = "$ver" ]
check "a program builds and runs against the library through pkg-config" || diag "$work/pc.err"
mkdir -p "$work/cm"
cat > "$work/cm/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.25)
project(use LANGUAGES CXX)
set(CMAKE_CXX_STANDARD 20)
find_package(pseudoscopic REQUIRED)
add_executable(use ../use.cpp)
target_link_libraries(use PRIVATE pseudoscopic::pseudoscopic)
CM
cmake -S "$work/cm" -B "$work/cm/b" -DCMAKE_PREFIX_PATH="$stage/usr" > "$work/cm.log" 2>&1 &&
	cmake --build "$work/cm/b" >> "$work/cm.log" 2>&1 &&
	[ "$(LD_LIBRARY_PATH=$stage/$lib "$work/cm/b/use")" = "$ver" ]
check "and through find_package(pseudoscopic)" || diag "$work/cm.log"

PKG_CONFIG_SYSROOT_DIR=$stage PKG_CONFIG_PATH=$stage/$lib/pkgconfig \
	sh -c 'gcc -std=c11 -Wall -Wextra -Werror "$1" -o "$2" $(pkg-config --cflags --libs pseudoscopic)' _ \
	tools/examples/move_self.c "$work/move_self" 2> "$work/c.err" &&
	LD_LIBRARY_PATH=$stage/$lib "$work/move_self" /nonexistent > "$work/c.out" 2>&1; [ $? = 1 ] &&
	grep -qx "libpseudoscopic $ver, [0-9]* device(s) bound" "$work/c.out" &&
	grep -qx "move_self: open: No such file or directory" "$work/c.out"
check "a C program builds against the C interface, runs, and gets errno from a failed open" ||
	diag "$work/c.err" "$work/c.out"
[ ! -e "$stage/usr/include/pseudoscopic/table.hpp" ] && [ ! -e "$stage/usr/include/pseudoscopic/cli.hpp" ] &&
	[ -e "$stage/usr/include/pseudoscopic/pseudoscopic.h" ] && [ -e "$stage/usr/include/pseudoscopic/move.hpp" ]
check "the core's headers are installed, the tools' own are not"
bash -n "$stage/usr/share/bash-completion/completions/ps-status"; check "the bash completion parses"
(
	# The completion offers options and columns from the tool's --help.
	_init_completion() { cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]}; return 0; }
	_pids() { :; }; _filedir() { :; }; compopt() { :; }
	. "$stage/usr/share/bash-completion/completions/ps-status"
	export LD_LIBRARY_PATH=$stage/$lib PATH=$stage/usr/bin:$PATH
	COMP_WORDS=(ps-status --outp); COMP_CWORD=1
	_pseudoscopic_tool ps-status --outp ps-status
	[ "${COMPREPLY[*]}" = "--output --output-all" ] || { echo "# options: ${COMPREPLY[*]}"; exit 1; }
	COMP_WORDS=(ps-status -o DEVICE,PO); COMP_CWORD=2
	_pseudoscopic_tool ps-status DEVICE,PO -o
	[ "${COMPREPLY[*]}" = "DEVICE,POOL" ] || { echo "# columns: ${COMPREPLY[*]}"; exit 1; }
); check "it completes options and -o columns from --help"
grep -q 'KERNEL=="pseudoscopic\[0-9\]\*", GROUP="pseudoscopic", MODE="0660"' "$stage/usr/lib/udev/rules.d/60-pseudoscopic.rules" &&
	grep -qx 'g pseudoscopic - -' "$stage/usr/lib/sysusers.d/pseudoscopic.conf"
check "udev rule and sysusers.d file agree on the group"
! grep -v '^#' "$stage/usr/share/doc/pseudoscopic/examples/modprobe.d/pseudoscopic.conf" | grep -q .
check "the modprobe.d example is all comments"

make -s uninstall DESTDIR="$stage" > "$work/uninstall.log" 2>&1; check "make uninstall DESTDIR=... succeeds" || diag "$work/uninstall.log"
[ -z "$(find "$stage" -type f -o -type l)" ]; check "and leaves no file behind"

tap_done

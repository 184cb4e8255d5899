#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Obtain a Debian kernel source package, configure it for pseudoscopic's
# tests and build it.  The result is cached outside the clone, keyed by
# source version, variant and a hash of the configuration inputs, so a
# second run (or a second clone) reuses it.
#
# usage: build-kernel.sh [--variant test|debug] [--print-dir] 6.12|7.3
#
# Prints the cache directory of the finished kernel on stdout (last line).
# The directory holds:
#   bzImage       the kernel to boot
#   build/        the configured and built tree (KDIR for external modules)
#   modules/      modules_install output (test_hmm.ko, zram.ko, ...)
#   version       the source package version
#   release       the kernel release string (uname -r inside the VM)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"

variant=test
print_only=0
while [ $# -gt 0 ]; do
	case "$1" in
	--variant) variant=$2; shift 2 ;;
	--print-dir) print_only=1; shift ;;
	-h|--help) sed -n '4,20p' "$0"; exit 0 ;;
	-*) die "unknown option $1" ;;
	*) break ;;
	esac
done
[ $# -eq 1 ] || die "usage: build-kernel.sh [--variant test|debug] 6.12|7.3"
series=$1
case "$series" in 6.12|7.3) ;; *) die "unsupported kernel series '$series' (6.12 or 7.3)" ;; esac
case "$variant" in test|debug) ;; *) die "unknown variant '$variant' (test or debug)" ;; esac

fragments=("$here/config/test.config")
[ "$variant" = debug ] && fragments+=("$here/config/debug.config")

dl="$PS_CACHE/downloads"
mkdir -p "$dl"

# Private apt configuration for suites the machine does not list, so the
# machine's own apt sources and lists stay untouched.
private_apt() {
	local suite=$1; shift
	local root="$PS_CACHE/apt-$suite"
	mkdir -p "$root/lists/partial" "$root/cache/archives/partial"
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $(debian_mirror) $suite main" \
		> "$root/sources.list"
	apt-get -q -oDir::Etc::SourceList="$root/sources.list" \
		-oDir::Etc::SourceParts=/nonexistent \
		-oDir::State::Lists="$root/lists" \
		-oDir::Cache="$root/cache" "$@"
}

# Locate (download if needed) the source tarball; sets $tarball, $pkgver.
fetch_source() {
	case "$series" in
	6.12)
		if [ ! -f /usr/src/linux-source-6.12.tar.xz ]; then
			need_root "install linux-source-6.12"
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q linux-source-6.12 >&2
		fi
		tarball=/usr/src/linux-source-6.12.tar.xz
		pkgver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
		;;
	7.3)
		local deb
		deb=$(ls "$dl"/linux-source-7.3_*_all.deb 2>/dev/null | sort -V | tail -n1 || true)
		if [ -z "$deb" ]; then
			private_apt trixie-backports update >&2
			(cd "$dl" && private_apt trixie-backports download linux-source-7.3 >&2)
			deb=$(ls "$dl"/linux-source-7.3_*_all.deb | sort -V | tail -n1)
		fi
		pkgver=$(dpkg-deb -f "$deb" Version)
		tarball="$dl/linux-source-7.3-$pkgver.tar.xz"
		if [ ! -f "$tarball" ]; then
			local x="$dl/x.$$"
			rm -rf "$x"; mkdir -p "$x"
			dpkg-deb -x "$deb" "$x"
			mv "$x"/usr/src/linux-source-7.3.tar.xz "$tarball"
			rm -rf "$x"
		fi
		;;
	esac
}

fetch_source
# Bump when the way kernels are built changes in a way that alters the result.
recipe=1
key=$( (echo "recipe $recipe"; cat "${fragments[@]}") | sha256sum | cut -c1-12)
out="$PS_CACHE/kernels/$series-$pkgver-$variant-$key"

# Two runs (make demo and make test, say) must not build one kernel at once.
mkdir -p "$PS_CACHE/kernels"
exec 9>"$out.lock"
flock 9

if [ -f "$out/.complete" ]; then
	echo "$out"
	exit 0
fi
[ "$print_only" = 1 ] && { echo "$out"; exit 1; }

log "building kernel $series ($pkgver, $variant) into $out"
rm -rf "$out"
mkdir -p "$out"
tar -C "$out" -xf "$tarball"
mv "$out"/linux-source-* "$out/build"
cd "$out/build"
make -s tinyconfig >&2
./scripts/kconfig/merge_config.sh -m .config "${fragments[@]}" >&2
make -s olddefconfig >&2
for f in "${fragments[@]}"; do
	# Every requested option must survive olddefconfig, or the tests
	# would silently run on a different kernel than the one described.
	while IFS= read -r line; do
		case "$line" in CONFIG_*=*) ;; *) continue ;; esac
		opt=${line%%=*}; val=${line#*=}
		if [ "$val" = n ]; then
			! grep -q "^$opt=" .config || die "$opt stayed enabled"
		else
			grep -qx "$line" .config || die "config option $line did not survive olddefconfig"
		fi
	done < "$f"
done
make -s -j"$(($(nproc) + 1))" bzImage modules >&2
make -s modules_install INSTALL_MOD_PATH="$out/modules" INSTALL_MOD_STRIP=1 >&2
cp arch/x86/boot/bzImage "$out/bzImage"
make -s kernelrelease > "$out/release"
echo "$pkgver" > "$out/version"
touch "$out/.complete"
log "kernel $series ready: $(cat "$out/release")"
# Older builds of the same series and variant (other source version or
# configuration) are no longer used: drop them to keep the disk in check.
for old in "$PS_CACHE/kernels/$series"-*-"$variant"-*; do
	case "$old" in "$out"|"$out.lock") continue ;; esac
	[ -d "$old" ] && rm -rf "$old"
	case "$old" in *.lock) rm -f "$old" ;; esac
done
echo "$out"

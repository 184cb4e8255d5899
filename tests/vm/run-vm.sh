#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot a test kernel under QEMU (TCG) with emulated VRAM and run one guest
# scenario.  Prints the scenario's TAP on stdout, followed by the host-side
# checks (tests/lib/verdict.py): every declared result arrived, the
# scenario's .host.sh ran, the guest finished and saw every CPU, the kernel
# logged no warning, BUG, lockdep, KASAN or UBSAN report, and (debug
# kernels) kmemleak found no leak in a module of this tree.
#
# usage: run-vm.sh --kernel DIR --kmod DIR --progs DIR [options] SCENARIO
#   --kernel DIR   a cache directory from tests/kernel/build-kernel.sh
#   --kmod DIR     where pseudoscopic.ko (and pseudoscopic_kunit.ko) were built
#   --progs DIR    static guest programs and tools to put in /ps/bin
#                  (may be given more than once)
#   --vram "S..."  emulated VRAM sizes, one device each (default: the
#                  scenario's "# vram:" line, else 256M)
#   --logs DIR     where console and TAP logs go (default build/vm-logs)
#   --timeout S    outer timeout (default: "# timeout:" line, else 300)
#   --live         copy the guest's output channel to stderr as it arrives
#   --keep-vram    leave the backing files in /dev/shm
#   --append ARGS  extra kernel command line
#   --smp N        guest CPUs (default 2); a kernel that sees fewer fails
#
# Exits 0 when every result is ok, 1 otherwise.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"

kernel= kmod= progs= vram= logs= timeout_s= live=0 keep=0 append= smp= mem=1G
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) kernel=$2; shift 2 ;;
	--kmod) kmod=$2; shift 2 ;;
	--progs) progs="$progs $2"; shift 2 ;;
	--vram) vram=$2; shift 2 ;;
	--logs) logs=$2; shift 2 ;;
	--timeout) timeout_s=$2; shift 2 ;;
	--live) live=1; shift ;;
	--keep-vram) keep=1; shift ;;
	--append) append=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	-h|--help) sed -n '4,27p' "$0"; exit 0 ;;
	-*) die "unknown option $1" ;;
	*) break ;;
	esac
done
[ $# = 1 ] || die "usage: run-vm.sh --kernel DIR --kmod DIR --progs DIR SCENARIO"
scenario=$1
[ -f "$kernel/bzImage" ] || die "no kernel at '$kernel'"
[ -f "$kmod/pseudoscopic.ko" ] || die "no pseudoscopic.ko in '$kmod'"
[ -f "$scenario" ] || die "no scenario '$scenario'"

name=$(basename "$scenario" .sh)
header() { sed -n "s/^# $1: *//p" "$scenario" | head -n1; }
[ -n "$vram" ] || vram=$(header vram)
[ -n "$vram" ] || vram=256M
[ -n "$timeout_s" ] || timeout_s=$(header timeout)
# "# cpu: MODEL" boots another CPU model (qemu64: x86-64's baseline, SSE2
# and no SSE4.1) instead of -cpu max.
cpu=$(header cpu)
cpu=${cpu:-max}
# "# smp: N" boots N vCPUs (more threads in the kernel at once than the
# machine has cores: the host preempts vCPUs anywhere, races widen).
[ -n "$smp" ] || smp=$(header smp)
smp=${smp:-2}
[ -n "$timeout_s" ] || timeout_s=300
release=$(cat "$kernel/release")
logs=${logs:-$(cd "$here/../.." && pwd)/build/vm-logs/$release}
mkdir -p "$logs"
console="$logs/$name.console.log"
taplog="$logs/$name.tap"

work=$(mktemp -d "${TMPDIR:-/tmp}/ps-vm.XXXXXX")
vram_files=()
cleanup() {
	rm -rf "$work"
	[ "$keep" = 1 ] || rm -f "${vram_files[@]}"
}
trap cleanup EXIT

# --- initramfs -----------------------------------------------------------
# Two cpio archives, one after the other (the kernel unpacks both): a base
# shared by every job with the same programs, built once and kept in
# build/vm-initramfs/ under a key over its inputs, and this job's own part
# (scenario, modules).  Building the base (ldd, strip, applet links) took
# seconds per job, every job the same.
# build_base DIR: lay out the base's tree in DIR.
build_base() {
	local root=$1 f lib applet
	mkdir -p "$root"/{bin,dev,proc,sys,tmp,ps/bin,ps/lib,lib/modules}
	cp /bin/busybox "$root/bin/busybox"
	file -L "$root/bin/busybox" | grep -q 'statically linked' ||
		die "/bin/busybox is not static: install busybox-static"
	# Its applets as links made here, not by "busybox --install" in the
	# guest, which creates them one by one under the guest's kernel.
	for applet in $("$root/bin/busybox" --list); do
		[ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
	done
	cp "$here/guest/init" "$root/init"
	chmod +x "$root/init"
	cp "$here/guest/lib.sh" "$root/ps/lib.sh"
	for d in $progs; do cp -a "$d"/. "$root/ps/bin/"; done
	# The programs and tools are dynamically linked: the loader goes in at
	# its own path, the shared objects in /ps/lib, which the guest's init
	# puts on LD_LIBRARY_PATH (searched before the tools' build-tree
	# RUNPATH, which may lie under /tmp, a tmpfs in the guest).  Busybox
	# is static.
	for f in "$root"/ps/bin/*; do
		{ ldd "$f" 2>/dev/null || true; } | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (0x.*/\1/p'
	done | sort -u | while read -r lib; do
		case "$lib" in
		*/ld-linux*) mkdir -p "$root$(dirname "$lib")"; cp -L "$lib" "$root$lib" ;;
		*) cp -L "$lib" "$root/ps/lib/" ;;
		esac
	done
	# The copies lose their symbol tables and debug sections (the build
	# tree keeps both).
	find "$root/ps/bin" "$root/ps/lib" -type f -exec sh -c \
		'for f; do head -c4 "$f" | grep -q ELF && strip --strip-unneeded "$f"; done' _ {} +
}
# cpio_of DIR: the newc archive of DIR on stdout, uncompressed: a KASAN
# kernel under TCG inflates gzip at a few MiB/s, while QEMU loads a plain
# archive into guest memory at host speed.
cpio_of() { (cd "$1" && find . | cpio -o -H newc --quiet); }
base_inputs() {
	sha256sum /bin/busybox "$here/guest/init" "$here/guest/lib.sh" "$0"
	for d in $progs; do find -L "$d" -type f -exec sha256sum {} + | sort -k2; done
}
initramfs_cache=$(cd "$here/../.." && pwd)/build/vm-initramfs
mkdir -p "$initramfs_cache"
base="$initramfs_cache/base-$(base_inputs | sha256sum | cut -c1-16).cpio"
(
	flock 9
	if [ ! -f "$base" ]; then
		build_base "$work/base"
		cpio_of "$work/base" > "$base.tmp" && mv "$base.tmp" "$base"
		rm -rf "$work/base"
	fi
) 9> "$initramfs_cache/.lock"
[ -f "$base" ] || die "could not build the initramfs base"
root="$work/root"
mkdir -p "$root/ps" "$root/lib/modules"
cp "$scenario" "$root/ps/scenario.sh"
cp "$kmod"/*.ko "$root/ps/"
cp -a "$kernel/modules/lib/modules/$release" "$root/lib/modules/" 2>/dev/null || true
{ cat "$base"; cpio_of "$root"; } > "$work/initrd.cpio"

# --- emulated VRAM -------------------------------------------------------
qargs=()
i=0
for size in $vram; do
	f="/dev/shm/pseudoscopic-test-$$-vram$i"
	rm -f "$f"	# a leftover file of another size makes QEMU refuse to start
	vram_files+=("$f")
	qargs+=(-object "memory-backend-file,id=vram$i,size=$size,mem-path=$f,share=on"
		-device "ivshmem-plain,memdev=vram$i")
	i=$((i + 1))
done

# --- boot ------------------------------------------------------------------
# TCG guests without ACPI cannot calibrate the TSC (no HPET or PM timer)
# and fall back to a jiffies clock with 4 ms resolution.  Under TCG the
# guest reads the host's TSC, so tell it the host's frequency.
khz=$(awk -F: '/^cpu MHz/ {printf "%d", $2 * 1000; exit}' /proc/cpuinfo)
[ -n "$khz" ] && append="tsc_early_khz=$khz tsc=reliable $append"
# KASAN kernels boot with 4-level paging.  With LA57 (-cpu max has it),
# 7.x's identify_cpu() clears boot_cpu_data's capabilities, X86_FEATURE_LA57
# among them, before reading them again; pgtable_l5_enabled() is that bit,
# so an interrupt in the window sees a 47-bit address space, and KASAN's
# addr_has_metadata() calls the 5-level direct map (0xff11...) a wild
# access.  A kernel bug before /init, in about one boot in twenty; see
# Documentation/testing.md.
grep -qx 'CONFIG_KASAN=y' "$kernel/build/.config" 2>/dev/null && append="no5lvl $append"
# Boot time under TCG, measured with initcall_debug on the debug kernel
# (KASAN, lockdep): registering the 256 legacy BSD pty pairs took seconds
# (pty.legacy_count=0: nothing here opens /dev/ptyXX), as did probing two
# absent UARTs (8250.nr_uarts=2 keeps ttyS0, the console, and ttyS1, the
# TAP channel).  The firmware's ACPI PCI hotplug methods for every slot
# (see qemu_platform below) made the ACPI namespace scan cost most of
# acpi_init's seconds.
append="pty.legacy_count=0 8250.nr_uarts=2 $append"
: > "$taplog"
tail_pid=
if [ "$live" = 1 ]; then
	tail -n +1 -f "$taplog" >&2 &
	tail_pid=$!
fi
# No ACPI PCI hotplug in the firmware's tables: the scenarios unplug
# through sysfs "remove" and bring devices back with "rescan", as pciehp's
# attention button would; a scenario that unplugs from QEMU's side would
# need these back.
qemu_platform=(-global PIIX4_PM.acpi-pci-hotplug-with-bridge-support=off
	-global PIIX4_PM.acpi-root-pci-hotplug=off)
boot() {
	: > "$taplog"
	timeout --foreground -k 5 "$timeout_s" qemu-system-x86_64 \
		-accel tcg -cpu "$cpu" -smp "$smp" -m "$mem" -nodefaults -no-reboot \
		-display none -monitor none \
		-kernel "$kernel/bzImage" -initrd "$work/initrd.cpio" \
		-append "console=ttyS0 panic=-1 loglevel=7 $append" \
		-serial "file:$console" -serial "file:$taplog" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 "${qemu_platform[@]}" \
		"${qargs[@]}" </dev/null >"$logs/$name.qemu.log" 2>&1
}
set +e
boot
qrc=$?
set -e
[ -n "$tail_pid" ] && { sleep 0.5; kill "$tail_pid" 2>/dev/null || true; }

# --- verdict ---------------------------------------------------------------
# tests/lib/verdict.py compares what the scenario declared with what
# arrived and names every missing, crashed or timed-out result; it prints
# the console tail when the guest did not finish.  No "set -e" here: a
# failure must be reported, never end the script early.
set +e
host_tap="$work/host.tap"
host_rc=0
if [ -x "${scenario%.sh}.host.sh" ]; then
	PS_GUEST_TAP=$taplog "${scenario%.sh}.host.sh" "${vram_files[@]}" > "$host_tap" 2>"$logs/$name.host.err"
	host_rc=$?
fi
python3 "$here/../lib/verdict.py" --name "$name" --scenario "$scenario" \
	--guest-tap "$taplog" --console "$console" --qemu-status "$qrc" \
	--timeout "$timeout_s" --smp "$smp" --kernel "$kernel" \
	--host-tap "$host_tap" --host-status "$host_rc"
vrc=$?
# Anything but 0 or 1 is the verdict script itself failing: say so, count it.
if [ "$vrc" -gt 1 ]; then
	echo "not ok - $name: the harness's verdict script failed (status $vrc)"
	vrc=1
fi
exit "$vrc"

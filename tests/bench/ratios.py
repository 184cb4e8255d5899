#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn "bench: NAME VALUE UNIT" and "copybench: ..." lines into tables
with ratios."""
import re
import sys

vals = {}
lines = sys.stdin.read().splitlines()
for line in lines:
    m = re.match(r"^# bench: (\S+) ([0-9.]+) (\S+)", line)
    if m:
        vals[m.group(1)] = (float(m.group(2)), m.group(3))

title = sys.argv[1] if len(sys.argv) > 1 else ""
print(f"pseudoscopic benchmark, kernel {title} (QEMU TCG emulation: ratios only)")


def row(label, ours, ref, better="higher"):
    if ours not in vals or ref not in vals:
        return
    a, unit = vals[ours]
    b, _ = vals[ref]
    ratio = a / b if b else float("nan")
    print(f"  {label:<44} {a:>10.1f} {unit:<5} vs {b:>10.1f}  ratio {ratio:5.2f} ({better} is better)")


print(f"  memcpy in this guest: {vals.get('memcpy', (0, ''))[0]:.1f} MB/s")
row("to device: pseudoscopic vs dmirror", "pseudoscopic_to_vram", "dmirror_to_dev")
row("to RAM (request): pseudoscopic vs dmirror", "pseudoscopic_to_ram", "dmirror_to_sys")
row("sequential faults: pseudoscopic vs dmirror", "pseudoscopic_fault_seq", "dmirror_fault_seq")
row("sequential faults: pseudoscopic vs zram", "pseudoscopic_fault_seq", "zram_fault_seq")
row("page out: pseudoscopic to VRAM vs zram", "pseudoscopic_to_vram", "zram_pageout")
row("to device: pseudoscopic vs memcpy", "pseudoscopic_to_vram", "memcpy")
row("random fault p50: pseudoscopic vs dmirror", "pseudoscopic_fault_p50", "dmirror_fault_p50", "lower")
row("random fault p50: pseudoscopic vs zram", "pseudoscopic_fault_p50", "zram_fault_p50", "lower")
row("random fault p99: pseudoscopic vs zram", "pseudoscopic_fault_p99", "zram_fault_p99", "lower")

# The copy microbenchmark (src/copy_bench.c): "copybench: DEV BYTES TEST
# GB/s ROUNDS" for the first device; ratios against the kernel's routine
# on the same write-combined mapping and against RAM-to-RAM memcpy.
copy = {}
for line in lines:
    m = re.match(r"^# copybench: (\S+) (\d+) ([a-z_]+) ([0-9.]+) (\d+)$", line)
    if m:
        copy.setdefault(m.group(1), {})[(int(m.group(2)), m.group(3))] = float(m.group(4))
for line in lines:
    m = re.match(r"^# copybench: # (cache line .*)", line)
    if m and copy:
        print(f"\n  copy routines on the emulated BAR, GB/s ({m.group(1).strip()})")
        break
if copy:
    dev = sorted(copy)[0]
    c = copy[dev]
    pairs = [
        ("ps_copy_to_wc", "memcpy_toio", "ram_memcpy"),
        ("ps_copy_to_wc_cold", "memcpy_toio", "ram_memcpy_cold"),
        ("ps_copy_from_wc", "memcpy_fromio", "ram_memcpy"),
        ("ps_copy_from_wc_cold", "memcpy_fromio", "ram_memcpy_cold"),
        ("memcpy_toio", None, "ram_memcpy"),
        ("memcpy_fromio", None, "ram_memcpy"),
        ("clflushopt", "clflush", None),
        ("clwb", "clflush", None),
    ]
    print(f"  {'size':>7}  {'routine':<22} {'GB/s':>7}  {'vs reference':<30} {'vs RAM memcpy':<28}")
    for size in sorted({s for s, _ in c}):
        label = f"{size // 1024} KiB" if size < 1 << 20 else f"{size >> 20} MiB"
        for ours, ref, ram in pairs:
            if (size, ours) not in c:
                continue
            a = c[(size, ours)]

            def vs(name):
                b = c.get((size, name)) if name else None
                return f"{a / b:5.2f} ({name} {b:.3f})" if b else ""
            print(f"  {label:>7}  {ours:<22} {a:7.3f}  {vs(ref):<30} {vs(ram):<28}")

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The report of `make bench` from the guest's TAP: the ratios ps-bench
printed (its "ratios, ..." section: memcpy's rate, then one line per
ratio) and a table with ratios from the "copybench: ..." lines."""
import re
import sys

lines = sys.stdin.read().splitlines()
title = sys.argv[1] if len(sys.argv) > 1 else ""
print(f"pseudoscopic benchmark, kernel {title} (QEMU TCG emulation: ratios only)")

# ps-bench (tools/lib/src/bench.cpp) computes the ratios; its section is
# a "ratios, ..." line followed by indented lines.
in_ratios = False
for line in lines:
    if re.match(r"^# ratios, ", line):
        in_ratios = True
    elif in_ratios and line.startswith("#   "):
        print(line[2:])
    else:
        in_ratios = False

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

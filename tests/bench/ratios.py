#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn "bench: NAME VALUE UNIT" lines into a table with ratios."""
import re
import sys

vals = {}
for line in sys.stdin:
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

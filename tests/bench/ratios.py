#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The report of `make bench` from the guest's TAP: the ratios ps-bench
printed (its "ratios, ..." section: memcpy's rate, then one line per
ratio, median and range over the repetitions), every measurement's median
and spread (its "bench:" and "bench-spread:" lines), the same for the
device_thp=0 run where there is one, and a table with ratios from the
"copybench: ..." lines."""
import re
import sys

lines = sys.stdin.read().splitlines()
title = sys.argv[1] if len(sys.argv) > 1 else ""
print(f"pseudoscopic benchmark, kernel {title} (QEMU TCG emulation: ratios only)")

# ps-bench (tools/cli/src/bench.cpp) computes the ratios; its section is
# a "ratios, ..." line followed by indented lines, each ratio the median
# of the per-repetition ratios with their range in brackets.  Lines of
# the device_thp=0 run carry a "nothp: " prefix.


def ratio_section(prefix):
    out, inside = [], False
    for line in lines:
        if line.startswith(f"# {prefix}ratios, "):
            inside = True
        elif inside and line.startswith(f"# {prefix}  "):
            out.append(line[len(prefix) + 2:])
        else:
            inside = False
    return out


def measurements(prefix):
    """name -> (median, min, q1, q3, max, unit, n) from "bench:" and
    "bench-spread:" lines."""
    med, out = {}, {}
    for line in lines:
        m = re.match(rf"^# {prefix}bench: (\S+) ([0-9.]+) (\S+)$", line)
        if m:
            med[m.group(1)] = float(m.group(2))
        m = re.match(rf"^# {prefix}bench-spread: (\S+) ([0-9.]+) ([0-9.]+) ([0-9.]+) ([0-9.]+) (\S+) (\d+)$",
                     line)
        if m and m.group(1) in med:
            lo, q1, q3, hi = (float(m.group(i)) for i in range(2, 6))
            out[m.group(1)] = (med[m.group(1)], lo, q1, q3, hi, m.group(6), int(m.group(7)))
    return out


def report(prefix, heading):
    ratios = ratio_section(prefix)
    meas = measurements(prefix)
    if not ratios and not meas:
        return
    if heading:
        print(f"\n{heading}")
    for line in ratios:
        print(line)
    if meas:
        n = max(v[6] for v in meas.values())
        print(f"\n  measurements, median [min-max] (IQR) over {n} repetitions:")
        for name, (med, lo, q1, q3, hi, unit, _) in meas.items():
            print(f"  {name:<30} {med:10.1f} {unit:<11} [{lo:.1f}-{hi:.1f}] ({q1:.1f}-{q3:.1f})")


report("", "")
report("nothp: ", "pseudoscopic again with device_thp=0 (single pages, fault-around), same VM:")

# The copy microbenchmark (src/iface/copy_bench.c): "copybench: DEV BYTES TEST
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

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Count TAP and KTAP results.

usage: tapsum.py [--label L] FILE...   print every result as flat TAP to
                                       stdout, then "N passed, N failed, N skipped"
       tapsum.py --total FILE...       only the summary of many result files

Flat TAP: "ok N - text", "not ok N - text", "... # SKIP reason" at column 0.
KTAP blocks, between "# ktap-begin NAME" and "# ktap-end" lines, are parsed
by indentation: only leaf results (test cases, not the suites that contain
them) count, so a suite of 7 cases counts 7.
"""
import re
import sys

RESULT = re.compile(r"^(\s*)(not ok|ok)\b(?:\s+\d+)?\s*(?:-\s*)?(.*)$")


def parse_ktap(lines, name):
    """Return (status, text) for each leaf test in a KTAP block."""
    out = []
    entries = []  # (indent, kind, match)
    for line in lines:
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" "))
        m = RESULT.match(line)
        entries.append((indent, m))
    for i, (indent, m) in enumerate(entries):
        if not m:
            continue
        leaf = True
        for j in range(i - 1, -1, -1):
            pind, pm = entries[j]
            if pm and pind <= indent:
                break
            if pind > indent:
                leaf = False
                break
        if leaf:
            out.append((m.group(2), f"kunit {name}: {m.group(3)}"))
    return out


def parse(path):
    results = []
    with open(path, errors="replace") as f:
        lines = f.read().splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("# ktap-begin"):
            name = line.split(maxsplit=2)[2] if len(line.split()) > 2 else "?"
            block = []
            i += 1
            while i < len(lines) and not lines[i].startswith("# ktap-end"):
                block.append(lines[i])
                i += 1
            if i == len(lines):
                results.append(("not ok", f"kunit {name}: KTAP block truncated"))
            results.extend(parse_ktap(block, name))
        else:
            m = RESULT.match(line)
            if m and not m.group(1):
                results.append((m.group(2), m.group(3)))
        i += 1
    return results


def classify(status, text):
    if re.search(r"#\s*SKIP", text, re.I):
        return "skipped"
    return "passed" if status == "ok" else "failed"


def main(argv):
    total_only = "--total" in argv
    files = [a for a in argv[1:] if not a.startswith("--")]
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    for path in files:
        for status, text in parse(path):
            kind = classify(status, text)
            counts[kind] += 1
            if not total_only:
                print(f"{status} - {text}")
    print(f"{counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped")
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

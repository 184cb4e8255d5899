#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Count flat TAP results.

usage: tapsum.py [--total] FILE...

Every result file holds flat TAP: "ok - text", "not ok - text" (a number
after ok is allowed), "... # SKIP reason", all at column 0.  KTAP never
reaches this script: the VM verdict (tests/lib/verdict.py) parses it with
the kernel's own kunit_parser and writes one flat line per test case.

Prints every result (unless --total), then every skip with its reason,
then one line "N passed, N failed, N skipped"; exits 1 if anything failed.
A line that looks like a result but is not flat TAP (indented, or KTAP)
counts as a failure, so nothing can be silently dropped.
"""
import re
import sys

RESULT = re.compile(r"^(not ok|ok)\b(?:\s+\d+)?\s*(?:-\s*)?(.*)$")
LOOKS_LIKE_RESULT = re.compile(r"^\s*(not ok|ok)\b")
SKIP = re.compile(r"#\s*SKIP\b", re.I)


def parse(path):
    """(status, text) for every result line of one file."""
    out = []
    with open(path, errors="replace") as f:
        for line in f.read().splitlines():
            m = RESULT.match(line)
            if m:
                out.append((m.group(1), m.group(2)))
            elif LOOKS_LIKE_RESULT.match(line):
                out.append(("not ok", f"unparsable result line in {path}: {line.strip()!r}"))
    return out


def classify(status, text):
    if status == "ok" and SKIP.search(text):
        return "skipped"
    return "passed" if status == "ok" else "failed"


def main(argv):
    total_only = "--total" in argv
    files = [a for a in argv[1:] if not a.startswith("--")]
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    skips = []
    for path in files:
        for status, text in parse(path):
            kind = classify(status, text)
            counts[kind] += 1
            if kind == "skipped":
                skips.append(text)
            if not total_only:
                print(f"{status} - {text}")
    if skips:
        print(f"# {len(skips)} skipped:")
        for text in skips:
            print(f"#   {text}")
    print(f"{counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped")
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

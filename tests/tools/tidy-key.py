#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Print the cache key of one clang-tidy verdict (tests/tools/clang-tidy.sh).

usage: tidy-key.py TOP FILE COMMON

The key hashes COMMON (clang-tidy version and configuration), FILE's compile
command with the checkout's path taken out (so another clone of the same tree
hits the same key), and the contents of every file of the checkout the
compiler read for it: FILE and the headers listed in its dependency file,
which the build writes next to the object.  Headers outside the checkout
count by path only.  Without a dependency file (the tools were not built)
every project header counts.
"""
import hashlib
import json
import os
import re
import sys


def file_hash(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    top, src, common = sys.argv[1:4]
    top = os.path.realpath(top)
    src = os.path.realpath(src)
    with open(os.path.join(top, "build/tools/compile_commands.json")) as f:
        entries = json.load(f)
    entry = next((e for e in entries if os.path.realpath(
        os.path.join(e["directory"], e["file"])) == src), None)
    if entry is None:
        sys.exit(f"tidy-key: {src} is not in compile_commands.json")
    cmd = entry.get("command") or " ".join(entry["arguments"])
    h = hashlib.sha256()
    h.update(common.encode())
    h.update(cmd.replace(top, ".").encode())

    deps = []
    obj = re.search(r"(?:^|\s)-o\s+(\S+)", cmd)
    depfile = os.path.join(entry["directory"], obj.group(1) + ".d") if obj else ""
    if depfile and os.path.exists(depfile):
        with open(depfile) as f:
            text = f.read().replace("\\\n", " ")
        deps = text.split(":", 1)[1].split() if ":" in text else []
    else:
        for d in ("tools", "include/uapi"):
            for root, _, names in os.walk(os.path.join(top, d)):
                deps += [os.path.join(root, n) for n in names
                         if n.endswith((".hpp", ".h"))]
    deps.append(src)
    lines = set()
    for d in deps:
        dep = os.path.realpath(os.path.join(entry["directory"], d))
        if dep.startswith(top + os.sep):
            lines.add(f"{os.path.relpath(dep, top)} {file_hash(dep)}\n")
        else:
            lines.add(f"{dep}\n")
    for line in sorted(lines):
        h.update(line.encode())
    print(h.hexdigest())


if __name__ == "__main__":
    main()

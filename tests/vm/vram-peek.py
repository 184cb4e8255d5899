#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Host side of the emulated VRAM: read the ivshmem backing file.

usage: vram-peek.py verify FILE OFFSET LENGTH SEED   (exit 0 if the pattern
                                                      vram-poke writes is there)
       vram-peek.py dump FILE OFFSET LENGTH          (hex dump)
       vram-peek.py zero FILE OFFSET LENGTH          (exit 0 if all zero)
       vram-peek.py find-tags FILE SEED PAGES        (exit 0 if every page
                                                      migrate-test tagged is
                                                      somewhere in FILE)
       vram-peek.py count-tags FILE SEED PAGES       (print how many pages
                                                      start with a tag of
                                                      those migrate-test
                                                      tagged; exit 0)
       vram-peek.py check-offsets FILE SEED PAGES    (exit 0 if every tagged
                                                      page is at the offset
                                                      given on stdin as
                                                      "# vram-offset PAGE OFF")

The pattern: 64-bit little-endian words w[i] = splitmix64(SEED + OFFSET/8 + i).
"""
import struct
import sys

M = (1 << 64) - 1


def splitmix64(x):
    x = (x + 0x9E3779B97F4A7C15) & M
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & M
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & M
    return x ^ (x >> 31)


def page_tag(seed, page, word):
    """The per-word tag migrate-test writes (tests/vm/progs/migrate-test.c)."""
    x = (seed * 0x9E3779B97F4A7C15 + page * 0x100000001B3 + word) & M
    x ^= x >> 31
    x = (x * 0xBF58476D1CE4E5B9) & M
    return x ^ (x >> 29)


def find_tags(path, seed, pages):
    want = {page_tag(seed, p, 0): p for p in range(pages)}
    found = set()
    with open(path, "rb") as f:
        off = 0
        while True:
            block = f.read(4096)
            if len(block) < 4096:
                break
            first = struct.unpack_from("<Q", block)[0]
            p = want.get(first)
            if p is not None:
                words = struct.unpack("<512Q", block)
                if all(w == page_tag(seed, p, i) for i, w in enumerate(words)):
                    found.add(p)
                else:
                    print(f"vram-peek: page {p} at 0x{off:x} is corrupt", file=sys.stderr)
            off += 4096
    missing = sorted(set(range(pages)) - found)
    if missing:
        print(f"vram-peek: {len(missing)} pages not found, first {missing[:5]}", file=sys.stderr)
    return 0 if not missing else 1


def count_tags(path, seed, pages):
    """Pages of FILE whose first word is the tag of one of PAGES pages."""
    want = {page_tag(seed, p, 0) for p in range(pages)}
    n = 0
    with open(path, "rb") as f:
        while True:
            block = f.read(4096)
            if len(block) < 8:
                break
            n += struct.unpack_from("<Q", block)[0] in want
    print(n)
    return 0


def check_offsets(path, seed, pages, lines):
    """Each tagged page must be at the offset the guest reported for it."""
    where = {}
    for line in lines:
        f = line.split()
        if len(f) == 4 and f[1] == "vram-offset":
            where[int(f[2])] = int(f[3], 0)
    bad = 0
    for p in range(pages):
        if p not in where:
            why = "no offset reported"
        else:
            words = struct.unpack("<512Q", read(path, where[p], 4096))
            if all(w == page_tag(seed, p, i) for i, w in enumerate(words)):
                continue
            why = f"not at 0x{where[p]:x}"
        bad += 1
        if bad <= 5:
            print(f"vram-peek: page {p}: {why}", file=sys.stderr)
    if bad:
        print(f"vram-peek: {bad} of {pages} pages misplaced", file=sys.stderr)
    return 0 if bad == 0 and len(where) == pages else 1


def read(path, off, length):
    with open(path, "rb") as f:
        f.seek(off)
        data = f.read(length)
    if len(data) != length:
        sys.exit(f"vram-peek: {path} is shorter than {off + length} bytes")
    return data


def main(argv):
    if len(argv) < 5 or argv[1] not in ("verify", "dump", "zero", "find-tags",
                                        "count-tags", "check-offsets"):
        sys.exit(__doc__)
    cmd, path = argv[1], argv[2]
    if cmd == "check-offsets":
        return check_offsets(path, int(argv[3], 0), int(argv[4], 0), sys.stdin)
    if cmd == "find-tags":
        return find_tags(path, int(argv[3], 0), int(argv[4], 0))
    if cmd == "count-tags":
        return count_tags(path, int(argv[3], 0), int(argv[4], 0))
    off, length = int(argv[3], 0), int(argv[4], 0)
    data = read(path, off, length)
    if cmd == "dump":
        for i in range(0, len(data), 16):
            print(f"{off + i:012x}  {data[i:i + 16].hex(' ')}")
        return 0
    if cmd == "zero":
        return 0 if not any(data) else 1
    seed = int(argv[5], 0)
    words = struct.unpack(f"<{length // 8}Q", data[: length - length % 8])
    bad = [i for i, w in enumerate(words) if w != splitmix64(seed + off // 8 + i)]
    for i in bad[:5]:
        print(f"vram-peek: mismatch at 0x{off + 8 * i:x}", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

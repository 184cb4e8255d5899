#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Host side of the emulated VRAM: read the ivshmem backing file.

usage: vram-peek.py verify FILE OFFSET LENGTH SEED   (exit 0 if the pattern
                                                      vram-poke writes is there)
       vram-peek.py dump FILE OFFSET LENGTH          (hex dump)
       vram-peek.py zero FILE OFFSET LENGTH          (exit 0 if all zero)

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


def read(path, off, length):
    with open(path, "rb") as f:
        f.seek(off)
        data = f.read(length)
    if len(data) != length:
        sys.exit(f"vram-peek: {path} is shorter than {off + length} bytes")
    return data


def main(argv):
    if len(argv) < 5 or argv[1] not in ("verify", "dump", "zero"):
        sys.exit(__doc__)
    cmd, path = argv[1], argv[2]
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

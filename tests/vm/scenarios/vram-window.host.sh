#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Host half of vram-window: $1 is the ivshmem backing file of the guest's
# first device.  Prints TAP lines.
peek="$(dirname "$0")/../vram-peek.py"
f=$1
n=0
t() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }
python3 "$peek" verify "$f" 0x0 65536 7; t $? "host: pattern at VRAM offset 0"
python3 "$peek" verify "$f" 0x3ff0000 65536 9; t $? "host: pattern at the last 64 KiB"
python3 "$peek" zero "$f" 0x100000 65536; t $? "host: untouched VRAM stays zero"

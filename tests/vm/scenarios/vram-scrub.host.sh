#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Host half of vram-scrub: after the unbind, the guest's VRAM backing file
# ($1) holds none of the 300 pages migrate-test tagged with seed 4343 and
# none of the block device's marker.
here=$(dirname "$0")
n=$(python3 "$here/../vram-peek.py" count-tags "$1" 4343 300)
if [ "$n" = 0 ]; then
	echo "ok 1 - host: none of the exited process's pages is left in VRAM"
else
	echo "not ok 1 - host: none of the exited process's pages is left in VRAM ($n found)"
fi
m=$(grep -c -a PS-SCRUB-MARK "$1")
if [ "$m" = 0 ]; then
	echo "ok 2 - host: nothing the block device held is left in VRAM"
else
	echo "not ok 2 - host: nothing the block device held is left in VRAM ($m lines found)"
fi

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Host half of vram-offsets: each of the 300 pages the guest tagged with seed
# 5151 must sit at the BAR offset the driver reported for it (the guest's
# "# vram-offset PAGE OFFSET" lines in $PS_GUEST_TAP) in the VRAM backing
# file ($1; BAR 2 of ivshmem-plain maps it from offset 0).
here=$(dirname "$0")
if grep '^# vram-offset ' "$PS_GUEST_TAP" |
	python3 "$here/../vram-peek.py" check-offsets "$1" 5151 300; then
	echo "ok 1 - host: all 300 pages found at exactly their reported offsets"
else
	echo "not ok 1 - host: all 300 pages found at exactly their reported offsets"
fi

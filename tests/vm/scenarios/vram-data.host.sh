#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Host half of vram-data: look for the 300 pages migrate-test tagged with
# seed 4242 in the guest's VRAM backing file ($1).
here=$(dirname "$0")
if python3 "$here/../vram-peek.py" find-tags "$1" 4242 300; then
	echo "ok 1 - host: all 300 migrated pages found intact in the VRAM backing file"
else
	echo "not ok 1 - host: all 300 migrated pages found intact in the VRAM backing file"
fi

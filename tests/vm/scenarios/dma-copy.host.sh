#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Host half of dma-copy: the 300 pages the software DMA provider copied
# into VRAM (migrate-test tags, seed 4343) are in the backing file ($1).
here=$(dirname "$0")
if python3 "$here/../vram-peek.py" find-tags "$1" 4343 300; then
	echo "ok 1 - host: all 300 pages copied by DMA found intact in the VRAM backing file"
else
	echo "not ok 1 - host: all 300 pages copied by DMA found intact in the VRAM backing file"
fi

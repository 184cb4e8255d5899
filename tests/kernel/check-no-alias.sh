#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# usage: check-no-alias.sh MODULE.ko
# The module must carry no modalias: udev loads a module for a device only
# through its aliases, and pseudoscopic must never be loaded for a GPU at
# boot (it would race nvidia or nouveau, and its self-test overwrites VRAM).
set -e
ko=$1
[ -f "$ko" ] || { echo "$ko: no such module" >&2; exit 1; }
aliases=$(modinfo -F alias "$ko")
if [ -n "$aliases" ]; then
	echo "$ko has aliases; udev would load it at boot:"
	echo "$aliases"
	exit 1
fi
echo "$ko: no aliases"

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Host half of blkdev: the 4 MiB the guest wrote through /dev/psblk0 must
# be in the VRAM backing file ($1) at the BAR offset the guest reported
# ("# blk-data OFFSET LENGTH MD5" in $PS_GUEST_TAP).
# (The serial log has CRLF line ends.)
set -- "$1" $(tr -d '\r' < "$PS_GUEST_TAP" |
	sed -n 's/^# blk-data \([0-9]*\) \([0-9]*\) \([0-9a-f]*\)$/\1 \2 \3/p')
if [ -n "${4:-}" ] &&
	[ "$(dd if="$1" bs=1M skip=$(($2 >> 20)) count=$(($3 >> 20)) 2>/dev/null | md5sum | cut -d' ' -f1)" = "$4" ]; then
	echo "ok 1 - host: the disk's data is in VRAM at the reported offset"
else
	echo "not ok 1 - host: the disk's data is in VRAM at the reported offset"
fi

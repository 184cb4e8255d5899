#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# promtool from Debian's prometheus package, for `promtool check metrics`
# in the tests.  Installing the package would also start a Prometheus
# server on the machine; the .deb is unpacked into the cache instead.
# Prints the path of promtool (the machine's own if it has one).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
if command -v promtool > /dev/null; then
	command -v promtool
	exit 0
fi
dir="$PS_CACHE/promtool"
if [ ! -x "$dir/usr/bin/promtool" ]; then
	mkdir -p "$PS_CACHE/downloads"
	(cd "$PS_CACHE/downloads" && apt-get -q download prometheus >&2)
	deb=$(ls "$PS_CACHE"/downloads/prometheus_*.deb | sort -V | tail -n1)
	rm -rf "$dir.tmp"
	dpkg-deb -x "$deb" "$dir.tmp"
	rm -rf "$dir"
	mv "$dir.tmp" "$dir"
fi
echo "$dir/usr/bin/promtool"

# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the test and build scripts (sourced, not executed).

# Where kernels, downloads and other expensive artefacts are cached: outside
# the clone, so fresh clones on the same machine reuse them.
if [ -z "${PS_CACHE:-}" ]; then
	if [ "$(id -u)" = 0 ]; then
		PS_CACHE=/var/cache/pseudoscopic
	else
		PS_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/pseudoscopic"
	fi
fi
export PS_CACHE

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
need_root() { [ "$(id -u)" = 0 ] || die "need root to $1"; }

# The Debian mirror the machine already uses (first deb.debian.org-style URI).
debian_mirror() {
	local m
	m=$(grep -hE '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list \
		/etc/apt/sources.list.d/*.list 2>/dev/null |
		grep -v security | grep -oE 'https?://[^ ]+/debian/?' | head -n1)
	echo "${m:-http://deb.debian.org/debian}"
}

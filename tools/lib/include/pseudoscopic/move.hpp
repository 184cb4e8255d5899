// SPDX-License-Identifier: GPL-2.0-or-later
// Moving and querying ranges of a process through a pidfd: the core of
// ps-migrate, and of any program that wants the same (libpseudoscopic).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <sys/types.h>
#include <vector>

#include <linux/pseudoscopic.h>

#include "pseudoscopic/devfile.hpp"
#include "pseudoscopic/pagemap.hpp"
#include "pseudoscopic/ranges.hpp"

namespace ps {

// What happened to the pages of a move, summed over calls.
struct MoveTotals {
	std::uint64_t requested = 0; // pages asked for
	std::uint64_t migrated = 0;
	std::uint64_t absent = 0;
	std::uint64_t unmovable = 0;
	std::uint64_t pinned = 0; // pinned (--pin) or unpinned (--unpin)
	std::uint64_t no_space = 0;
	std::uint64_t elsewhere = 0;
	std::uint64_t calls = 0;
	void add(const ps_migrate &m, std::uint64_t pages);
};
// Move every range of the process behind `pidfd` in pieces of `chunk`
// bytes, calling progress(done_bytes, total_bytes) after each piece.
using ProgressFn = std::function<void(std::uint64_t, std::uint64_t)>;
MoveTotals move_ranges(const DevFile &dev, int pidfd, const std::vector<AddrRange> &ranges, std::uint32_t direction,
		       std::uint32_t flags, std::uint64_t chunk, const ProgressFn &progress = {});

// Residency of each range, absent pages told apart from swapped ones
// through /proc/PID/pagemap.
struct RangeResidency {
	AddrRange range;
	StateCounts counts{};
};
std::vector<RangeResidency> query_ranges(const DevFile &dev, int pidfd, pid_t pid,
					 const std::vector<AddrRange> &ranges, std::uint64_t page_size);

// One sentence for an errno met while acting on process `pid` (EPERM and
// EACCES name the ptrace rights needed, ESRCH the missing process).
std::string explain_errno(int err, pid_t pid, const std::string &what);

} // namespace ps

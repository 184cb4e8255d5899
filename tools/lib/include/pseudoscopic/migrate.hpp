// SPDX-License-Identifier: GPL-2.0-or-later
// ps-migrate's logic: its command line, moving and querying ranges of a
// process through a pidfd, and the reports it prints.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <sys/types.h>
#include <vector>

#include <linux/pseudoscopic.h>
#include <nlohmann/json_fwd.hpp>

#include "pseudoscopic/devfile.hpp"
#include "pseudoscopic/pagemap.hpp"
#include "pseudoscopic/ranges.hpp"

namespace ps {

struct MigrateOptions {
	pid_t pid = 0;			      // --pid
	std::vector<std::string> command;     // -- CMD ARGS...
	std::vector<std::string> range_texts; // --range, as given
	std::vector<AddrRange> ranges;	      // --range, parsed
	std::vector<std::string> maps;	      // --map
	bool all_anon = false;
	std::uint32_t direction = 0; // PS_TO_VRAM / PS_TO_RAM, 0 with --query
	bool query = false;
	bool json = false;
	bool no_evict = false;
	bool pin = false;
	bool unpin = false; // --unpin (uapi version 4)
	bool async = false;
	std::string device;
	double cold = 0;	      // --cold SECONDS (0: every page)
	double delay = 1;	      // --delay SECONDS before acting on a command
	std::uint64_t after_rss = 0;  // --after-rss SIZE: wait for this much RssAnon
	std::uint64_t chunk = 64ULL << 20;
	bool progress = false;
	bool no_progress = false;
	bool quiet = false;
};

// Parse ps-migrate's command line (args without the program name).
// Returns -1 if the tool should go on, otherwise its exit status: 0 after
// --help (printed to out), 2 after a usage error (explained on err).
int parse_migrate_args(const std::vector<std::string> &args, MigrateOptions &opt, std::ostream &out,
		       std::ostream &err, std::uint64_t page_size = 4096);

// PS_MIGRATE_* flags for the options (PS_MIGRATE_PIDFD is added by the
// ioctl wrapper).
std::uint32_t migrate_flags(const MigrateOptions &opt);

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
void to_json(nlohmann::json &j, const MoveTotals &t);

// "moved 1024 pages (4M) to VRAM; skipped: 0 not populated, ..." with a
// trailing newline.
std::string format_summary(const MoveTotals &t, std::uint32_t direction, bool async, std::uint64_t page_size);

// "[#####.....]  50%  32M of 64M" fitted into `width` columns.
std::string render_progress(std::uint64_t done_bytes, std::uint64_t total_bytes, int width);

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

// A table: RANGE MAPPING PAGES VRAM RAM OTHER SWAPPED ABSENT, one row per
// range and a total row.
std::string format_query(const std::vector<RangeResidency> &res);
nlohmann::json query_json(const std::vector<RangeResidency> &res, pid_t pid, std::uint64_t page_size);

// One sentence for an errno met while acting on process `pid` (EPERM and
// EACCES name the ptrace rights needed, ESRCH the missing process).
std::string explain_errno(int err, pid_t pid, const std::string &what);

} // namespace ps

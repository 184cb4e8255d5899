// SPDX-License-Identifier: GPL-2.0-or-later
// ps-migrate's command line and the reports it prints (the moving and
// querying itself is in move.hpp, part of the installed library).
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <sys/types.h>
#include <vector>

#include <linux/pseudoscopic.h>
#include <nlohmann/json_fwd.hpp>

#include "pseudoscopic/move.hpp"

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

void to_json(nlohmann::json &j, const MoveTotals &t);

// "moved 1024 pages (4M) to VRAM; skipped: 0 not populated, ..." with a
// trailing newline.
std::string format_summary(const MoveTotals &t, std::uint32_t direction, bool async, std::uint64_t page_size);

// "[#####.....]  50%  32M of 64M" fitted into `width` columns.
std::string render_progress(std::uint64_t done_bytes, std::uint64_t total_bytes, int width);

// A table: RANGE MAPPING PAGES VRAM RAM OTHER SWAPPED ABSENT, one row per
// range and a total row.
std::string format_query(const std::vector<RangeResidency> &res);
nlohmann::json query_json(const std::vector<RangeResidency> &res, pid_t pid, std::uint64_t page_size);

} // namespace ps

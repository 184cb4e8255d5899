// SPDX-License-Identifier: GPL-2.0-or-later
#include "pseudoscopic/migrate.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>

#include "pseudoscopic/cli.hpp"
#include "pseudoscopic/table.hpp"
#include "pseudoscopic/units.hpp"

namespace ps {

namespace {

const char *const description =
	"Move pages of a process between RAM and GPU memory (pseudoscopic), or show where they are.\n"
	"The target is a running process (--pid) or a command ps-migrate starts (after --).";

const char *const footer =
	"Ranges: START-END or START+LENGTH, hex (0x) or decimal, page aligned; LENGTH may end in K, M or G.\n"
	"Mappings (--map): a path of /proc/PID/maps ([heap], [stack], /usr/lib/libfoo.so.1),\n"
	"its basename, or the basename up to a '.' or '-' (libfoo).\n"
	"Examples:\n"
	"  ps-migrate --pid 1234 --to vram --all-anon\n"
	"  ps-migrate --pid 1234 --to vram --cold 30 --all-anon\n"
	"  ps-migrate --pid 1234 --query --map '[heap]'\n"
	"  ps-migrate --to vram --all-anon --delay 5 -- ./workload --big\n"
	"Exit status: 0 on success, 1 on errors, 2 on usage errors; with a command, the command's status.";

std::uint64_t size_value(const std::string &text, const char *what)
{
	auto v = parse_size(text);
	if (!v)
		throw CLI::ValidationError(fmt::format("{}: '{}' is not a size (bytes, or with K, M, G)", what, text));
	return *v;
}

} // namespace

int parse_migrate_args(const std::vector<std::string> &args, MigrateOptions &opt, std::ostream &out,
		       std::ostream &err, std::uint64_t page_size)
{
	CLI::App app{description, "ps-migrate"};
	std::string to;
	std::string after_rss;
	std::string chunk;
	auto *pid = app.add_option("-p,--pid", opt.pid, "Target process (opened as a pidfd)")
			    ->type_name("PID")
			    ->check(CLI::PositiveNumber);
	app.add_option("--range", opt.range_texts, "Address range START-END or START+LENGTH (repeatable)")
		->type_name("RANGE")
		->allow_extra_args(false);
	app.add_option("-m,--map", opt.maps, "Mappings of /proc/PID/maps by name: [heap], [stack], a library (repeatable)")
		->type_name("NAME")
		->allow_extra_args(false);
	app.add_flag("-a,--all-anon", opt.all_anon, "Every private, writable, anonymous mapping");
	auto *to_opt = app.add_option("-t,--to", to, "Destination: vram or ram")
			       ->type_name("WHERE")
			       ->check(CLI::IsMember({"vram", "ram"}));
	auto *query = app.add_flag("-q,--query", opt.query,
				   "Only show where the pages are (VRAM, RAM, other device, swapped, absent)");
	app.add_flag("-J,--json", opt.json, "Print the result as JSON");
	auto *no_evict = app.add_flag("--no-evict", opt.no_evict,
				      "With --to vram: on a full pool skip pages instead of evicting older ones");
	auto *pin = app.add_flag("--pin", opt.pin, "With --to vram: never evict these pages");
	auto *unpin = app.add_flag("--unpin", opt.unpin,
				   "With --to vram: make pinned pages evictable again (moves nothing)");
	auto *async = app.add_flag("--async", opt.async, "With --to ram: start the prefetch and return at once");
	auto *cold = app.add_option("--cold", opt.cold,
				    "Only pages not accessed for SECONDS (idle page tracking; root)")
			     ->type_name("SECONDS")
			     ->check(CLI::PositiveNumber);
	app.add_option("-d,--device", opt.device, "Device node (default: the first /dev/pseudoscopicN)")
		->type_name("DEVICE");
	auto *delay = app.add_option("--delay", opt.delay, "With a command: seconds to let it run first")
			      ->type_name("SECONDS")
			      ->capture_default_str()
			      ->check(CLI::NonNegativeNumber);
	auto *rss = app.add_option("--after-rss", after_rss,
				   "With a command: act once its anonymous RSS reaches SIZE (instead of --delay)")
			    ->type_name("SIZE");
	app.add_option("--chunk", chunk, "Bytes per call on large moves (progress steps; default 64M)")->type_name("SIZE");
	auto *progress = app.add_flag("--progress", opt.progress, "Show a progress bar (default: on a terminal)");
	auto *no_progress = app.add_flag("--no-progress", opt.no_progress, "Never show a progress bar");
	app.add_flag("--quiet", opt.quiet, "Print nothing on success");
	auto *cmd = app.add_option("command", opt.command, "Command to start and act on (after --)")
			   ->option_text("[-- COMMAND [ARG...]]");
	progress->excludes(no_progress);
	query->excludes(to_opt)->excludes(no_evict)->excludes(pin)->excludes(unpin)->excludes(async)->excludes(cold);
	pin->excludes(unpin);
	pid->excludes(cmd);
	delay->needs(cmd);
	rss->needs(cmd)->excludes(delay);
	app.footer(footer);

	return parse_cli(app, args, out, err, [&] {
		if (!*pid && opt.command.empty())
			throw CLI::ValidationError("no target: give --pid PID or a command after --");
		if (to == "vram")
			opt.direction = PS_TO_VRAM;
		else if (to == "ram")
			opt.direction = PS_TO_RAM;
		if (!opt.query && !opt.direction)
			throw CLI::ValidationError("say where to: --to vram or --to ram (or --query to look only)");
		if ((opt.no_evict || opt.pin || opt.unpin) && opt.direction != PS_TO_VRAM)
			throw CLI::ValidationError("--no-evict, --pin and --unpin go with --to vram");
		if (opt.async && opt.direction != PS_TO_RAM)
			throw CLI::ValidationError("--async goes with --to ram");
		if (*cold && opt.direction != PS_TO_VRAM)
			throw CLI::ValidationError("--cold goes with --to vram");
		if (!opt.query && opt.range_texts.empty() && opt.maps.empty() && !opt.all_anon)
			throw CLI::ValidationError("nothing selected: give --range, --map or --all-anon");
		if (opt.query && opt.range_texts.empty() && opt.maps.empty())
			opt.all_anon = true;
		for (const auto &t : opt.range_texts) {
			try {
				opt.ranges.push_back(parse_range(t, page_size));
			} catch (const std::invalid_argument &e) {
				throw CLI::ValidationError(e.what());
			}
		}
		if (!after_rss.empty()) {
			opt.after_rss = size_value(after_rss, "--after-rss");
			if (!opt.after_rss)
				throw CLI::ValidationError("--after-rss: must be above zero");
		}
		if (!chunk.empty()) {
			opt.chunk = size_value(chunk, "--chunk");
			if (opt.chunk < page_size || opt.chunk % page_size)
				throw CLI::ValidationError(
					fmt::format("--chunk: must be a non-zero multiple of the page size ({})", page_size));
		}
	});
}

std::uint32_t migrate_flags(const MigrateOptions &opt)
{
	std::uint32_t f = 0;
	if (opt.no_evict)
		f |= PS_MIGRATE_NO_EVICT;
	if (opt.pin)
		f |= PS_MIGRATE_PIN;
	if (opt.unpin)
		f |= PS_MIGRATE_UNPIN;
	if (opt.async)
		f |= PS_MIGRATE_ASYNC;
	return f;
}

void to_json(nlohmann::json &j, const MoveTotals &t)
{
	j = nlohmann::json{{"requested_pages", t.requested},
			   {"migrated", t.migrated},
			   {"skipped", {{"absent", t.absent},
					{"unmovable", t.unmovable},
					{"no_space", t.no_space},
					{"elsewhere", t.elsewhere}}},
			   {"pinned", t.pinned},
			   {"calls", t.calls}};
}

std::string format_summary(const MoveTotals &t, std::uint32_t direction, bool async, std::uint64_t page_size)
{
	const char *where = direction == PS_TO_VRAM ? "VRAM" : "RAM";
	if (async)
		return fmt::format("prefetch to RAM started for {} pages ({}); asynchronous: no counts\n", t.requested,
				   human_bytes(t.requested * page_size));
	return fmt::format("moved {} of {} pages ({}) to {}; skipped: {} not populated, {} unmovable, {} no space, "
			   "{} already there or on another device\n",
			   t.migrated, t.requested, human_bytes(t.migrated * page_size), where, t.absent, t.unmovable,
			   t.no_space, t.elsewhere);
}

std::string render_progress(std::uint64_t done_bytes, std::uint64_t total_bytes, int width)
{
	const double frac = total_bytes ? static_cast<double>(std::min(done_bytes, total_bytes)) /
						  static_cast<double>(total_bytes)
					: 1.0;
	const std::string tail = fmt::format(" {:3.0f}% {:>7} of {}", std::floor(frac * 100.0), human_bytes(done_bytes),
					     human_bytes(total_bytes));
	const int barw = std::max(10, width - static_cast<int>(tail.size()) - 2);
	const int filled = std::clamp(static_cast<int>(frac * barw), 0, barw);
	return "[" + std::string(static_cast<std::size_t>(filled), '#') +
	       std::string(static_cast<std::size_t>(barw - filled), '.') + "]" + tail;
}

std::string format_query(const std::vector<RangeResidency> &res)
{
	Table t;
	using A = Table::Align;
	t.add_column("RANGE");
	t.add_column("MAPPING");
	for (const char *h : {"PAGES", "VRAM", "RAM", "OTHER", "SWAPPED", "ABSENT"})
		t.add_column(h, A::right);
	StateCounts sum{};
	std::uint64_t pages = 0;
	auto row = [&](std::string range, std::string name, std::uint64_t n, const StateCounts &c) {
		t.add_row({std::move(range), std::move(name), std::to_string(n), std::to_string(c[st_device]),
			   std::to_string(c[st_ram]), std::to_string(c[st_other]), std::to_string(c[st_swapped]),
			   std::to_string(c[st_absent])});
	};
	for (const auto &r : res) {
		std::uint64_t n = 0;
		for (std::size_t i = 0; i < nr_page_states; i++) {
			n += r.counts.at(i);
			sum.at(i) += r.counts.at(i);
		}
		pages += n;
		row(format_range(r.range), r.range.name, n, r.counts);
	}
	row("total", "", pages, sum);
	return t.render();
}

nlohmann::json query_json(const std::vector<RangeResidency> &res, pid_t pid, std::uint64_t page_size)
{
	auto counts = [](const StateCounts &c) {
		return nlohmann::json{{"vram", c[st_device]},	{"ram", c[st_ram]},	    {"other_device", c[st_other]},
				      {"swapped", c[st_swapped]}, {"absent", c[st_absent]}};
	};
	nlohmann::json ranges = nlohmann::json::array();
	StateCounts sum{};
	for (const auto &r : res) {
		ranges.push_back({{"start", r.range.start},
				  {"end", r.range.end},
				  {"mapping", r.range.name},
				  {"pages", r.range.bytes() / page_size},
				  {"pages_by_state", counts(r.counts)}});
		for (std::size_t i = 0; i < nr_page_states; i++)
			sum.at(i) += r.counts.at(i);
	}
	return {{"pid", pid}, {"page_size", page_size}, {"ranges", ranges}, {"total", counts(sum)}};
}

} // namespace ps

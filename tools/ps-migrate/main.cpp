// SPDX-License-Identifier: GPL-2.0-or-later
// ps-migrate: move a process's pages between RAM and GPU memory through
// pseudoscopic, by address range, mapping name or "cold pages only", or
// show where they are.  The logic is in libpseudoscopic (migrate.hpp).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <sys/ioctl.h>
#include <system_error>
#include <thread>
#include <unistd.h>

#include "pseudoscopic/device.hpp"
#include "pseudoscopic/migrate.hpp"
#include "pseudoscopic/process.hpp"
#include "pseudoscopic/tool_main.hpp"
#include "pseudoscopic/units.hpp"

namespace {

// An error already explained: print it and exit 1.
struct Failure {
	std::string message;
};

int stderr_width()
{
	winsize ws{};
	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
		return ws.ws_col;
	return 80;
}

ps::DevFile open_device(const ps::MigrateOptions &opt)
{
	std::string node = opt.device.empty() ? ps::default_node() : opt.device;
	if (node.empty()) {
		if (!ps::module_loaded())
			throw Failure{"the pseudoscopic module is not loaded (modprobe pseudoscopic)"};
		throw Failure{"no /dev/pseudoscopicN: the module is loaded but no device is bound"};
	}
	try {
		return ps::DevFile(node);
	} catch (const std::system_error &e) {
		if (e.code().value() == ENOENT)
			throw Failure{fmt::format("{}: no such device node{}", node,
						  ps::module_loaded() ? "" : " (the pseudoscopic module is not loaded)")};
		if (e.code().value() == EACCES || e.code().value() == EPERM)
			throw Failure{fmt::format("{}: permission denied (the node is root's unless a udev rule "
						  "grants a group; see Documentation/uapi.md)",
						  node)};
		throw;
	}
}

// Wait until the launched command is ready to be acted on; false if it
// ended first.
bool wait_for_command(pid_t pid, const ps::MigrateOptions &opt)
{
	using namespace std::chrono;
	const auto step = milliseconds(20);
	const auto deadline = steady_clock::now() + duration_cast<steady_clock::duration>(duration<double>(opt.delay));
	for (;;) {
		if (ps::has_exited(pid))
			return false;
		if (opt.after_rss) {
			if (ps::rss_anon(pid).value_or(0) >= opt.after_rss)
				return true;
		} else if (steady_clock::now() >= deadline) {
			return true;
		}
		std::this_thread::sleep_for(step);
	}
}

std::vector<ps::AddrRange> selected_ranges(const ps::MigrateOptions &opt, pid_t pid)
{
	std::vector<ps::AddrRange> ranges = opt.ranges;
	if (!opt.maps.empty() || opt.all_anon) {
		std::vector<ps::Mapping> maps;
		try {
			maps = ps::read_maps(pid);
		} catch (const std::system_error &e) {
			throw Failure{ps::explain_errno(e.code().value(), pid, fmt::format("/proc/{}/maps", pid))};
		}
		try {
			auto sel = ps::select_mappings(maps, opt.maps, opt.all_anon);
			ranges.insert(ranges.end(), sel.begin(), sel.end());
		} catch (const std::invalid_argument &e) {
			throw Failure{fmt::format("process {}: {}", pid, e.what())};
		}
	}
	return ps::merge_ranges(std::move(ranges));
}

// Act on the process; returns the exit status for a --pid target.
int act(const ps::MigrateOptions &opt, const ps::DevFile &dev, pid_t pid, std::FILE *report)
{
	const std::uint64_t page = dev.info().page_size;
	try {
		const ps::Pidfd pidfd(pid);
		auto ranges = selected_ranges(opt, pid);
		if (opt.query) {
			const auto res = ps::query_ranges(dev, pidfd.get(), pid, ranges, page);
			if (opt.json)
				fmt::print(report, "{}\n", ps::query_json(res, pid, page).dump(2));
			else
				fmt::print(report, "{}", ps::format_query(res));
			return 0;
		}
		ps::ColdScan scan;
		if (opt.cold > 0) {
			scan = ps::find_cold_pages(pid, ranges, opt.cold, page);
			ranges = scan.cold;
			if (!opt.quiet && !opt.json)
				fmt::print(report, "{} of {} present pages were not accessed for {:g} s\n",
					   scan.cold_pages, scan.present_pages, opt.cold);
		}
		std::uint64_t total = 0;
		for (const auto &r : ranges)
			total += r.bytes();
		const bool bar = !opt.quiet && !opt.no_progress &&
				 (opt.progress || (isatty(STDERR_FILENO) && total > opt.chunk));
		const int width = stderr_width();
		ps::ProgressFn progress;
		if (bar)
			progress = [&](std::uint64_t done, std::uint64_t all) {
				fmt::print(stderr, "\r{}", ps::render_progress(done, all, width - 1));
				if (done == all)
					fmt::print(stderr, "\n");
				(void)std::fflush(stderr);
			};
		const auto totals =
			ps::move_ranges(dev, pidfd.get(), ranges, opt.direction, ps::migrate_flags(opt), opt.chunk, progress);
		if (opt.json) {
			nlohmann::json j = totals;
			j["pid"] = pid;
			j["direction"] = opt.direction == PS_TO_VRAM ? "vram" : "ram";
			j["page_size"] = page;
			if (opt.cold > 0)
				j["cold"] = {{"seconds", opt.cold},
					     {"present_pages", scan.present_pages},
					     {"cold_pages", scan.cold_pages}};
			fmt::print(report, "{}\n", j.dump(2));
		} else if (!opt.quiet && opt.unpin) {
			fmt::print(report, "unpinned {} pages: they can be evicted again\n", totals.pinned);
		} else if (!opt.quiet) {
			fmt::print(report, "{}", ps::format_summary(totals, opt.direction, opt.async, page));
			if (opt.pin)
				fmt::print(report, "pinned {} pages\n", totals.pinned);
		}
		return 0;
	} catch (const std::system_error &e) {
		if (e.code().category() != std::generic_category())
			throw;
		std::string what = e.what();
		what = what.substr(0, what.rfind(": ")); // without strerror
		throw Failure{ps::explain_errno(e.code().value(), pid, what)};
	}
}

int run(int argc, char **argv)
{
	ps::MigrateOptions opt;
	const auto page = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
	const int rc = ps::parse_migrate_args({argv + 1, argv + argc}, opt, std::cout, std::cerr, page);
	if (rc >= 0)
		return rc;
	try {
		const ps::DevFile dev = open_device(opt);
		if (dev.info().version < 2)
			throw Failure{fmt::format("{}: the loaded driver speaks uapi version {}, which cannot act on "
						  "another process; load a newer pseudoscopic module",
						  dev.path(), dev.info().version)};
		if (opt.command.empty())
			return act(opt, dev, opt.pid, stdout);

		// A command: start it, let it get going, act, then wait for it
		// and exit with its status.  Reports go to stderr so that the
		// command's output stays its own.
		const pid_t child = ps::launch(opt.command);
		int moved = 0;
		if (!wait_for_command(child, opt)) {
			fmt::print(stderr, "ps-migrate: '{}' ended before anything was moved\n", opt.command[0]);
		} else {
			try {
				moved = act(opt, dev, child, stderr);
			} catch (const Failure &f) {
				fmt::print(stderr, "ps-migrate: {}\n", f.message);
				moved = 1;
			} catch (const std::exception &e) {
				// Still wait for the command: it is not ours to abandon.
				fmt::print(stderr, "ps-migrate: {}\n", e.what());
				moved = 1;
			}
		}
		const int status = ps::wait_exit_status(child);
		return moved ? 1 : status;
	} catch (const Failure &f) {
		fmt::print(stderr, "ps-migrate: {}\n", f.message);
		return 1;
	}
}

} // namespace

int main(int argc, char **argv)
{
	return ps::tool_main("ps-migrate", run, argc, argv);
}

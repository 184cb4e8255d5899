// SPDX-License-Identifier: GPL-2.0-or-later
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <string>
#include <type_traits>

#include "pseudoscopic/cli.hpp"
#include "pseudoscopic/status.hpp"

namespace ps {

namespace {

// A T above zero.  (CLI11's PositiveNumber complains of a range up to
// DBL_MAX, printed in full.)
template <typename T> CLI::Validator above_zero(const char *what)
{
	return {[what](std::string &text) -> std::string {
			T v{};
			if (!CLI::detail::lexical_cast(text, v) || !(v > 0))
				return fmt::format("{} must be a {} above 0, not '{}'", what,
						   std::is_integral_v<T> ? "whole number" : "number", text);
			return "";
		},
		"", "ABOVE_ZERO"};
}

} // namespace

int parse_status_args(const std::vector<std::string> &args, StatusOptions &opt, std::ostream &out, std::ostream &err)
{
	CLI::App app{"Show GPU memory devices managed by the pseudoscopic driver.", "ps-status"};
	auto *json = app.add_flag("-J,--json", opt.json, "Print JSON instead of a table");
	auto *prom = app.add_flag("--prometheus", opt.prometheus, "Print node_exporter textfile-collector metrics");
	app.add_flag("-r,--raw", opt.raw, "Print the table without its header line");
	app.add_flag("-b,--bytes", opt.bytes, "Print sizes in bytes instead of K/M/G");
	auto *w = app.add_option("-w,--watch", opt.watch, "Live dashboard, refreshed every SECONDS")
			  ->expected(0, 1)
			  ->default_str("1")
			  ->check(above_zero<double>("SECONDS"));
	app.add_option("--count", opt.count, "With --watch: stop after N refreshes")->check(above_zero<int>("N"));
	app.add_option("--sysfs-root", opt.sysfs, "Read sysfs from this directory (for tests)")->group("");
	json->excludes(prom);
	w->excludes(json)->excludes(prom);
	app.footer("Exit status: 0 on success, 1 if the pseudoscopic module is not loaded, 2 on usage errors.");
	return parse_cli(app, args, out, err, [&] {
		if (w->count() > 0 && opt.watch <= 0)
			opt.watch = 1;
	});
}

} // namespace ps

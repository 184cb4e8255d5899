// SPDX-License-Identifier: GPL-2.0-or-later
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "pseudoscopic/cli.hpp"
#include "pseudoscopic/status.hpp"
#include "pseudoscopic/status_columns.hpp"

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

const char *const footer_text =
	"DEVICE is a device node (pseudoscopic0, /dev/pseudoscopic0) or a PCI address (0000:03:00.0, 03:00.0).\n"
	"\n"
	"Available output columns (-o; default: the first eleven, STATE among them):\n";

const char *const exit_text = "\nExit status: 0 on success; 1 if the module is not loaded, a DEVICE is not found or\n"
			      "sysfs cannot be read; 2 on usage errors; 3 if a device listed is lost.";

} // namespace

int parse_status_args(const std::vector<std::string> &args, StatusOptions &opt, std::ostream &out, std::ostream &err)
{
	CLI::App app{"Show GPU memory devices managed by the pseudoscopic driver.", "ps-status"};
	std::string list;
	bool output_all = false;
	auto *json = app.add_flag("-J,--json", opt.json, "JSON output (schema_version 2)");
	auto *raw = app.add_flag("-r,--raw", opt.raw, "Raw output: one space between cells, nothing aligned");
	auto *pairs = app.add_flag("-P,--pairs", opt.pairs, "NAME=\"value\" pairs");
	auto *prom = app.add_flag("--prometheus", opt.prometheus, "Metrics in the node_exporter textfile-collector format");
	auto *textfile = app.add_option("--textfile", opt.textfile,
					"With --prometheus: write FILE (through a rename) instead of stdout")
				 ->type_name("FILE");
	auto *output = app.add_option("-o,--output", list, "Columns to print (see below; +LIST adds to the default)")
			       ->type_name("LIST");
	auto *all = app.add_flag("--output-all", output_all, "Print every column");
	auto *noheadings = app.add_flag("-n,--noheadings", opt.noheadings, "Leave out the header line");
	app.add_flag("-b,--bytes", opt.bytes, "Sizes in bytes instead of K/M/G");
	auto *w = app.add_option("-w,--watch", opt.watch, "Live dashboard, refreshed every SECONDS (default 1)")
			  ->expected(0, 1)
			  ->type_name("SECONDS")
			  ->check(above_zero<double>("SECONDS"));
	auto *count = app.add_option("--count", opt.count, "With --watch: stop after N refreshes")
			      ->type_name("N")
			      ->check(above_zero<int>("N"));
	app.add_option("--sysfs-root", opt.sysfs, "Read sysfs from this directory (for tests)")->group("");
	app.add_option("device", opt.devices, "Devices to show (default: all)")->type_name("DEVICE");
	// One output format at a time.
	json->excludes(raw)->excludes(pairs)->excludes(prom);
	raw->excludes(pairs)->excludes(prom);
	pairs->excludes(prom);
	// --watch --json streams JSON Lines.
	w->excludes(raw)->excludes(pairs)->excludes(prom)->excludes(output)->excludes(all);
	output->excludes(all)->excludes(prom);
	all->excludes(prom);
	noheadings->excludes(json)->excludes(prom);
	textfile->needs(prom);
	count->needs(w);
	app.footer(footer_text + column_help() + exit_text);
	return parse_cli(app, args, out, err, [&] {
		if (w->count() > 0 && opt.watch <= 0)
			opt.watch = 1;
		opt.columns_chosen = output->count() > 0 || output_all;
		try {
			opt.columns = output_all ? all_columns()
				      : output->count() > 0 ? parse_column_list(list)
							     : default_columns();
		} catch (const std::invalid_argument &e) {
			throw CLI::ValidationError(e.what());
		}
	});
}

} // namespace ps

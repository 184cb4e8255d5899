// SPDX-License-Identifier: GPL-2.0-or-later
// ps-bench: command line, environment and plan, ratios and reports.  The
// measurements themselves are in bench_run.cpp.
#include "pseudoscopic/bench.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "pseudoscopic/cli.hpp"
#include "pseudoscopic/devfile.hpp"
#include "pseudoscopic/device.hpp"
#include "pseudoscopic/dmirror.hpp"
#include "pseudoscopic/table.hpp"
#include "pseudoscopic/units.hpp"

namespace ps {

namespace {

const char *const description =
	"Measure migration and fault throughput and fault latency of pseudoscopic against plain memcpy,\n"
	"the kernel's HMM test driver (test_hmm, /dev/hmm_dmirror0) and zram swap, in one run.";

const char *const footer =
	"Contenders: memcpy (RAM to RAM), pseudoscopic (/dev/pseudoscopicN), dmirror (test_hmm.ko),\n"
	"zram (an active zram swap, paged out with MADV_PAGEOUT).  A contender whose prerequisite is\n"
	"missing is skipped, unless --only names it.  The contenders run in interleaved repetitions\n"
	"(--repeat); every value is the median, with its spread.  Rates count only the pages that\n"
	"really moved; random faults time only pages that are away.  Numbers are meaningful only as\n"
	"ratios within one run.\n"
	"Exit status: 0 on success, 1 if data came back wrong or a call failed, 2 on usage errors\n"
	"or a missing prerequisite that was asked for.";

std::vector<Contender> parse_only(const std::string &text)
{
	std::vector<Contender> named;
	std::string_view rest(text);
	for (;;) {
		const auto comma = rest.find(',');
		const std::string_view item = rest.substr(0, comma);
		const auto c = contender_from_name(item);
		if (!c)
			throw CLI::ValidationError(fmt::format("--only: '{}' is not a contender (choose from memcpy, "
							       "pseudoscopic, dmirror, zram)",
							       item));
		named.push_back(*c);
		if (comma == std::string_view::npos)
			break;
		rest.remove_prefix(comma + 1);
	}
	std::vector<Contender> ordered;
	for (const Contender c : all_contenders)
		if (std::ranges::find(named, c) != named.end())
			ordered.push_back(c);
	return ordered;
}

std::string fixed1(double v)
{
	return fmt::format("{:.1f}", v);
}

// Linear interpolation between closest ranks of sorted values (numpy's
// default percentile), q in 0..1.
double interpolated(const std::vector<double> &sorted, double q)
{
	const double pos = q * static_cast<double>(sorted.size() - 1);
	const auto lo = static_cast<std::size_t>(std::floor(pos));
	const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
	return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - static_cast<double>(lo));
}

nlohmann::json number_or_null(double v)
{
	return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v);
}

nlohmann::json spread_json(const Spread &s)
{
	return {{"n", s.n}, {"median", s.median}, {"q1", s.q1}, {"q3", s.q3}, {"min", s.min}, {"max", s.max}};
}

} // namespace

std::string_view contender_name(Contender c)
{
	switch (c) {
	case Contender::memcpy:
		return "memcpy";
	case Contender::pseudoscopic:
		return "pseudoscopic";
	case Contender::dmirror:
		return "dmirror";
	case Contender::zram:
		return "zram";
	}
	return "?";
}

std::optional<Contender> contender_from_name(std::string_view name)
{
	for (const Contender c : all_contenders)
		if (contender_name(c) == name)
			return c;
	return std::nullopt;
}

bool BenchOptions::named(Contender c) const
{
	return std::ranges::find(only, c) != only.end();
}

bool BenchOptions::wanted(Contender c) const
{
	return only.empty() || named(c);
}

int parse_bench_args(const std::vector<std::string> &args, BenchOptions &opt, std::ostream &out,
		     std::ostream &err)
{
	CLI::App app{description, "ps-bench"};
	std::string only;
	app.add_option("-s,--size", opt.size_mib, "Size of each buffer (a bare number is MiB)")
		->type_name("SIZE")
		->capture_default_str()
		->transform(mib_size("SIZE", std::uint64_t{1} << 20));
	app.add_option("-d,--device", opt.device, "Device node (default: the first /dev/pseudoscopicN)")
		->type_name("DEVICE");
	app.add_option("--only", only, "Measure only these contenders (comma list of memcpy,pseudoscopic,dmirror,zram)")
		->type_name("LIST");
	app.add_option("-S,--samples", opt.samples,
		       "Random faults timed per contender and repetition, at most (only pages really away)")
		->capture_default_str()
		->type_name("N")
		->check(CLI::Range(std::size_t{1}, std::size_t{10000000}));
	app.add_option("-R,--repeat", opt.repetitions, "Interleaved repetitions of every contender")
		->type_name("N")
		->capture_default_str()
		->check(CLI::Range(std::size_t{1}, std::size_t{1000}));
	app.add_option("--seed", opt.seed, "Seed of the buffer contents and of the random fault order")
		->type_name("N")
		->capture_default_str();
	auto *json = app.add_flag("-J,--json", opt.json, "Print the results and ratios as JSON");
	auto *raw = app.add_flag("-r,--raw", opt.raw, "Print the measurements as \"bench: NAME VALUE UNIT\" lines");
	json->excludes(raw);
	app.footer(footer);

	return parse_cli(app, args, out, err, [&] {
		if (app.count("--only"))
			opt.only = parse_only(only);
	});
}

std::string zram_swap_in(std::string_view proc_swaps)
{
	std::istringstream in{std::string(proc_swaps)};
	std::string line;
	while (std::getline(in, line)) {
		std::istringstream fields(line);
		std::string name;
		fields >> name;
		if (name.starts_with("/dev/zram"))
			return name;
	}
	return "";
}

BenchEnvironment probe_environment(const BenchOptions &opt)
{
	BenchEnvironment env;
	std::error_code ec;
	if (!opt.device.empty()) {
		if (std::filesystem::exists(opt.device, ec))
			env.device = opt.device;
		else
			env.no_device_why = opt.device + ": no such device node";
	} else {
		env.device = default_node();
		if (env.device.empty())
			env.no_device_why = module_loaded() ? "no /dev/pseudoscopicN: the module is loaded but no "
							      "device is bound"
							    : "no /dev/pseudoscopicN: the pseudoscopic module is not loaded";
	}
	env.dmirror = std::filesystem::exists(default_dmirror_node, ec);
	std::ifstream swaps("/proc/swaps");
	std::stringstream text;
	text << swaps.rdbuf();
	env.zram_swap = zram_swap_in(text.str());
	return env;
}

BenchPlan plan_bench(const BenchOptions &opt, const BenchEnvironment &env)
{
	BenchPlan plan;
	plan.device = env.device;
	for (const Contender c : all_contenders) {
		if (!opt.wanted(c))
			continue;
		std::string missing;
		if (c == Contender::pseudoscopic && env.device.empty())
			missing = env.no_device_why.empty() ? "no device node" : env.no_device_why;
		else if (c == Contender::dmirror && !env.dmirror)
			missing = fmt::format("no {} (modprobe test_hmm; the kernel needs CONFIG_TEST_HMM)",
					      default_dmirror_node);
		else if (c == Contender::zram && env.zram_swap.empty())
			missing = "no zram device in /proc/swaps (set up a /dev/zramN as swap first)";
		if (missing.empty()) {
			plan.run.push_back(c);
		} else if (opt.named(c)) {
			plan.errors.push_back(fmt::format("{} (asked for with --only): {}", contender_name(c), missing));
		} else if (c == Contender::pseudoscopic) {
			plan.errors.push_back(fmt::format("pseudoscopic: {} (--only without pseudoscopic measures the "
							  "references alone)",
							  missing));
		} else {
			plan.skipped.push_back({c, missing});
		}
	}
	return plan;
}

Spread spread_of(std::vector<double> values)
{
	std::erase_if(values, [](double v) { return std::isnan(v); });
	Spread s;
	s.n = values.size();
	if (values.empty())
		return s;
	std::ranges::sort(values);
	s.min = values.front();
	s.max = values.back();
	s.median = interpolated(values, 0.5);
	s.q1 = interpolated(values, 0.25);
	s.q3 = interpolated(values, 0.75);
	return s;
}

const Measurement *BenchResults::find(std::string_view name) const
{
	auto it = std::ranges::find(measurements, name, &Measurement::name);
	return it == measurements.end() ? nullptr : &*it;
}

void BenchResults::record(std::string_view name, std::string_view what, std::string_view unit, double value,
			  std::optional<std::uint64_t> pages)
{
	auto it = std::ranges::find(measurements, name, &Measurement::name);
	if (it == measurements.end()) {
		measurements.push_back({std::string(name), std::string(what), std::string(unit), {}, {}});
		it = std::prev(measurements.end());
	}
	it->values.push_back(value);
	if (pages)
		it->pages.push_back(*pages);
}

const std::vector<RatioRule> &ratio_rules()
{
	static const std::vector<RatioRule> rules = {
		{"to device: pseudoscopic vs dmirror", "pseudoscopic_to_vram", "dmirror_to_dev", true},
		{"to RAM (request): pseudoscopic vs dmirror", "pseudoscopic_to_ram", "dmirror_to_sys", true},
		{"sequential faults: pseudoscopic vs dmirror", "pseudoscopic_fault_seq", "dmirror_fault_seq", true},
		{"sequential faults: pseudoscopic vs zram", "pseudoscopic_fault_seq", "zram_fault_seq", true},
		{"page out: pseudoscopic to VRAM vs zram", "pseudoscopic_to_vram", "zram_pageout", true},
		{"to device: pseudoscopic vs memcpy", "pseudoscopic_to_vram", "memcpy", true},
		{"random fault p50: pseudoscopic vs dmirror", "pseudoscopic_fault_p50", "dmirror_fault_p50", false},
		{"random fault p50: pseudoscopic vs zram", "pseudoscopic_fault_p50", "zram_fault_p50", false},
		{"random fault p99: pseudoscopic vs zram", "pseudoscopic_fault_p99", "zram_fault_p99", false},
	};
	return rules;
}

bool Ratio::ours_better() const
{
	if (std::isnan(ratio))
		return false;
	return higher_is_better ? ratio > 1 : ratio < 1;
}

std::vector<Ratio> compute_ratios(const BenchResults &r)
{
	std::vector<Ratio> out;
	for (const auto &rule : ratio_rules()) {
		const Measurement *a = r.find(rule.ours);
		const Measurement *b = r.find(rule.reference);
		if (!a || !b)
			continue;
		Ratio x;
		x.label = rule.label;
		x.ours = rule.ours;
		x.reference = rule.reference;
		x.ours_value = a->median();
		x.reference_value = b->median();
		x.unit = a->unit;
		// Repetition i of both was measured in the same round.
		const std::size_t n = std::min(a->values.size(), b->values.size());
		for (std::size_t i = 0; i < n; i++)
			x.per_repetition.push_back(b->values[i] != 0 ? a->values[i] / b->values[i] : std::nan(""));
		x.spread = spread_of(x.per_repetition);
		x.ratio = x.spread.n ? x.spread.median : std::nan("");
		x.higher_is_better = rule.higher_is_better;
		out.push_back(std::move(x));
	}
	return out;
}

std::string format_header(const BenchResults &r)
{
	std::string s = fmt::format("ps-bench: {} per buffer, {} interleaved repetitions (medians and spread), up to "
				    "{} random faults timed per repetition, seed {}",
				    human_bytes(r.size_bytes), r.repetitions, r.samples, r.seed);
	if (!r.device.empty())
		s += fmt::format("; pseudoscopic on {}", r.device);
	return s + '\n';
}

std::string format_raw(const BenchResults &r)
{
	std::string s;
	for (const auto &m : r.measurements) {
		const Spread sp = m.spread();
		s += fmt::format("bench: {} {} {}\n", m.name, fixed1(sp.median), m.unit);
		s += fmt::format("bench-spread: {} {} {} {} {} {} {}\n", m.name, fixed1(sp.min), fixed1(sp.q1),
				 fixed1(sp.q3), fixed1(sp.max), m.unit, sp.n);
	}
	return s;
}

std::string format_measurements(const BenchResults &r)
{
	Table t;
	t.add_column("NAME");
	t.add_column("MEDIAN", Table::Align::right);
	t.add_column("MIN", Table::Align::right);
	t.add_column("MAX", Table::Align::right);
	t.add_column("IQR", Table::Align::right);
	t.add_column("UNIT");
	t.add_column("PAGES", Table::Align::right);
	t.add_column("MEASURES");
	for (const auto &m : r.measurements) {
		const Spread sp = m.spread();
		std::vector<double> pages(m.pages.begin(), m.pages.end());
		t.add_row({m.name, fixed1(sp.median), fixed1(sp.min), fixed1(sp.max),
			   fmt::format("{}-{}", fixed1(sp.q1), fixed1(sp.q3)), m.unit,
			   pages.empty() ? "" : fmt::format("{:.0f}", spread_of(pages).median), m.what});
	}
	return t.render();
}

std::string format_ratios(const BenchResults &r, const std::vector<Ratio> &ratios)
{
	const Measurement *memcpy_rate = r.find("memcpy");
	if (ratios.empty() && !memcpy_rate)
		return "";
	std::string s = "ratios, pseudoscopic against each reference (meaningful only within one run):\n";
	if (memcpy_rate)
		s += fmt::format("  memcpy on this system: {} MB/s\n", fixed1(memcpy_rate->median()));
	for (const auto &x : ratios)
		s += fmt::format("  {:<44} {:>10.1f} {:<5} vs {:>10.1f}  ratio {:5.2f} [{:.2f}-{:.2f}] ({} is better)\n",
				 x.label, x.ours_value, x.unit, x.reference_value, x.ratio, x.spread.min, x.spread.max,
				 x.higher_is_better ? "higher" : "lower");
	return s;
}

nlohmann::json bench_json(const BenchResults &r, const std::vector<Ratio> &ratios)
{
	nlohmann::json j;
	j["size_bytes"] = r.size_bytes;
	j["samples"] = r.samples;
	j["repetitions"] = r.repetitions;
	j["seed"] = r.seed;
	j["device"] = r.device.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.device);
	j["contenders"] = nlohmann::json::array();
	for (const Contender c : all_contenders) {
		if (std::ranges::find(r.ran, c) != r.ran.end()) {
			j["contenders"].push_back({{"name", contender_name(c)}, {"status", "measured"}});
			continue;
		}
		auto skip = std::ranges::find(r.skipped, c, &Skip::contender);
		if (skip != r.skipped.end())
			j["contenders"].push_back(
				{{"name", contender_name(c)}, {"status", "skipped"}, {"reason", skip->reason}});
	}
	j["measurements"] = nlohmann::json::object();
	for (const auto &m : r.measurements) {
		const Spread sp = m.spread();
		auto &o = j["measurements"][m.name];
		o = {{"value", sp.median}, {"unit", m.unit}, {"what", m.what}, {"spread", spread_json(sp)},
		     {"values", m.values}};
		if (!m.pages.empty())
			o["pages"] = m.pages;
	}
	j["ratios"] = nlohmann::json::array();
	for (const auto &x : ratios) {
		auto per = nlohmann::json::array();
		for (const double v : x.per_repetition)
			per.push_back(number_or_null(v));
		j["ratios"].push_back({{"label", x.label},
				       {"ours", x.ours},
				       {"reference", x.reference},
				       {"ours_value", x.ours_value},
				       {"reference_value", x.reference_value},
				       {"unit", x.unit},
				       {"ratio", number_or_null(x.ratio)},
				       {"spread", spread_json(x.spread)},
				       {"per_repetition", per},
				       {"better", x.higher_is_better ? "higher" : "lower"},
				       {"ours_better", x.ours_better()}});
	}
	return j;
}

} // namespace ps

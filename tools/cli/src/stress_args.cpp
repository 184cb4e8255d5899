// SPDX-License-Identifier: GPL-2.0-or-later
// ps-stress's command line and report.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "pseudoscopic/cli.hpp"
#include "pseudoscopic/stress.hpp"

namespace ps {

namespace {

const char *const description =
	"Stress pseudoscopic: migrations, faults, fork, munmap, mremap and madvise at once, every byte checked.";

const char *const footer =
	"Operations, picked at random: write (a page), to_vram (a range; its first touch is a timed fault),\n"
	"to_ram, read (check a range), dontneed, free, pageout (MADV_DONTNEED, MADV_FREE, MADV_PAGEOUT on a\n"
	"range half in VRAM), fork (a child checks everything and writes a copy-on-write page), munmap (unmap\n"
	"a range half in VRAM, map and write it again), mremap (move the region, a range half in VRAM).\n"
	"Exit status: 0 if every check passed, 1 on corruption or an unexpected error, 2 on usage errors.";

} // namespace

int parse_stress_args(const std::vector<std::string> &args, StressOptions &opt, std::ostream &out, std::ostream &err)
{
	CLI::App app{description, "ps-stress"};
	app.add_option("-d,--device", opt.device, "Device node (default: the first /dev/pseudoscopicN)")
		->type_name("DEVICE");
	app.add_option("-T,--threads", opt.threads, "Threads per process")
		->type_name("N")
		->capture_default_str()
		->check(CLI::Range(1, 256));
	app.add_option("-N,--procs", opt.procs, "Processes")
		->type_name("N")
		->capture_default_str()->check(CLI::Range(1, 64));
	app.add_option("-D,--duration", opt.duration, "Seconds to run")
		->type_name("SECONDS")
		->capture_default_str()
		->check(CLI::Range(0.1, 86400.0));
	app.add_option("-s,--size", opt.size_mib, "Memory in play over all threads (a bare number is MiB)")
		->type_name("SIZE")
		->capture_default_str()
		->transform(mib_size("SIZE", std::uint64_t{1} << 20));
	app.add_option("--seed", opt.seed, "Seed of the random operation mix")->type_name("N")->capture_default_str();
	app.add_flag("-J,--json", opt.json, "Print the summary as JSON");
	app.add_flag("--corrupt-one", opt.corrupt_one, "Flip one byte behind the checker's back (tests ps-stress)")
		->group("");
	app.footer(footer);
	return parse_cli(app, args, out, err);
}

std::uint64_t StressSummary::all_ops() const
{
	std::uint64_t n = 0;
	for (const auto o : ops)
		n += o;
	return n;
}

void add_totals(StressSummary &s, const StressTotals &t)
{
	for (std::size_t o = 0; o < stress_op_count; o++)
		s.ops.at(o) += t.ops.at(o);
	s.pages_migrated += t.pages_migrated;
	s.pages_no_space += t.pages_no_space;
	s.enomem += t.enomem;
	s.corrupt += t.corrupt;
	s.errors += t.errors;
	s.samples += t.samples;
	for (std::size_t i = 0; i < s.latency_us.size(); i++)
		s.latency_us.at(i) = std::max(s.latency_us.at(i), t.latency_us.at(i));
}

std::string format_stress_report(const StressSummary &s)
{
	const double secs = s.seconds > 0 ? s.seconds : 1.0;
	std::string r = fmt::format("ps-stress: {} process(es) x {} thread(s), {} MiB, {:.1f} s on {}\n", s.procs,
				    s.threads, s.size_mib, s.seconds, s.device);
	r += fmt::format("  operations   {} ({:.0f}/s)\n", s.all_ops(), static_cast<double>(s.all_ops()) / secs);
	for (std::size_t o = 0; o < stress_op_count; o++)
		r += fmt::format("    {:<10} {}\n", stress_op_names.at(o), s.ops.at(o));
	r += fmt::format("  pages moved  {}\n", s.pages_migrated);
	r += fmt::format("  no room      {} pages skipped (pool full), {} migrations refused (ENOMEM)\n",
			 s.pages_no_space, s.enomem);
	r += fmt::format("  fault latency (us, worst process)  p50 {:.1f}  p99 {:.1f}  p99.9 {:.1f}  ({} samples)\n",
			 s.latency_us[0], s.latency_us[1], s.latency_us[2], s.samples);
	r += fmt::format("  corrupt pages {}, errors {}: {}\n", s.corrupt, s.errors, s.ok() ? "ok" : "FAILED");
	return r;
}

nlohmann::json stress_json(const StressSummary &s)
{
	nlohmann::json j;
	for (std::size_t o = 0; o < stress_op_count; o++)
		j["ops"][stress_op_names.at(o)] = s.ops.at(o);
	j["seconds"] = s.seconds;
	j["ops_per_second"] = s.seconds > 0 ? static_cast<double>(s.all_ops()) / s.seconds : 0.0;
	j["page_size"] = s.page_size;
	j["pages_migrated"] = s.pages_migrated;
	j["pages_no_space"] = s.pages_no_space;
	j["migrations_enomem"] = s.enomem;
	j["corrupt_pages"] = s.corrupt;
	j["errors"] = s.errors;
	j["fault_latency_us"] = {
		{"samples", s.samples}, {"p50", s.latency_us[0]}, {"p99", s.latency_us[1]}, {"p99.9", s.latency_us[2]}};
	return j;
}

} // namespace ps

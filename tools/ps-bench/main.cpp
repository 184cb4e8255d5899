// SPDX-License-Identifier: GPL-2.0-or-later
// ps-bench: migration and fault throughput and fault latency of
// pseudoscopic against plain memcpy, the kernel's test_hmm (dmirror) and
// zram swap, in one run, with ratios.  The logic is in libpseudoscopic
// (bench.hpp).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iostream>
#include <string>
#include <vector>

#include "pseudoscopic/bench.hpp"
#include "pseudoscopic/tool_main.hpp"

namespace {

int run(int argc, char **argv)
{
	ps::BenchOptions opt;
	const std::vector<std::string> args(argv + 1, argv + argc);
	if (const int rc = ps::parse_bench_args(args, opt, std::cout, std::cerr); rc >= 0)
		return rc;

	const ps::BenchPlan plan = ps::plan_bench(opt, ps::probe_environment(opt));
	for (const auto &e : plan.errors)
		fmt::print(stderr, "ps-bench: {}\n", e);
	if (!plan.errors.empty())
		return 2;
	for (const auto &s : plan.skipped)
		fmt::print(stderr, "ps-bench: skipping {}: {}\n", ps::contender_name(s.contender), s.reason);

	const ps::BenchResults results = ps::run_bench(opt, plan);
	const auto ratios = ps::compute_ratios(results);
	if (opt.json) {
		fmt::print("{}\n", ps::bench_json(results, ratios).dump(2));
		return 0;
	}
	fmt::print("{}", ps::format_header(results));
	fmt::print("{}", opt.raw ? ps::format_raw(results) : ps::format_measurements(results));
	if (const std::string r = ps::format_ratios(results, ratios); !r.empty())
		fmt::print("\n{}", r);
	return 0;
}

} // namespace

int main(int argc, char **argv)
{
	return ps::tool_main("ps-bench", run, argc, argv);
}

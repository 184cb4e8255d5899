// SPDX-License-Identifier: GPL-2.0-or-later
// ps-stress: threads and processes migrating, faulting, forking, unmapping,
// moving and discarding memory through pseudoscopic at once, every byte of
// every page checked against what was last written to it.  The logic is in
// libpseudoscopic (stress.hpp).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "pseudoscopic/devfile.hpp"
#include "pseudoscopic/stress.hpp"
#include "pseudoscopic/tool_main.hpp"

namespace {

int run(int argc, char **argv)
{
	ps::StressOptions opt;
	if (const int rc = ps::parse_stress_args({argv + 1, argv + argc}, opt, std::cout, std::cerr); rc >= 0)
		return rc;
	if (opt.device.empty())
		opt.device = ps::default_node();
	if (opt.device.empty()) {
		(void)std::fprintf(stderr, "ps-stress: no /dev/pseudoscopicN (is a device bound?)\n");
		return 1;
	}
	(void)ps::DevFile(opt.device).info(); // fail early and clearly

	const ps::StressSummary s = ps::run_stress(opt);
	if (opt.json)
		fmt::print("{}\n", ps::stress_json(s).dump(2));
	else
		fmt::print("{}", ps::format_stress_report(s));
	return s.ok() ? 0 : 1;
}

} // namespace

int main(int argc, char **argv)
{
	return ps::tool_main("ps-stress", run, argc, argv);
}

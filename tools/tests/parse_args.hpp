// SPDX-License-Identifier: GPL-2.0-or-later
// Running a tool's command-line parser in a test: its status and what it
// printed on each stream.
#pragma once

#include <sstream>
#include <string>
#include <vector>

namespace ps_test {

template <typename Options> struct Parsed {
	int rc = 0;
	Options opt;
	std::string out;
	std::string err;
};

// `parse(args, opt, out, err)` is one of the library's parse_*_args.
template <typename Options, typename Fn> Parsed<Options> parse_args(Fn &&parse, const std::vector<std::string> &args)
{
	Parsed<Options> p;
	std::ostringstream out;
	std::ostringstream err;
	p.rc = parse(args, p.opt, out, err);
	p.out = out.str();
	p.err = err.str();
	return p;
}

} // namespace ps_test

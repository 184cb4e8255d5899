// SPDX-License-Identifier: GPL-2.0-or-later
#include "pseudoscopic/cli.hpp"

#include <CLI/CLI.hpp>
#include <ostream>

namespace ps {

int parse_cli(CLI::App &app, const std::vector<std::string> &args, std::ostream &out, std::ostream &err,
	      const std::function<void()> &validate)
{
	std::vector<const char *> argv{app.get_name().c_str()};
	for (const auto &a : args)
		argv.push_back(a.c_str());
	try {
		app.parse(static_cast<int>(argv.size()), argv.data());
		if (validate)
			validate();
	} catch (const CLI::ParseError &e) {
		return app.exit(e, out, err) == 0 ? 0 : 2;
	}
	return -1;
}

} // namespace ps

// SPDX-License-Identifier: GPL-2.0-or-later
// The shared edge of the tools' command-line parsers (parse_*_args).
#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace CLI {
class App;
} // namespace CLI

namespace ps {

// Parse `args` (without the program name) with `app`, then run `validate`,
// which may throw CLI::ValidationError for what CLI11 cannot express.
// Returns -1 if the tool should go on, otherwise its exit status: 0 after
// --help (printed to out), 2 after a usage error (explained on err).
int parse_cli(CLI::App &app, const std::vector<std::string> &args, std::ostream &out, std::ostream &err,
	      const std::function<void()> &validate = {});

} // namespace ps

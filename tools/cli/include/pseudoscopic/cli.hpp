// SPDX-License-Identifier: GPL-2.0-or-later
// The shared edge of the tools' command-line parsers (parse_*_args).
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace CLI {
class App;
class Validator;
} // namespace CLI

namespace ps {

// Parse `args` (without the program name) with `app`, then run `validate`,
// which may throw CLI::ValidationError for what CLI11 cannot express.
// Every tool gets the same edge here: -h/--help in util-linux's layout,
// -V/--version (version_text()), and usage errors as
//   ps-tool: <what is wrong>
//   Try 'ps-tool --help' for more information.
// Returns -1 if the tool should go on, otherwise its exit status: 0 after
// --help or --version (printed to out), 2 after a usage error (on err).
int parse_cli(CLI::App &app, const std::vector<std::string> &args, std::ostream &out, std::ostream &err,
	      const std::function<void()> &validate = {});

// A transform for options sized in MiB that takes size suffixes too
// ("64", "64M", "1G"; parse_mib()), from 1 to max_mib.
CLI::Validator mib_size(const char *what, std::uint64_t max_mib);

} // namespace ps

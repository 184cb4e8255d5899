// SPDX-License-Identifier: GPL-2.0-or-later
// ps-status's command line.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace ps {

struct StatusOptions {
	bool json = false;	 // --json
	bool prometheus = false; // --prometheus
	bool raw = false;	 // --raw: the table without its header
	bool bytes = false;	 // --bytes: sizes in bytes
	double watch = 0;	 // --watch SECONDS (0: no dashboard; a bare --watch is 1)
	int count = 0;		 // --count N: frames of --watch (0: until interrupted)
	std::string sysfs = "/sys"; // --sysfs-root (hidden, for tests)
};

// Parse ps-status's command line (args without the program name).
// Returns -1 if the tool should go on, otherwise its exit status: 0 after
// --help (printed to out), 2 after a usage error (explained on err).
int parse_status_args(const std::vector<std::string> &args, StatusOptions &opt, std::ostream &out, std::ostream &err);

} // namespace ps

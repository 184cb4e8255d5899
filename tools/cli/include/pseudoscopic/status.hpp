// SPDX-License-Identifier: GPL-2.0-or-later
// ps-status's command line.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace ps {

struct StatusColumn;

struct StatusOptions {
	bool json = false;	   // -J, --json
	bool prometheus = false;   // --prometheus
	bool raw = false;	   // -r, --raw: util-linux raw output
	bool pairs = false;	   // -P, --pairs: NAME="value" pairs
	bool noheadings = false;   // -n, --noheadings
	bool bytes = false;	   // -b, --bytes: sizes in bytes
	bool columns_chosen = false; // -o or --output-all was given
	std::vector<const StatusColumn *> columns; // -o LIST, --output-all, or the defaults
	std::vector<std::string> devices; // DEVICE arguments (nodes or PCI addresses)
	std::string textfile;	 // --textfile FILE: --prometheus into FILE, through a rename
	double watch = 0;	 // --watch SECONDS (0: no dashboard; a bare --watch is 1)
	int count = 0;		 // --count N: frames of --watch (0: until interrupted)
	std::string sysfs = "/sys"; // --sysfs-root (hidden, for tests)
};

// Parse ps-status's command line (args without the program name).
// Returns -1 if the tool should go on, otherwise its exit status: 0 after
// --help or --version (printed to out), 2 after a usage error (on err).
int parse_status_args(const std::vector<std::string> &args, StatusOptions &opt, std::ostream &out, std::ostream &err);

// ps-status's exit statuses (the man page's EXIT STATUS).
enum StatusExit {
	status_ok = 0,
	status_failure = 1,	// module not loaded, a DEVICE not found, I/O error
	status_usage = 2,
	status_device_lost = 3, // a device listed is lost
};

} // namespace ps

// SPDX-License-Identifier: GPL-2.0-or-later
// ps-status's output columns (-o/--output), in util-linux's manner: each
// column has a name, a one-line description for --help, an alignment and a
// value per device; a default set prints without -o.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "pseudoscopic/device.hpp"

namespace ps {

struct StatusColumn {
	enum class Kind { text, number, size, percent };
	// Nothing (the module has no such file), a number (bytes for a
	// size), a percentage, or text.
	using Value = std::variant<std::monostate, std::uint64_t, double, std::string>;
	const char *name;		       // DEVICE, POOL, TO-VRAM, ...
	const char *help;		       // for --help and the man page
	Kind kind;			       // sizes print as 64M (bytes with -b); numbers right-aligned
	bool by_default;		       // in the table without -o
	Value (*value)(const Device &d);       // the device's value
};

// Every column, in the order --output-all prints them.
const std::vector<StatusColumn> &status_columns();

// The columns of an -o LIST ("DEVICE,POOL,used"; names are not case
// sensitive).  A list starting with '+' adds to the defaults, as in lsblk.
// Throws std::invalid_argument naming an unknown column.
std::vector<const StatusColumn *> parse_column_list(std::string_view list);

// The default columns (no -o), or every column (--output-all).
std::vector<const StatusColumn *> default_columns();
std::vector<const StatusColumn *> all_columns();

// A device's value in a column, as text: sizes human-readable (64M) or in
// bytes (bytes = true); "-" where the module has no such file.
std::string column_text(const StatusColumn &c, const Device &d, bool bytes);

// The same as a JSON value: sizes and numbers as numbers (bytes), text as
// strings, null where the module has no such file.
nlohmann::json column_json(const StatusColumn &c, const Device &d);

// "ok" or "lost" (the device's memory is unreachable: its pages SIGBUS).
bool device_lost(const Device &d);

// Whether a DEVICE argument names d: its node ("pseudoscopic0" or
// "/dev/pseudoscopic0") or its PCI address ("0000:03:00.0", or "03:00.0"
// in domain 0000).
bool device_matches(const Device &d, std::string_view arg);

// The column list for --help: "  NAME  description" lines.
std::string column_help();

} // namespace ps

// SPDX-License-Identifier: GPL-2.0-or-later
// Column output through libsmartcols, util-linux's own table library, so
// the tools print what lsblk and zramctl print: a header line, left-aligned
// text and right-aligned numbers; -r raw and -P KEY="VALUE" pairs with the
// library's own escaping.
#pragma once

#include <string>
#include <vector>

namespace ps {

class Table {
public:
	enum class Align { left, right };
	// columns: aligned, a space between (the default); raw: one space
	// between cells, no padding, unsafe characters escaped as \x..;
	// pairs: NAME="value" per cell.
	enum class Style { columns, raw, pairs };

	void add_column(std::string header, Align align = Align::left);
	// A row must have exactly one cell per column (std::invalid_argument
	// otherwise).
	void add_row(std::vector<std::string> cells);
	// The table as text, one line per row; with_header false leaves the
	// header line out (-n/--noheadings).  Throws std::runtime_error if
	// libsmartcols fails (out of memory).
	[[nodiscard]] std::string render(bool with_header = true, Style style = Style::columns) const;

private:
	std::vector<std::string> headers_;
	std::vector<Align> aligns_;
	std::vector<std::vector<std::string>> rows_;
};

} // namespace ps

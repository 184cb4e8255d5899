// SPDX-License-Identifier: GPL-2.0-or-later
// Column output in the style of util-linux (zramctl, lsblk): a header line,
// left-aligned text columns, right-aligned numeric columns.
#pragma once

#include <string>
#include <vector>

namespace ps {

class Table {
public:
	enum class Align { left, right };

	void add_column(std::string header, Align align = Align::left);
	// A row must have exactly one cell per column (std::invalid_argument
	// otherwise).
	void add_row(std::vector<std::string> cells);
	[[nodiscard]] std::string render(bool with_header = true) const;

private:
	std::vector<std::string> headers_;
	std::vector<Align> aligns_;
	std::vector<std::vector<std::string>> rows_;
};

} // namespace ps

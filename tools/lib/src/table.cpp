// SPDX-License-Identifier: GPL-2.0-or-later
#include "pseudoscopic/table.hpp"

#include <algorithm>
#include <stdexcept>

namespace ps {

void Table::add_column(std::string header, Align align)
{
	headers_.push_back(std::move(header));
	aligns_.push_back(align);
}

void Table::add_row(std::vector<std::string> cells)
{
	if (cells.size() != headers_.size())
		throw std::invalid_argument("table row has the wrong number of cells");
	rows_.push_back(std::move(cells));
}

std::string Table::render(bool with_header) const
{
	std::vector<std::size_t> width(headers_.size());
	for (std::size_t c = 0; c < headers_.size(); c++) {
		width[c] = with_header ? headers_[c].size() : 0;
		for (const auto &row : rows_)
			width[c] = std::max(width[c], row[c].size());
	}
	std::string out;
	auto emit = [&](const std::vector<std::string> &cells) {
		std::string line;
		for (std::size_t c = 0; c < cells.size(); c++) {
			const std::string pad(width[c] - cells[c].size(), ' ');
			if (c)
				line += ' ';
			line += aligns_[c] == Align::right ? pad + cells[c] : cells[c] + pad;
		}
		while (!line.empty() && line.back() == ' ')
			line.pop_back();
		out += line + '\n';
	};
	if (with_header)
		emit(headers_);
	for (const auto &row : rows_)
		emit(row);
	return out;
}

} // namespace ps

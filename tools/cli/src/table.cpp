// SPDX-License-Identifier: GPL-2.0-or-later
#include "pseudoscopic/table.hpp"

#include <cstdlib>
#include <libsmartcols.h>
#include <memory>
#include <stdexcept>

namespace ps {

namespace {

struct TableUnref {
	void operator()(libscols_table *tb) const { scols_unref_table(tb); }
};
// libsmartcols hands back the printed table in malloc()ed memory.
struct CharFree {
	void operator()(char *p) const { std::free(p); } // NOLINT(cppcoreguidelines-no-malloc,cppcoreguidelines-owning-memory)
};

void check(int rc, const char *what)
{
	if (rc != 0)
		throw std::runtime_error(std::string("libsmartcols: ") + what + " failed");
}

} // namespace

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

std::string Table::render(bool with_header, Style style) const
{
	const std::unique_ptr<libscols_table, TableUnref> tb(scols_new_table());
	if (!tb)
		throw std::runtime_error("libsmartcols: out of memory");
	// The whole table, whatever the terminal: no column is truncated.
	check(scols_table_set_termforce(tb.get(), SCOLS_TERMFORCE_NEVER), "set_termforce");
	check(scols_table_enable_noheadings(tb.get(), with_header ? 0 : 1), "enable_noheadings");
	check(scols_table_enable_raw(tb.get(), style == Style::raw ? 1 : 0), "enable_raw");
	check(scols_table_enable_export(tb.get(), style == Style::pairs ? 1 : 0), "enable_export");
	for (std::size_t c = 0; c < headers_.size(); c++) {
		const int flags = aligns_[c] == Align::right ? SCOLS_FL_RIGHT : 0;
		if (!scols_table_new_column(tb.get(), headers_[c].c_str(), 1, flags))
			throw std::runtime_error("libsmartcols: out of memory");
	}
	for (const auto &row : rows_) {
		libscols_line *ln = scols_table_new_line(tb.get(), nullptr);
		if (!ln)
			throw std::runtime_error("libsmartcols: out of memory");
		for (std::size_t c = 0; c < row.size(); c++)
			check(scols_line_set_data(ln, c, row[c].c_str()), "line_set_data");
	}
	char *text = nullptr;
	check(scols_print_table_to_string(tb.get(), &text), "print_table_to_string");
	const std::unique_ptr<char, CharFree> owned(text);
	std::string out = text ? text : "";
	// The library ends the last line without a newline; every line of
	// ours ends with one.
	if (!out.empty() && out.back() != '\n')
		out += '\n';
	return out;
}

} // namespace ps

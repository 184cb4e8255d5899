// SPDX-License-Identifier: GPL-2.0-or-later
#include <gtest/gtest.h>

#include <stdexcept>

#include "pseudoscopic/table.hpp"

TEST(Table, AlignsColumns)
{
	ps::Table t;
	t.add_column("NAME");
	t.add_column("SIZE", ps::Table::Align::right);
	t.add_row({"a", "256M"});
	t.add_row({"longer", "4G"});
	EXPECT_EQ(t.render(), "NAME   SIZE\n"
			      "a      256M\n"
			      "longer   4G\n");
}

TEST(Table, NoHeadings)
{
	ps::Table t;
	t.add_column("NAME");
	t.add_row({"x"});
	EXPECT_EQ(t.render(false), "x\n");
}

TEST(Table, RawIsOneSpaceBetweenCellsAndEscapes)
{
	ps::Table t;
	t.add_column("NAME");
	t.add_column("SIZE", ps::Table::Align::right);
	t.add_row({"a b", "256M"});
	t.add_row({"longer", "4G"});
	EXPECT_EQ(t.render(true, ps::Table::Style::raw), "NAME SIZE\n"
							 "a\\x20b 256M\n"
							 "longer 4G\n");
	EXPECT_EQ(t.render(false, ps::Table::Style::raw), "a\\x20b 256M\nlonger 4G\n");
}

TEST(Table, PairsQuoteEveryCell)
{
	ps::Table t;
	t.add_column("NAME");
	t.add_column("TO-VRAM", ps::Table::Align::right);
	t.add_row({"say \"hi\"", "12"});
	EXPECT_EQ(t.render(true, ps::Table::Style::pairs), "NAME=\"say \\x22hi\\x22\" TO-VRAM=\"12\"\n");
}

TEST(Table, WideTableIsNeverTruncated)
{
	ps::Table t;
	const std::string wide(300, 'x');
	t.add_column("A");
	t.add_column("B");
	t.add_row({wide, wide});
	EXPECT_EQ(t.render(false), wide + " " + wide + "\n");
}

TEST(Table, RejectsRaggedRows)
{
	ps::Table t;
	t.add_column("A");
	t.add_column("B");
	EXPECT_THROW(t.add_row({"only one"}), std::invalid_argument);
}

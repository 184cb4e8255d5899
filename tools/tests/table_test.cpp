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

TEST(Table, RawOmitsHeader)
{
	ps::Table t;
	t.add_column("NAME");
	t.add_row({"x"});
	EXPECT_EQ(t.render(false), "x\n");
}

TEST(Table, RejectsRaggedRows)
{
	ps::Table t;
	t.add_column("A");
	t.add_column("B");
	EXPECT_THROW(t.add_row({"only one"}), std::invalid_argument);
}

// SPDX-License-Identifier: GPL-2.0-or-later
#include <gtest/gtest.h>

#include "pseudoscopic/percentile.hpp"

TEST(Percentile, NearestRank)
{
	std::vector<double> v{5, 1, 4, 2, 3, 10, 9, 8, 7, 6};
	EXPECT_EQ(ps::percentile(v, 50), 5);
	EXPECT_EQ(ps::percentile(v, 99), 10);
	EXPECT_EQ(ps::percentile(v, 0), 1);
	EXPECT_EQ(ps::percentile(v, 100), 10);
	EXPECT_EQ(ps::percentile(v, 10), 1);
	EXPECT_EQ(ps::percentile(v, 11), 2);
}

TEST(Percentile, EmptyAndSingle)
{
	std::vector<double> none;
	EXPECT_EQ(ps::percentile(none, 50), 0);
	std::vector<double> one{42};
	EXPECT_EQ(ps::percentile(one, 99.9), 42);
}

// SPDX-License-Identifier: GPL-2.0-or-later
#include <gtest/gtest.h>

#include "pseudoscopic/units.hpp"

TEST(HumanBytes, WholeUnits)
{
	EXPECT_EQ(ps::human_bytes(0), "0B");
	EXPECT_EQ(ps::human_bytes(1023), "1023B");
	EXPECT_EQ(ps::human_bytes(1024), "1K");
	EXPECT_EQ(ps::human_bytes(256ULL << 20), "256M");
	EXPECT_EQ(ps::human_bytes(16ULL << 30), "16G");
}

TEST(HumanBytes, OneDecimal)
{
	EXPECT_EQ(ps::human_bytes(1536), "1.5K");
	EXPECT_EQ(ps::human_bytes((3ULL << 30) + (1ULL << 29)), "3.5G");
	// 1023.96K rounds up to the next unit value, not "1023.10K".
	EXPECT_EQ(ps::human_bytes(1048535), "1024K");
}

TEST(ParseSize, Suffixes)
{
	EXPECT_EQ(ps::parse_size("4096"), 4096U);
	EXPECT_EQ(ps::parse_size("256M"), 256ULL << 20);
	EXPECT_EQ(ps::parse_size("4g"), 4ULL << 30);
	EXPECT_EQ(ps::parse_size("2MiB"), 2ULL << 20);
	EXPECT_EQ(ps::parse_size("1KB"), 1024U);
}

TEST(ParseSize, Rejects)
{
	EXPECT_FALSE(ps::parse_size(""));
	EXPECT_FALSE(ps::parse_size("M"));
	EXPECT_FALSE(ps::parse_size("12Q"));
	EXPECT_FALSE(ps::parse_size("12MB7"));
	EXPECT_FALSE(ps::parse_size("-1"));
	EXPECT_FALSE(ps::parse_size("99999999999E"));
}

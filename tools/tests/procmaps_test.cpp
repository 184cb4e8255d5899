// SPDX-License-Identifier: GPL-2.0-or-later
// /proc/PID/maps parsing and mapping selection; address ranges.
#include <gtest/gtest.h>

#include <stdexcept>
#include <unistd.h>

#include "pseudoscopic/procmaps.hpp"
#include "pseudoscopic/ranges.hpp"

namespace {

const char *const sample =
	"55e0c0a00000-55e0c0a02000 r--p 00000000 08:01 1311      /usr/bin/work\n"
	"55e0c0a02000-55e0c0a03000 rw-p 00002000 08:01 1311      /usr/bin/work\n"
	"55e0c1c00000-55e0c1c21000 rw-p 00000000 00:00 0         [heap]\n"
	"7f1000000000-7f1000100000 rw-p 00000000 00:00 0 \n"
	"7f1000100000-7f1000200000 rw-s 00000000 00:05 99        /dev/zero (deleted)\n"
	"7f1000200000-7f1000201000 ---p 00000000 00:00 0 \n"
	"7f2000000000-7f2000028000 r--p 00000000 08:01 2222      /usr/lib/x86_64-linux-gnu/libc.so.6\n"
	"7f2000028000-7f200002a000 rw-p 00028000 08:01 2222      /usr/lib/x86_64-linux-gnu/libc.so.6\n"
	"7f3000000000-7f3000001000 rw-p 00000000 00:00 0         [anon:scratch]\n"
	"7f4000000000-7f4000002000 r--p 00000000 08:01 3333      /opt/my data/lib-extra.so\n"
	"7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0         [stack]\n"
	"7ffd00100000-7ffd00102000 r-xp 00000000 00:00 0         [vdso]\n"
	"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 [vsyscall]\n";

std::vector<std::string> names(const std::vector<ps::AddrRange> &r)
{
	std::vector<std::string> out;
	for (const auto &x : r)
		out.push_back(x.name);
	return out;
}

} // namespace

TEST(ProcMaps, ParsesEveryField)
{
	const auto m = ps::parse_maps(sample);
	ASSERT_EQ(m.size(), 13U);
	EXPECT_EQ(m[1].start, 0x55e0c0a02000U);
	EXPECT_EQ(m[1].end, 0x55e0c0a03000U);
	EXPECT_EQ(m[1].perms, "rw-p");
	EXPECT_EQ(m[1].offset, 0x2000U);
	EXPECT_EQ(m[1].inode, 1311U);
	EXPECT_EQ(m[1].path, "/usr/bin/work");
	EXPECT_EQ(m[3].path, "");
	EXPECT_EQ(m[4].path, "/dev/zero (deleted)");
	EXPECT_EQ(m[9].path, "/opt/my data/lib-extra.so");
	EXPECT_EQ(m[12].end, 0xffffffffff601000U);
	EXPECT_TRUE(m[2].anonymous());
	EXPECT_TRUE(m[3].anonymous());
	EXPECT_TRUE(m[8].anonymous());
	EXPECT_TRUE(m[10].anonymous());
	EXPECT_FALSE(m[11].anonymous());
	EXPECT_FALSE(m[1].anonymous());
	EXPECT_FALSE(m[4].is_private());
}

TEST(ProcMaps, RejectsGarbage)
{
	EXPECT_THROW(ps::parse_maps("hello world\n"), std::invalid_argument);
	EXPECT_THROW(ps::parse_maps("1000-zz rw-p 0 00:00 0\n"), std::invalid_argument);
	EXPECT_THROW(ps::parse_maps("2000-1000 rw-p 0 00:00 0\n"), std::invalid_argument);
	EXPECT_THROW(ps::parse_maps("1000-2000 rw 0 00:00 0\n"), std::invalid_argument);
	EXPECT_NO_THROW(ps::parse_maps("\n"));
}

TEST(ProcMaps, ReadsOwnMaps)
{
	const auto m = ps::read_maps(::getpid());
	bool stack = false;
	for (const auto &x : m)
		stack |= x.path == "[stack]";
	EXPECT_TRUE(stack);
	EXPECT_THROW(ps::read_maps(0x7ffffff0), std::system_error);
}

TEST(ProcMaps, MatchesByPathBasenameAndStem)
{
	const auto m = ps::parse_maps(sample);
	EXPECT_TRUE(ps::mapping_matches(m[2], "[heap]"));
	EXPECT_FALSE(ps::mapping_matches(m[2], "heap"));
	EXPECT_TRUE(ps::mapping_matches(m[6], "/usr/lib/x86_64-linux-gnu/libc.so.6"));
	EXPECT_TRUE(ps::mapping_matches(m[6], "libc.so.6"));
	EXPECT_TRUE(ps::mapping_matches(m[6], "libc"));
	EXPECT_TRUE(ps::mapping_matches(m[6], "libc.so"));
	EXPECT_FALSE(ps::mapping_matches(m[6], "lib"));
	EXPECT_FALSE(ps::mapping_matches(m[6], "libc.so.6.1"));
	EXPECT_TRUE(ps::mapping_matches(m[9], "lib"));
	EXPECT_TRUE(ps::mapping_matches(m[0], "work"));
	EXPECT_FALSE(ps::mapping_matches(m[3], ""));
}

TEST(ProcMaps, SelectsByNameAndAllAnon)
{
	const auto m = ps::parse_maps(sample);
	auto sel = ps::select_mappings(m, {"libc"}, false);
	ASSERT_EQ(sel.size(), 2U);
	EXPECT_EQ(sel[0].start, 0x7f2000000000U);
	EXPECT_EQ(sel[1].end, 0x7f200002a000U);
	EXPECT_EQ(names(ps::select_mappings(m, {}, true)),
		  (std::vector<std::string>{"[heap]", "[anon]", "[anon:scratch]", "[stack]"}));
	try {
		(void)ps::select_mappings(m, {"[heap]", "libfoo"}, false);
		FAIL() << "no error for a missing mapping";
	} catch (const std::invalid_argument &e) {
		EXPECT_STREQ(e.what(), "no mapping named 'libfoo' in the process (see /proc/PID/maps)");
	}
}

TEST(Ranges, ParsesEndsAndLengths)
{
	EXPECT_EQ(ps::parse_range("0x1000-0x3000", 4096), (ps::AddrRange{0x1000, 0x3000, "0x1000-0x3000"}));
	EXPECT_EQ(ps::parse_range("4096+8192", 4096).end, 12288U);
	EXPECT_EQ(ps::parse_range("0x10000+64K", 4096).end, 0x20000U);
	EXPECT_EQ(ps::parse_range("0x10000+0x2000", 4096).end, 0x12000U);
	EXPECT_EQ(ps::parse_range("0x7f0000000000+2M", 4096).end, 0x7f0000200000U);
}

TEST(Ranges, SaysWhatIsWrong)
{
	auto msg = [](const char *t) {
		try {
			(void)ps::parse_range(t, 4096);
		} catch (const std::invalid_argument &e) {
			return std::string(e.what());
		}
		return std::string("no error");
	};
	EXPECT_EQ(msg("0x1000"), "bad range '0x1000': expected START-END or START+LENGTH");
	EXPECT_EQ(msg("-0x1000"), "bad range '-0x1000': expected START-END or START+LENGTH");
	EXPECT_EQ(msg("0x1001-0x3000"), "bad range '0x1001-0x3000': start and end must be multiples of the page size (4096)");
	EXPECT_EQ(msg("0x1000+100"), "bad range '0x1000+100': start and end must be multiples of the page size (4096)");
	EXPECT_EQ(msg("0x3000-0x3000"), "bad range '0x3000-0x3000': it is empty (the end must be above the start)");
	EXPECT_EQ(msg("0xg000-0x3000"), "bad range '0xg000-0x3000': '0xg000' is not an address (hex with 0x, or decimal)");
	EXPECT_EQ(msg("0x1000+lots"), "bad range '0x1000+lots': 'lots' is not a length (bytes, K, M, G or 0x hex)");
	EXPECT_EQ(msg("0xfffffffffffff000+0x2000"), "bad range '0xfffffffffffff000+0x2000': it wraps around the address space");
}

TEST(Ranges, MergeKeepsTouchingMappingsApart)
{
	auto r = ps::merge_ranges({{0x5000, 0x6000, "b"}, {0x1000, 0x3000, "a"}, {0x2000, 0x4000, "r"},
				   {0x4000, 0x5000, "c"}, {0x1000, 0x3000, "a"}});
	ASSERT_EQ(r.size(), 3U);
	EXPECT_EQ(r[0], (ps::AddrRange{0x1000, 0x4000, "a,r"}));
	EXPECT_EQ(r[1], (ps::AddrRange{0x4000, 0x5000, "c"}));
	EXPECT_EQ(r[2], (ps::AddrRange{0x5000, 0x6000, "b"}));
}

TEST(Ranges, SplitIntoChunks)
{
	auto c = ps::split_range({0x0, 0x5000, "x"}, 0x2000);
	ASSERT_EQ(c.size(), 3U);
	EXPECT_EQ(c[0], (ps::AddrRange{0x0, 0x2000, "x"}));
	EXPECT_EQ(c[2], (ps::AddrRange{0x4000, 0x5000, "x"}));
	EXPECT_EQ(ps::split_range({0x0, 0x1000, "y"}, 1ULL << 30).size(), 1U);
	EXPECT_EQ(ps::format_range({0x1000, 0x2000, ""}), "0x1000-0x2000");
}

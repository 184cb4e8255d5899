// SPDX-License-Identifier: GPL-2.0-or-later
// ps-status's command line.
#include <gtest/gtest.h>

#include "parse_args.hpp"
#include "pseudoscopic/status.hpp"

namespace {

using Parsed = ps_test::Parsed<ps::StatusOptions>;

Parsed parse(const std::vector<std::string> &args)
{
	return ps_test::parse_args<ps::StatusOptions>(ps::parse_status_args, args);
}

} // namespace

TEST(StatusArgs, DefaultsToTheTable)
{
	auto p = parse({});
	ASSERT_EQ(p.rc, -1) << p.err;
	EXPECT_FALSE(p.opt.json);
	EXPECT_FALSE(p.opt.prometheus);
	EXPECT_FALSE(p.opt.raw);
	EXPECT_FALSE(p.opt.bytes);
	EXPECT_DOUBLE_EQ(p.opt.watch, 0.0);
	EXPECT_EQ(p.opt.count, 0);
	EXPECT_EQ(p.opt.sysfs, "/sys");
}

TEST(StatusArgs, EachFlag)
{
	EXPECT_TRUE(parse({"--json"}).opt.json);
	EXPECT_TRUE(parse({"-J"}).opt.json);
	EXPECT_TRUE(parse({"--prometheus"}).opt.prometheus);
	auto p = parse({"-r", "-b"});
	ASSERT_EQ(p.rc, -1) << p.err;
	EXPECT_TRUE(p.opt.raw);
	EXPECT_TRUE(p.opt.bytes);
	p = parse({"--raw", "--bytes", "--sysfs-root", "/tmp/fake"});
	ASSERT_EQ(p.rc, -1) << p.err;
	EXPECT_TRUE(p.opt.raw);
	EXPECT_TRUE(p.opt.bytes);
	EXPECT_EQ(p.opt.sysfs, "/tmp/fake");
}

TEST(StatusArgs, WatchTakesAnOptionalInterval)
{
	auto p = parse({"--watch"});
	ASSERT_EQ(p.rc, -1) << p.err;
	EXPECT_DOUBLE_EQ(p.opt.watch, 1.0);
	p = parse({"-w", "0.5", "--count", "3"});
	ASSERT_EQ(p.rc, -1) << p.err;
	EXPECT_DOUBLE_EQ(p.opt.watch, 0.5);
	EXPECT_EQ(p.opt.count, 3);
	p = parse({"--watch", "--count", "2"});
	ASSERT_EQ(p.rc, -1) << p.err;
	EXPECT_DOUBLE_EQ(p.opt.watch, 1.0);
	EXPECT_EQ(p.opt.count, 2);
	p = parse({"--watch=2.5", "-r"});
	ASSERT_EQ(p.rc, -1) << p.err;
	EXPECT_DOUBLE_EQ(p.opt.watch, 2.5);
	EXPECT_TRUE(p.opt.raw);
}

TEST(StatusArgs, UsageErrorsExitTwoWithAReason)
{
	struct Case {
		std::vector<std::string> args;
		const char *says;
	};
	const std::vector<Case> cases = {
		{{"--watch", "0"}, "--watch: SECONDS must be a number above 0, not '0'"},
		{{"--watch", "-1"}, "--watch: SECONDS must be a number above 0, not '-1'"},
		{{"-w", "soon"}, "--watch: SECONDS must be a number above 0, not 'soon'"},
		{{"--watch", "1", "--count", "0"}, "--count: N must be a whole number above 0, not '0'"},
		{{"--watch", "1", "--count", "1.5"}, "--count: N must be a whole number above 0, not '1.5'"},
		{{"--json", "--prometheus"}, "--json excludes --prometheus"},
		{{"--watch", "--json"}, "excludes"},
		{{"--prometheus", "-w", "2"}, "--prometheus excludes --watch"},
		{{"--bogus"}, "The following argument was not expected: --bogus"},
	};
	for (const auto &c : cases) {
		auto p = parse(c.args);
		EXPECT_EQ(p.rc, 2) << c.args[0] << " ... " << c.args.back();
		EXPECT_NE(p.err.find(c.says), std::string::npos) << "expected '" << c.says << "' in: " << p.err;
		EXPECT_EQ(p.out, "");
	}
}

TEST(StatusArgs, HelpExitsZeroAndDocumentsExitStatus)
{
	auto p = parse({"--help"});
	EXPECT_EQ(p.rc, 0) << p.err;
	EXPECT_NE(p.out.find("--watch"), std::string::npos) << p.out;
	EXPECT_NE(p.out.find("--prometheus"), std::string::npos) << p.out;
	EXPECT_NE(p.out.find("Exit status: 0 on success, 1 if the pseudoscopic module is not loaded, 2 on usage errors."),
		  std::string::npos)
		<< p.out;
	EXPECT_EQ(p.out.find("--sysfs-root"), std::string::npos) << "a hidden option:\n" << p.out;
}

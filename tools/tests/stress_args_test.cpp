// SPDX-License-Identifier: GPL-2.0-or-later
// ps-stress's command line.
#include <gtest/gtest.h>

#include "parse_args.hpp"
#include "pseudoscopic/stress.hpp"

namespace {

using Parsed = ps_test::Parsed<ps::StressOptions>;

Parsed parse(const std::vector<std::string> &args)
{
	return ps_test::parse_args<ps::StressOptions>(ps::parse_stress_args, args);
}

} // namespace

TEST(StressArgs, Defaults)
{
	auto p = parse({});
	ASSERT_EQ(p.rc, -1) << p.err;
	EXPECT_EQ(p.opt.device, "");
	EXPECT_EQ(p.opt.threads, 4);
	EXPECT_EQ(p.opt.procs, 1);
	EXPECT_DOUBLE_EQ(p.opt.duration, 10.0);
	EXPECT_EQ(p.opt.size_mib, 16U);
	EXPECT_EQ(p.opt.seed, 1U);
	EXPECT_FALSE(p.opt.json);
	EXPECT_FALSE(p.opt.corrupt_one);
	EXPECT_EQ(p.out, "");
	EXPECT_EQ(p.err, "");
}

TEST(StressArgs, LongFlags)
{
	auto p = parse({"--device", "/dev/pseudoscopic1", "--threads", "8", "--procs", "3", "--duration", "2.5",
			"--size", "64", "--seed", "42", "--json", "--corrupt-one"});
	ASSERT_EQ(p.rc, -1) << p.err;
	EXPECT_EQ(p.opt.device, "/dev/pseudoscopic1");
	EXPECT_EQ(p.opt.threads, 8);
	EXPECT_EQ(p.opt.procs, 3);
	EXPECT_DOUBLE_EQ(p.opt.duration, 2.5);
	EXPECT_EQ(p.opt.size_mib, 64U);
	EXPECT_EQ(p.opt.seed, 42U);
	EXPECT_TRUE(p.opt.json);
	EXPECT_TRUE(p.opt.corrupt_one);
}

TEST(StressArgs, ShortFlagsAndEqualsSyntax)
{
	auto p = parse({"-d", "/dev/x", "-T", "2", "-N", "5", "-D", "0.1", "-s", "1", "-J"});
	ASSERT_EQ(p.rc, -1) << p.err;
	EXPECT_EQ(p.opt.device, "/dev/x");
	EXPECT_EQ(p.opt.threads, 2);
	EXPECT_EQ(p.opt.procs, 5);
	EXPECT_DOUBLE_EQ(p.opt.duration, 0.1);
	EXPECT_EQ(p.opt.size_mib, 1U);
	EXPECT_TRUE(p.opt.json);
	p = parse({"--duration=3600", "--threads=256", "--procs=64", "--size=1048576", "--seed=7"});
	ASSERT_EQ(p.rc, -1) << p.err;
	EXPECT_DOUBLE_EQ(p.opt.duration, 3600.0);
	EXPECT_EQ(p.opt.threads, 256);
	EXPECT_EQ(p.opt.procs, 64);
	EXPECT_EQ(p.opt.size_mib, 1U << 20);
	EXPECT_EQ(p.opt.seed, 7U);
}

TEST(StressArgs, UsageErrorsExitTwoWithAReason)
{
	struct Case {
		std::vector<std::string> args;
		const char *says;
	};
	const std::vector<Case> cases = {
		{{"--threads", "0"}, "--threads: Value 0 not in range 1 to 256"},
		{{"--threads", "-1"}, "--threads: Value -1 not in range 1 to 256"},
		{{"-T", "257"}, "--threads: Value 257 not in range 1 to 256"},
		{{"-t", "2"}, "-t"}, // --threads is -T: -t is ps-migrate's --to
		{{"--threads", "many"}, "--threads"},
		{{"--procs", "0"}, "--procs: Value 0 not in range 1 to 64"},
		{{"--procs", "65"}, "--procs: Value 65 not in range 1 to 64"},
		{{"--size", "0"}, "--size: SIZE must be a size from 1M to 1048576M"},
		{{"--size", "1536K"}, "not '1536K'"},
		{{"--size", "2T"}, "not '2T'"},
		{{"--size", "-4"}, "--size"},
		{{"--duration", "0"}, "--duration: Value 0 not in range"},
		{{"--duration=86401"}, "--duration: Value 86401 not in range"},
		{{"--duration", "soon"}, "--duration"},
		{{"--threads"}, "--threads"},
		{{"--bogus"}, "The following argument was not expected: --bogus"},
		{{"extra"}, "The following argument was not expected: extra"},
	};
	for (const auto &c : cases) {
		auto p = parse(c.args);
		EXPECT_EQ(p.rc, 2) << c.args[0];
		EXPECT_NE(p.err.find(c.says), std::string::npos) << "expected '" << c.says << "' in: " << p.err;
		EXPECT_EQ(p.err.rfind("ps-stress: ", 0), 0U) << "names the tool: " << p.err;
		EXPECT_NE(p.err.find("\nTry 'ps-stress --help' for more information.\n"), std::string::npos) << p.err;
		EXPECT_EQ(p.out, "");
	}
}

TEST(StressArgs, HelpNamesEveryOperationAndTheExitStatus)
{
	auto p = parse({"--help"});
	EXPECT_EQ(p.rc, 0) << p.err;
	for (const char *flag : {"--threads", "--procs", "--duration", "--size", "--seed", "--json", "--device"})
		EXPECT_NE(p.out.find(flag), std::string::npos) << flag << " in:\n" << p.out;
	for (const char *op : ps::stress_op_names)
		EXPECT_NE(p.out.find(op), std::string::npos) << op << " in:\n" << p.out;
	for (const char *advice : {"MADV_DONTNEED", "MADV_FREE", "MADV_PAGEOUT"})
		EXPECT_NE(p.out.find(advice), std::string::npos) << advice << " in:\n" << p.out;
	EXPECT_NE(p.out.find("Exit status: 0 if every check passed, 1 on corruption or an unexpected error, 2 on "
			     "usage errors."),
		  std::string::npos)
		<< p.out;
	EXPECT_EQ(p.out.find("--corrupt-one"), std::string::npos) << "a hidden option:\n" << p.out;
}

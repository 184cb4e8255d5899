// SPDX-License-Identifier: GPL-2.0-or-later
// ps-status's command line.
#include <gtest/gtest.h>

#include "parse_args.hpp"
#include "pseudoscopic/status.hpp"
#include "pseudoscopic/status_columns.hpp"
#include "pseudoscopic/version.hpp"

#include <linux/pseudoscopic.h>

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
	p = parse({"--watch=2.5", "-b"});
	ASSERT_EQ(p.rc, -1) << p.err;
	EXPECT_DOUBLE_EQ(p.opt.watch, 2.5);
	EXPECT_TRUE(p.opt.bytes);
}

TEST(StatusArgs, ColumnsAndDevicesTheUtilLinuxWay)
{
	auto names = [](const ps::StatusOptions &o) {
		std::string out;
		for (const auto *c : o.columns)
			out += std::string(out.empty() ? "" : ",") + c->name;
		return out;
	};
	auto p = parse({});
	ASSERT_EQ(p.rc, -1) << p.err;
	EXPECT_FALSE(p.opt.columns_chosen);
	EXPECT_EQ(names(p.opt), "DEVICE,NODE,VENDOR:ID,FAMILY,STATE,BAR,SIZE,POOL,USED,TO-VRAM,TO-RAM,FAULTS");
	p = parse({"-o", "device,Pool,USE%", "-n", "-r", "-b"});
	ASSERT_EQ(p.rc, -1) << p.err;
	EXPECT_TRUE(p.opt.columns_chosen);
	EXPECT_EQ(names(p.opt), "DEVICE,POOL,USE%");
	EXPECT_TRUE(p.opt.noheadings);
	EXPECT_TRUE(p.opt.raw);
	EXPECT_TRUE(p.opt.bytes);
	p = parse({"--output", "+EVICTED", "-P"});
	ASSERT_EQ(p.rc, -1) << p.err;
	EXPECT_EQ(names(p.opt), "DEVICE,NODE,VENDOR:ID,FAMILY,STATE,BAR,SIZE,POOL,USED,TO-VRAM,TO-RAM,FAULTS,EVICTED");
	EXPECT_TRUE(p.opt.pairs);
	p = parse({"--output-all", "-J", "pseudoscopic1", "0000:03:00.0"});
	ASSERT_EQ(p.rc, -1) << p.err;
	EXPECT_EQ(p.opt.columns.size(), ps::status_columns().size());
	EXPECT_EQ(p.opt.devices, (std::vector<std::string>{"pseudoscopic1", "0000:03:00.0"}));
	p = parse({"--prometheus", "--textfile", "/tmp/m.prom"});
	ASSERT_EQ(p.rc, -1) << p.err;
	EXPECT_EQ(p.opt.textfile, "/tmp/m.prom");
}

TEST(StatusArgs, VersionNamesThePackageAndBothUapiVersions)
{
	auto p = parse({"--version"});
	EXPECT_EQ(p.rc, 0) << p.err;
	EXPECT_EQ(p.out.rfind(std::string("ps-status (pseudoscopic) ") + ps::package_version() + ", uapi " +
				      std::to_string(PS_UAPI_VERSION) + "\n",
			      0),
		  0U)
		<< p.out;
	EXPECT_NE(p.out.find("\ndriver: "), std::string::npos) << p.out;
	EXPECT_EQ(parse({"-V"}).out, p.out);
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
		{{"--watch", "-r"}, "excludes"},
		{{"--prometheus", "-w", "2"}, "--prometheus excludes --watch"},
		{{"--bogus"}, "The following argument was not expected: --bogus"},
		{{"-o", "DEVICE,NOPE"}, "unknown column: 'NOPE'"},
		{{"-o", ""}, "unknown column: ''"},
		{{"-o", "DEVICE", "--output-all"}, "excludes"},
		{{"-r", "-P"}, "excludes"},
		{{"-J", "-r"}, "excludes"},
		{{"-J", "-n"}, "excludes"},
		{{"--count", "2"}, "requires"},
		{{"--textfile", "/tmp/x"}, "requires"},
	};
	for (const auto &c : cases) {
		auto p = parse(c.args);
		EXPECT_EQ(p.rc, 2) << c.args[0] << " ... " << c.args.back();
		EXPECT_NE(p.err.find(c.says), std::string::npos) << "expected '" << c.says << "' in: " << p.err;
		EXPECT_EQ(p.err.rfind("ps-status: ", 0), 0U) << "names the tool: " << p.err;
		EXPECT_NE(p.err.find("\nTry 'ps-status --help' for more information.\n"), std::string::npos) << p.err;
		EXPECT_EQ(p.out, "");
	}
}

TEST(StatusArgs, HelpExitsZeroAndDocumentsExitStatus)
{
	auto p = parse({"--help"});
	EXPECT_EQ(p.rc, 0) << p.err;
	EXPECT_NE(p.out.find("--watch"), std::string::npos) << p.out;
	EXPECT_NE(p.out.find("--prometheus"), std::string::npos) << p.out;
	EXPECT_NE(p.out.find("Exit status: 0 on success; 1 if the module is not loaded"), std::string::npos) << p.out;
	EXPECT_NE(p.out.find("3 if a device listed is lost"), std::string::npos) << p.out;
	// Every column is listed, and CLI11's own noise is not.
	for (const auto &c : ps::status_columns())
		EXPECT_NE(p.out.find(std::string(" ") + c.name + "  "), std::string::npos) << c.name;
	for (const char *noise : {"TEXT", "FLOAT", "INT", "Excludes", "Needs", "[ARG]"})
		EXPECT_EQ(p.out.find(noise), std::string::npos) << noise << " in:\n" << p.out;
	EXPECT_EQ(p.out.find("--sysfs-root"), std::string::npos) << "a hidden option:\n" << p.out;
}

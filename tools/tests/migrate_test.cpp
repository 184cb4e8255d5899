// SPDX-License-Identifier: GPL-2.0-or-later
// ps-migrate's command line, summaries, query tables and progress bar.
#include <gtest/gtest.h>

#include <cerrno>
#include <nlohmann/json.hpp>
#include <sstream>

#include "pseudoscopic/migrate.hpp"
#include "parse_args.hpp"

namespace {

using Parsed = ps_test::Parsed<ps::MigrateOptions>;

Parsed parse(const std::vector<std::string> &args)
{
	return ps_test::parse_args<ps::MigrateOptions>(
		[](const auto &a, auto &opt, auto &out, auto &err) { return ps::parse_migrate_args(a, opt, out, err); },
		args);
}

} // namespace

TEST(MigrateArgs, PidAllAnonToVram)
{
	auto p = parse({"--pid", "1234", "--to", "vram", "--all-anon"});
	ASSERT_EQ(p.rc, -1) << p.err;
	EXPECT_EQ(p.opt.pid, 1234);
	EXPECT_EQ(p.opt.direction, PS_TO_VRAM);
	EXPECT_TRUE(p.opt.all_anon);
	EXPECT_TRUE(p.opt.command.empty());
	EXPECT_EQ(ps::migrate_flags(p.opt), 0U);
}

TEST(MigrateArgs, RangesAndMapsRepeat)
{
	auto p = parse({"-p", "7", "-t", "ram", "--range", "0x1000-0x3000", "--range", "8192+4K", "-m", "[heap]", "--map",
			"libc"});
	ASSERT_EQ(p.rc, -1) << p.err;
	ASSERT_EQ(p.opt.ranges.size(), 2U);
	EXPECT_EQ(p.opt.ranges[0].start, 0x1000U);
	EXPECT_EQ(p.opt.ranges[0].end, 0x3000U);
	EXPECT_EQ(p.opt.ranges[1].start, 8192U);
	EXPECT_EQ(p.opt.ranges[1].end, 12288U);
	EXPECT_EQ(p.opt.maps, (std::vector<std::string>{"[heap]", "libc"}));
	EXPECT_EQ(p.opt.direction, PS_TO_RAM);
	EXPECT_FALSE(p.opt.all_anon);
}

TEST(MigrateArgs, CommandAfterDoubleDash)
{
	auto p = parse({"--to", "vram", "-a", "--delay", "2.5", "--", "./work", "--big", "-x"});
	ASSERT_EQ(p.rc, -1) << p.err;
	EXPECT_EQ(p.opt.command, (std::vector<std::string>{"./work", "--big", "-x"}));
	EXPECT_DOUBLE_EQ(p.opt.delay, 2.5);
	EXPECT_EQ(p.opt.pid, 0);
}

TEST(MigrateArgs, AfterRssParsesSize)
{
	auto p = parse({"--to", "vram", "-a", "--after-rss", "8M", "--", "prog"});
	ASSERT_EQ(p.rc, -1) << p.err;
	EXPECT_EQ(p.opt.after_rss, 8ULL << 20);
	EXPECT_EQ(parse({"--to", "vram", "-a", "--after-rss", "lots", "--", "prog"}).rc, 2);
	EXPECT_EQ(parse({"--to", "vram", "-a", "--after-rss", "8M", "--delay", "1", "--", "prog"}).rc, 2);
}

TEST(MigrateArgs, FlagsMapToUapi)
{
	auto p = parse({"--pid", "1", "--to", "vram", "-a", "--pin", "--no-evict"});
	ASSERT_EQ(p.rc, -1) << p.err;
	EXPECT_EQ(ps::migrate_flags(p.opt), PS_MIGRATE_PIN | PS_MIGRATE_NO_EVICT);
	p = parse({"--pid", "1", "--to", "ram", "-a", "--async"});
	ASSERT_EQ(p.rc, -1) << p.err;
	EXPECT_EQ(ps::migrate_flags(p.opt), PS_MIGRATE_ASYNC);
	p = parse({"--pid", "1", "--to", "vram", "-a", "--unpin"});
	ASSERT_EQ(p.rc, -1) << p.err;
	EXPECT_EQ(ps::migrate_flags(p.opt), PS_MIGRATE_UNPIN);
}

TEST(MigrateArgs, QueryDefaultsToAllAnon)
{
	auto p = parse({"--pid", "1", "--query"});
	ASSERT_EQ(p.rc, -1) << p.err;
	EXPECT_TRUE(p.opt.query);
	EXPECT_TRUE(p.opt.all_anon);
	EXPECT_EQ(p.opt.direction, 0U);
	p = parse({"--pid", "1", "--query", "--map", "[stack]"});
	ASSERT_EQ(p.rc, -1) << p.err;
	EXPECT_FALSE(p.opt.all_anon);
}

TEST(MigrateArgs, UsageErrorsExitTwoWithAReason)
{
	struct Case {
		std::vector<std::string> args;
		const char *says;
	};
	const std::vector<Case> cases = {
		{{"--to", "vram", "-a"}, "no target"},
		{{"--pid", "1", "-a"}, "--to vram or --to ram"},
		{{"--pid", "1", "--to", "disk", "-a"}, "disk"},
		{{"--pid", "1", "--to", "vram"}, "nothing selected"},
		{{"--pid", "1", "--to", "vram", "--range", "0x1001-0x2000"}, "multiples of the page size"},
		{{"--pid", "1", "--to", "vram", "--range", "0x2000-0x1000"}, "empty"},
		{{"--pid", "1", "--to", "vram", "--range", "lots"}, "START-END or START+LENGTH"},
		{{"--pid", "1", "--to", "ram", "-a", "--pin"}, "--pin and --unpin go with --to vram"},
		{{"--pid", "1", "--to", "ram", "-a", "--unpin"}, "--pin and --unpin go with --to vram"},
		{{"--pid", "1", "--to", "vram", "-a", "--pin", "--unpin"}, "excludes"},
		{{"--pid", "1", "--to", "vram", "-a", "--async"}, "--async goes with --to ram"},
		{{"--pid", "1", "--to", "ram", "-a", "--cold", "5"}, "--cold goes with --to vram"},
		{{"--pid", "1", "--query", "--to", "vram"}, "excludes"},
		{{"--pid", "0", "--to", "vram", "-a"}, "--pid"},
		{{"--pid", "1", "--to", "vram", "-a", "--", "cmd"}, "excludes"},
		{{"--pid", "1", "--to", "vram", "-a", "--delay", "3"}, "requires"},
		{{"--pid", "1", "--to", "vram", "-a", "--chunk", "1000"}, "multiple of the page size"},
	};
	for (const auto &c : cases) {
		auto p = parse(c.args);
		EXPECT_EQ(p.rc, 2) << c.args[0] << " ... " << c.args.back();
		EXPECT_NE(p.err.find(c.says), std::string::npos) << "expected '" << c.says << "' in: " << p.err;
	}
}

TEST(MigrateArgs, HelpExitsZeroAndDocumentsExitStatus)
{
	auto p = parse({"--help"});
	EXPECT_EQ(p.rc, 0);
	EXPECT_NE(p.out.find("--all-anon"), std::string::npos);
	EXPECT_NE(p.out.find("Exit status: 0 on success, 1 on errors, 2 on usage errors"), std::string::npos);
}

TEST(MigrateSummary, CountsEveryReason)
{
	ps::MoveTotals t;
	ps_migrate m{};
	m.migrated = 1000;
	m.skipped_absent = 20;
	m.skipped_unmovable = 3;
	m.skipped_no_space = 1;
	m.skipped_elsewhere = 0;
	t.add(m, 1024);
	m.migrated = 24;
	m.skipped_absent = 0;
	m.skipped_unmovable = 0;
	m.skipped_no_space = 0;
	t.add(m, 24);
	EXPECT_EQ(t.requested, 1048U);
	EXPECT_EQ(t.migrated, 1024U);
	EXPECT_EQ(t.calls, 2U);
	EXPECT_EQ(ps::format_summary(t, PS_TO_VRAM, false, 4096),
		  "moved 1024 of 1048 pages (4M) to VRAM; skipped: 20 not populated, 3 unmovable, 1 no space, "
		  "0 already there or on another device\n");
	EXPECT_EQ(ps::format_summary(t, PS_TO_RAM, true, 4096),
		  "prefetch to RAM started for 1048 pages (4.1M); asynchronous: no counts\n");
	const nlohmann::json j = t;
	EXPECT_EQ(j["migrated"], 1024);
	EXPECT_EQ(j["skipped"]["absent"], 20);
	EXPECT_EQ(j["skipped"]["no_space"], 1);
}

TEST(MigrateProgress, BarFillsAndFits)
{
	EXPECT_EQ(ps::render_progress(0, 64ULL << 20, 40), "[..................]   0%      0B of 64M");
	EXPECT_EQ(ps::render_progress(32ULL << 20, 64ULL << 20, 40), "[#########.........]  50%     32M of 64M");
	const auto full = ps::render_progress(64ULL << 20, 64ULL << 20, 40);
	EXPECT_EQ(full, "[##################] 100%     64M of 64M");
	EXPECT_EQ(full.size(), 40U);
}

TEST(MigrateQuery, TableAndJson)
{
	ps::RangeResidency heap{{0x1000, 0x5000, "[heap]"}, {}};
	heap.counts[ps::st_device] = 2;
	heap.counts[ps::st_ram] = 1;
	heap.counts[ps::st_swapped] = 1;
	ps::RangeResidency anon{{0x10000, 0x12000, "[anon]"}, {}};
	anon.counts[ps::st_absent] = 1;
	anon.counts[ps::st_other] = 1;
	const std::string t = ps::format_query({heap, anon});
	EXPECT_NE(t.find("RANGE           MAPPING PAGES VRAM RAM OTHER SWAPPED ABSENT"), std::string::npos) << t;
	EXPECT_NE(t.find("0x1000-0x5000   [heap]      4    2   1     0       1      0"), std::string::npos) << t;
	EXPECT_NE(t.find("0x10000-0x12000 [anon]      2    0   0     1       0      1"), std::string::npos) << t;
	EXPECT_NE(t.find("total                       6    2   1     1       1      1"), std::string::npos) << t;
	const auto j = ps::query_json({heap, anon}, 42, 4096);
	EXPECT_EQ(j["pid"], 42);
	EXPECT_EQ(j["ranges"][0]["mapping"], "[heap]");
	EXPECT_EQ(j["ranges"][0]["pages"], 4);
	EXPECT_EQ(j["ranges"][0]["pages_by_state"]["vram"], 2);
	EXPECT_EQ(j["total"]["swapped"], 1);
	EXPECT_EQ(j["total"]["other_device"], 1);
}

TEST(MigrateErrors, ExplainsPermissionAndMissingProcess)
{
	EXPECT_NE(ps::explain_errno(EPERM, 5, "x").find("ptrace"), std::string::npos);
	EXPECT_NE(ps::explain_errno(EACCES, 5, "x").find("permission denied: acting on process 5"), std::string::npos);
	EXPECT_EQ(ps::explain_errno(ESRCH, 5, "pidfd_open(5)"),
		  "pidfd_open(5): no process 5 (it does not exist or has exited)");
}

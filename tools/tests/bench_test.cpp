// SPDX-License-Identifier: GPL-2.0-or-later
// ps-bench: command line, plan, repetitions (medians, spread, ratios per
// repetition), random-fault sampling without replacement, moved-page
// accounting, reports, the byte checker and the dmirror ABI.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <system_error>

#include "pseudoscopic/bench.hpp"
#include "pseudoscopic/dmirror.hpp"
#include "parse_args.hpp"

namespace {

using ps::Contender;

ps_test::Parsed<ps::BenchOptions> parse(const std::vector<std::string> &args)
{
	return ps_test::parse_args<ps::BenchOptions>(ps::parse_bench_args, args);
}

ps::BenchEnvironment everything()
{
	ps::BenchEnvironment env;
	env.device = "/dev/pseudoscopic0";
	env.dmirror = true;
	env.zram_swap = "/dev/zram0";
	return env;
}

ps::Measurement one(const char *name, const char *what, double value, const char *unit)
{
	return {name, what, unit, {value}, {}};
}

// One repetition: every median is that repetition's value.
ps::BenchResults sample_results()
{
	ps::BenchResults r;
	r.size_bytes = 64ULL << 20;
	r.samples = 2000;
	r.repetitions = 1;
	r.seed = 1;
	r.device = "/dev/pseudoscopic0";
	r.ran = {Contender::memcpy, Contender::pseudoscopic, Contender::zram};
	r.skipped = {{Contender::dmirror, "no /dev/hmm_dmirror0"}};
	r.measurements = {
		one("memcpy", "memcpy", 469.3, "MB/s"),
		one("pseudoscopic_to_vram", "to VRAM", 99.4, "MB/s"),
		one("pseudoscopic_fault_seq", "faults", 87.8, "MB/s"),
		one("pseudoscopic_fault_p50", "p50", 122.0, "us"),
		one("pseudoscopic_fault_p99", "p99", 666.0, "us"),
		one("zram_pageout", "page out", 49.4, "MB/s"),
		one("zram_fault_seq", "faults", 17.9, "MB/s"),
		one("zram_fault_p50", "p50", 143.0, "us"),
		one("zram_fault_p99", "p99", 0.0, "us"),
	};
	r.measurements[1].pages = {16384};
	return r;
}

} // namespace

TEST(BenchArgs, Defaults)
{
	auto p = parse({});
	ASSERT_EQ(p.rc, -1) << p.err;
	EXPECT_EQ(p.opt.size_mib, 64U);
	EXPECT_EQ(p.opt.bytes(), 64U << 20);
	EXPECT_EQ(p.opt.samples, 2000U);
	EXPECT_EQ(p.opt.repetitions, 5U); // the issue asks for at least five
	EXPECT_TRUE(p.opt.only.empty());
	EXPECT_TRUE(p.opt.device.empty());
	EXPECT_FALSE(p.opt.json);
	EXPECT_FALSE(p.opt.raw);
	for (const Contender c : ps::all_contenders) {
		EXPECT_TRUE(p.opt.wanted(c));
		EXPECT_FALSE(p.opt.named(c));
	}
}

TEST(BenchArgs, OnlyListInRunningOrderWithoutRepeats)
{
	auto p = parse({"--only", "zram,memcpy,zram", "--size", "8", "--samples", "10", "--seed", "9", "-d",
			"/dev/pseudoscopic1", "--raw", "--repeat", "7"});
	ASSERT_EQ(p.rc, -1) << p.err;
	EXPECT_EQ(p.opt.only, (std::vector<Contender>{Contender::memcpy, Contender::zram}));
	EXPECT_TRUE(p.opt.wanted(Contender::zram));
	EXPECT_FALSE(p.opt.wanted(Contender::pseudoscopic));
	EXPECT_EQ(p.opt.size_mib, 8U);
	EXPECT_EQ(p.opt.samples, 10U);
	EXPECT_EQ(p.opt.seed, 9U);
	EXPECT_EQ(p.opt.repetitions, 7U);
	EXPECT_EQ(p.opt.device, "/dev/pseudoscopic1");
	EXPECT_TRUE(p.opt.raw);
}

TEST(BenchArgs, UsageErrorsExitTwo)
{
	const std::vector<std::vector<std::string>> bad = {
		{"--only", "memcpy,gpu"}, {"--only", ""},	  {"--only", "memcpy,,zram"}, {"--size", "0"},
		{"--size", "lots"},	  {"--samples", "0"}, {"--json", "--raw"},	      {"--frobnicate"},
		{"--repeat", "0"},	  {"-R", "1001"},
	};
	for (const auto &args : bad) {
		auto p = parse(args);
		EXPECT_EQ(p.rc, 2) << args[0];
		EXPECT_FALSE(p.err.empty()) << args[0];
	}
	auto p = parse({"--only", "memcpy,gpu"});
	EXPECT_NE(p.err.find("'gpu' is not a contender"), std::string::npos) << p.err;
}

TEST(BenchArgs, HelpExitsZero)
{
	auto p = parse({"--help"});
	EXPECT_EQ(p.rc, 0);
	EXPECT_NE(p.out.find("--only"), std::string::npos);
	EXPECT_NE(p.out.find("ratios within one run"), std::string::npos);
	EXPECT_NE(p.out.find("--repeat"), std::string::npos);
}

TEST(BenchPlan, EverythingPresentRunsAll)
{
	const auto plan = ps::plan_bench(ps::BenchOptions{}, everything());
	EXPECT_EQ(plan.run, (std::vector<Contender>(ps::all_contenders.begin(), ps::all_contenders.end())));
	EXPECT_TRUE(plan.skipped.empty());
	EXPECT_TRUE(plan.errors.empty());
	EXPECT_EQ(plan.device, "/dev/pseudoscopic0");
}

TEST(BenchPlan, MissingReferenceIsSkippedWithAReason)
{
	auto env = everything();
	env.dmirror = false;
	env.zram_swap.clear();
	const auto plan = ps::plan_bench(ps::BenchOptions{}, env);
	EXPECT_EQ(plan.run, (std::vector<Contender>{Contender::memcpy, Contender::pseudoscopic}));
	ASSERT_EQ(plan.skipped.size(), 2U);
	EXPECT_EQ(plan.skipped[0].contender, Contender::dmirror);
	EXPECT_NE(plan.skipped[0].reason.find("/dev/hmm_dmirror0"), std::string::npos);
	EXPECT_EQ(plan.skipped[1].contender, Contender::zram);
	EXPECT_NE(plan.skipped[1].reason.find("/proc/swaps"), std::string::npos);
	EXPECT_TRUE(plan.errors.empty());
}

TEST(BenchPlan, MissingContenderNamedInOnlyIsAnError)
{
	auto env = everything();
	env.dmirror = false;
	ps::BenchOptions opt;
	opt.only = {Contender::dmirror};
	const auto plan = ps::plan_bench(opt, env);
	ASSERT_EQ(plan.errors.size(), 1U);
	EXPECT_NE(plan.errors[0].find("dmirror (asked for with --only)"), std::string::npos) << plan.errors[0];
	EXPECT_TRUE(plan.skipped.empty());
}

TEST(BenchPlan, MissingPseudoscopicIsAnErrorUnlessLeftOut)
{
	auto env = everything();
	env.device.clear();
	env.no_device_why = "no /dev/pseudoscopicN: the pseudoscopic module is not loaded";
	auto plan = ps::plan_bench(ps::BenchOptions{}, env);
	ASSERT_EQ(plan.errors.size(), 1U);
	EXPECT_NE(plan.errors[0].find("module is not loaded"), std::string::npos) << plan.errors[0];

	ps::BenchOptions opt;
	opt.only = {Contender::memcpy, Contender::zram};
	plan = ps::plan_bench(opt, env);
	EXPECT_TRUE(plan.errors.empty());
	EXPECT_EQ(plan.run, (std::vector<Contender>{Contender::memcpy, Contender::zram}));
}

TEST(BenchEnvironment, ZramSwapFromProcSwaps)
{
	EXPECT_EQ(ps::zram_swap_in("Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
				   "/dev/sda2                               partition\t1048572\t\t0\t\t-2\n"
				   "/dev/zram1                              partition\t524284\t\t0\t\t100\n"),
		  "/dev/zram1");
	EXPECT_EQ(ps::zram_swap_in("Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
				   "/swapfile                               file\t\t1048572\t\t0\t\t-2\n"),
		  "");
	EXPECT_EQ(ps::zram_swap_in(""), "");
}

TEST(BenchRatios, RowsDirectionAndValues)
{
	const auto r = sample_results();
	const auto ratios = ps::compute_ratios(r);
	// dmirror did not run: only the memcpy and zram rows, in rule order.
	std::vector<std::string> labels;
	labels.reserve(ratios.size());
	for (const auto &x : ratios)
		labels.push_back(x.label);
	EXPECT_EQ(labels, (std::vector<std::string>{
				  "sequential faults: pseudoscopic vs zram",
				  "page out: pseudoscopic to VRAM vs zram",
				  "to device: pseudoscopic vs memcpy",
				  "random fault p50: pseudoscopic vs zram",
				  "random fault p99: pseudoscopic vs zram",
			  }));
	ASSERT_EQ(ratios.size(), 5U);
	EXPECT_NEAR(ratios[0].ratio, 87.8 / 17.9, 1e-9);
	EXPECT_TRUE(ratios[0].higher_is_better);
	EXPECT_TRUE(ratios[0].ours_better());
	EXPECT_NEAR(ratios[2].ratio, 99.4 / 469.3, 1e-9);
	EXPECT_FALSE(ratios[2].ours_better()); // slower than memcpy
	EXPECT_FALSE(ratios[3].higher_is_better);
	EXPECT_EQ(ratios[3].unit, "us");
	EXPECT_TRUE(ratios[3].ours_better()); // 122 us against 143 us: lower wins
	EXPECT_TRUE(std::isnan(ratios[4].ratio)); // a zero reference
	EXPECT_FALSE(ratios[4].ours_better());
}

TEST(BenchRatios, EveryRuleComparesOursWithAnotherContender)
{
	for (const auto &rule : ps::ratio_rules()) {
		EXPECT_EQ(std::string(rule.ours).rfind("pseudoscopic_", 0), 0U) << rule.label;
		EXPECT_NE(std::string(rule.reference).rfind("pseudoscopic", 0), 0U) << rule.label;
		const bool latency = std::string(rule.ours).find("_fault_p") != std::string::npos;
		EXPECT_EQ(rule.higher_is_better, !latency) << rule.label;
	}
}

TEST(BenchSpread, MedianQuartilesAndExtremes)
{
	// Odd count: the middle value; quartiles interpolate between ranks.
	auto s = ps::spread_of({5, 1, 4, 2, 3});
	EXPECT_EQ(s.n, 5U);
	EXPECT_DOUBLE_EQ(s.median, 3);
	EXPECT_DOUBLE_EQ(s.q1, 2);
	EXPECT_DOUBLE_EQ(s.q3, 4);
	EXPECT_DOUBLE_EQ(s.min, 1);
	EXPECT_DOUBLE_EQ(s.max, 5);
	// Even count: the mean of the two middle values.
	s = ps::spread_of({10, 40, 20, 30});
	EXPECT_DOUBLE_EQ(s.median, 25);
	EXPECT_DOUBLE_EQ(s.q1, 17.5);
	EXPECT_DOUBLE_EQ(s.q3, 32.5);
	// One outlier moves the mean, not the median.
	s = ps::spread_of({100, 101, 99, 100, 5000});
	EXPECT_DOUBLE_EQ(s.median, 100);
	EXPECT_DOUBLE_EQ(s.max, 5000);
	// NaNs are left out; nothing gives zeros.
	s = ps::spread_of({std::nan(""), 7, std::nan("")});
	EXPECT_EQ(s.n, 1U);
	EXPECT_DOUBLE_EQ(s.median, 7);
	s = ps::spread_of({});
	EXPECT_EQ(s.n, 0U);
	EXPECT_DOUBLE_EQ(s.median, 0);
}

TEST(BenchSpread, RecordKeepsOneValuePerRepetitionInOrder)
{
	ps::BenchResults r;
	for (int rep = 0; rep < 3; rep++) {
		r.record("memcpy", "copy", "MB/s", 100.0 + rep);
		r.record("zram_pageout", "out", "MB/s", 10.0 * (rep + 1), 16384 - rep);
	}
	ASSERT_EQ(r.measurements.size(), 2U);
	EXPECT_EQ(r.measurements[0].name, "memcpy");
	EXPECT_EQ(r.measurements[0].values, (std::vector<double>{100, 101, 102}));
	EXPECT_TRUE(r.measurements[0].pages.empty());
	EXPECT_EQ(r.measurements[1].pages, (std::vector<std::uint64_t>{16384, 16383, 16382}));
	EXPECT_DOUBLE_EQ(r.find("zram_pageout")->median(), 20);
}

TEST(BenchRatios, PairedPerRepetitionMedianAndSpread)
{
	ps::BenchResults r;
	// The machine slows down in repetition 3: both contenders drop, the
	// paired ratio stays 2, while the ratio of the medians would not.
	const std::vector<double> ours = {200, 210, 50, 190, 220};
	const std::vector<double> ref = {100, 100, 25, 100, 100};
	for (std::size_t i = 0; i < ours.size(); i++) {
		r.record("pseudoscopic_to_vram", "", "MB/s", ours[i], 1);
		r.record("memcpy", "", "MB/s", ref[i]);
	}
	const auto ratios = ps::compute_ratios(r);
	ASSERT_EQ(ratios.size(), 1U);
	const auto &x = ratios[0];
	EXPECT_EQ(x.per_repetition, (std::vector<double>{2.0, 2.1, 2.0, 1.9, 2.2}));
	EXPECT_DOUBLE_EQ(x.ratio, 2.0);
	EXPECT_DOUBLE_EQ(x.spread.min, 1.9);
	EXPECT_DOUBLE_EQ(x.spread.max, 2.2);
	EXPECT_DOUBLE_EQ(x.ours_value, 200);
	EXPECT_DOUBLE_EQ(x.reference_value, 100);
	const auto text = ps::format_ratios(r, ratios);
	EXPECT_NE(text.find("  memcpy on this system: 100.0 MB/s\n"), std::string::npos) << text;
	EXPECT_NE(text.find(" 200.0 MB/s  vs      100.0  ratio  2.00 [1.90-2.20] (higher is better)\n"), std::string::npos)
		<< text;
	// A zero reference in one repetition leaves that one out.
	ps::BenchResults z;
	for (const double v : {0.0, 10.0, 20.0}) {
		z.record("pseudoscopic_fault_p50", "", "us", 5);
		z.record("zram_fault_p50", "", "us", v);
	}
	const auto zr = ps::compute_ratios(z);
	ASSERT_EQ(zr.size(), 1U);
	EXPECT_TRUE(std::isnan(zr[0].per_repetition[0]));
	EXPECT_EQ(zr[0].spread.n, 2U);
	EXPECT_DOUBLE_EQ(zr[0].ratio, (0.5 + 0.25) / 2);
	EXPECT_TRUE(zr[0].ours_better());
}

TEST(BenchSampling, OrderIsAPermutationWithoutReplacement)
{
	const std::size_t pages = 16384;
	const auto a = ps::sample_order(pages, 1);
	ASSERT_EQ(a.size(), pages);
	std::vector<bool> seen(pages);
	for (const std::size_t p : a) {
		ASSERT_LT(p, pages);
		EXPECT_FALSE(seen[p]) << "page " << p << " drawn twice";
		seen[p] = true;
	}
	EXPECT_EQ(ps::sample_order(pages, 1), a); // the same seed, the same order
	EXPECT_NE(ps::sample_order(pages, 2), a);
	// Shuffled: few pages stay in place, and the first 2000 draws spread
	// over the whole buffer.
	std::size_t fixed = 0;
	for (std::size_t i = 0; i < pages; i++)
		fixed += a[i] == i;
	EXPECT_LT(fixed, 20U);
	std::size_t high_half = 0;
	for (std::size_t i = 0; i < 2000; i++)
		high_half += a[i] >= pages / 2;
	EXPECT_GT(high_half, 800U);
	EXPECT_LT(high_half, 1200U);
	EXPECT_TRUE(ps::sample_order(0, 1).empty());
	// Each repetition draws its own order.
	EXPECT_NE(ps::repetition_seed(1, 0), ps::repetition_seed(1, 1));
	EXPECT_EQ(ps::repetition_seed(7, 3), ps::repetition_seed(7, 3));
}

namespace {

// A buffer whose pages come back `folio` at a time (2 MiB folios, fault
// around) on a fault: which pages are away, and every fault taken.
struct FakeMemory {
	std::vector<bool> away;
	std::size_t folio;
	std::vector<std::size_t> faulted;

	FakeMemory(std::size_t pages, std::size_t folio_pages) : away(pages, true), folio(folio_pages) {}
	double fault(std::size_t pg)
	{
		faulted.push_back(pg);
		const std::size_t head = pg / folio * folio;
		for (std::size_t i = head; i < head + folio && i < away.size(); i++)
			away[i] = false;
		return 100.0 + static_cast<double>(pg);
	}
};

ps::FaultSamples sample(FakeMemory &m, std::size_t n, std::uint64_t seed)
{
	return ps::sample_faults(
		ps::sample_order(m.away.size(), seed), n, [&](std::size_t pg) { return static_cast<bool>(m.away[pg]); },
		[&](std::size_t pg) { return m.fault(pg); });
}

} // namespace

TEST(BenchSampling, OnlyPagesAwayAreTimedEachOnce)
{
	// Single pages: every draw is away, n of them are timed.
	FakeMemory single(1000, 1);
	auto s = sample(single, 100, 3);
	EXPECT_EQ(s.us.size(), 100U);
	EXPECT_EQ(s.examined, 100U);
	EXPECT_EQ(s.already_back, 0U);
	std::set<std::size_t> distinct(single.faulted.begin(), single.faulted.end());
	EXPECT_EQ(distinct.size(), 100U);

	// 512-page folios: a fault brings its folio back, and its other pages
	// are skipped, never timed as RAM reads.  16 folios: 16 faults at most.
	FakeMemory thp(std::size_t{16} * 512, 512);
	s = sample(thp, 2000, 3);
	EXPECT_EQ(s.us.size(), 16U);
	EXPECT_EQ(s.examined, thp.away.size()); // the order ran out first
	EXPECT_EQ(s.already_back, thp.away.size() - 16);
	std::set<std::size_t> folios;
	for (const std::size_t pg : thp.faulted)
		EXPECT_TRUE(folios.insert(pg / 512).second) << "folio of page " << pg << " timed twice";
	// The values are the fault's, in order.
	ASSERT_FALSE(thp.faulted.empty());
	EXPECT_DOUBLE_EQ(s.us[0], 100.0 + static_cast<double>(thp.faulted[0]));

	// Nothing away: nothing timed.
	FakeMemory none(64, 1);
	none.away.assign(64, false);
	s = sample(none, 10, 1);
	EXPECT_TRUE(s.us.empty());
	EXPECT_EQ(s.already_back, 64U);
}

TEST(BenchAccounting, PagemapAwayAndRatePages)
{
	constexpr std::uint64_t present = 1ULL << 63;
	constexpr std::uint64_t swapped = 1ULL << 62;
	EXPECT_TRUE(ps::pagemap_away(swapped | 0x1234)); // swap or device-private entry
	EXPECT_FALSE(ps::pagemap_away(present | 0x1234)); // in RAM
	EXPECT_FALSE(ps::pagemap_away(0));		   // never populated
	EXPECT_FALSE(ps::pagemap_away(present | swapped));
	EXPECT_EQ(ps::count_away({swapped, present, 0, swapped | (1ULL << 55), present}), 2U);
	EXPECT_EQ(ps::count_away({}), 0U);
	// The driver's count, when it has one, bounded by what pagemap saw.
	EXPECT_EQ(ps::rate_pages(16384, 16384), 16384U);
	EXPECT_EQ(ps::rate_pages(16000, 16384), 16000U);
	EXPECT_EQ(ps::rate_pages(16384, 12000), 12000U); // not all really went
	EXPECT_EQ(ps::rate_pages(std::nullopt, 9000), 9000U);
	EXPECT_EQ(ps::rate_pages(0, 9000), 0U);
	// dmirror's HMM_DMIRROR_MIGRATE_TO_SYS on 7.x counts a 2 MiB folio
	// once: 32 counts for 64 MiB that came back.
	EXPECT_EQ(ps::rate_pages(32, 16384, 512), 16384U);
	EXPECT_EQ(ps::rate_pages(31, 16384, 512), 31U * 512); // one folio less than pagemap saw
	EXPECT_EQ(ps::rate_pages(32, 100, 512), 100U);
}

TEST(BenchReport, RawLines)
{
	auto r = sample_results();
	r.measurements[0].values = {469.3, 400.0, 500.0, 450.0, 480.0};
	const auto raw = ps::format_raw(r);
	// The median on the "bench:" line, the spread on the next.
	EXPECT_EQ(raw.substr(0, raw.find("bench: pseudoscopic_to_vram")),
		  "bench: memcpy 469.3 MB/s\n"
		  "bench-spread: memcpy 400.0 450.0 480.0 500.0 MB/s 5\n");
	EXPECT_NE(raw.find("bench: pseudoscopic_to_vram 99.4 MB/s\nbench-spread: pseudoscopic_to_vram 99.4 99.4 99.4 "
			   "99.4 MB/s 1\n"),
		  std::string::npos)
		<< raw;
	// Every line has the shape tests/bench/ratios.py and the scenarios read.
	const std::regex line(R"(^bench: (\S+) ([0-9.]+) (\S+)$)");
	const std::regex spread(R"(^bench-spread: (\S+) ([0-9.]+) ([0-9.]+) ([0-9.]+) ([0-9.]+) (\S+) (\d+)$)");
	std::istringstream in(raw);
	std::string l;
	int n = 0;
	int spreads = 0;
	while (std::getline(in, l)) {
		if (l.starts_with("bench-spread: ")) {
			EXPECT_TRUE(std::regex_match(l, spread)) << l;
			spreads++;
		} else {
			EXPECT_TRUE(std::regex_match(l, line)) << l;
			n++;
		}
	}
	EXPECT_EQ(n, 9);
	EXPECT_EQ(spreads, 9);
}

TEST(BenchReport, RatioLinesKeepTheirFormat)
{
	auto r = sample_results();
	r.measurements.push_back(one("dmirror_to_dev", "to device", 28.5, "MB/s"));
	const auto text = ps::format_ratios(r, ps::compute_ratios(r));
	EXPECT_EQ(text.substr(0, text.find('\n') + 1),
		  "ratios, pseudoscopic against each reference (meaningful only within one run):\n");
	EXPECT_NE(text.find("\n  memcpy on this system: 469.3 MB/s\n"), std::string::npos) << text;
	EXPECT_NE(text.find("\n  to device: pseudoscopic vs dmirror                 99.4 MB/s  vs       28.5  "
			    "ratio  3.49 [3.49-3.49] (higher is better)\n"),
		  std::string::npos)
		<< text;
	EXPECT_NE(text.find("\n  random fault p50: pseudoscopic vs zram            122.0 us    vs      143.0  "
			    "ratio  0.85 [0.85-0.85] (lower is better)\n"),
		  std::string::npos)
		<< text;
	EXPECT_EQ(ps::format_ratios(ps::BenchResults{}, {}), "");
}

TEST(BenchReport, MeasurementTable)
{
	auto r = sample_results();
	r.measurements[3].values = {122.0, 100.0, 130.0, 90.0, 200.0};
	const auto t = ps::format_measurements(r);
	EXPECT_EQ(t.substr(0, t.find('\n')), "NAME                   MEDIAN   MIN   MAX         IQR UNIT PAGES MEASURES");
	EXPECT_NE(t.find("\npseudoscopic_fault_p50  122.0  90.0 200.0 100.0-130.0 us         p50\n"), std::string::npos)
		<< t;
	EXPECT_NE(t.find("\npseudoscopic_to_vram     99.4  99.4  99.4   99.4-99.4 MB/s 16384 to VRAM\n"),
		  std::string::npos)
		<< t;
	const auto header = ps::format_header(r);
	EXPECT_NE(header.find("64M per buffer"), std::string::npos);
	EXPECT_NE(header.find("1 interleaved repetitions"), std::string::npos) << header;
}

TEST(BenchReport, JsonShape)
{
	const auto r = sample_results();
	const auto j = nlohmann::json::parse(ps::bench_json(r, ps::compute_ratios(r)).dump());
	EXPECT_EQ(j["size_bytes"], 64U << 20);
	EXPECT_EQ(j["samples"], 2000);
	EXPECT_EQ(j["seed"], 1);
	EXPECT_EQ(j["device"], "/dev/pseudoscopic0");
	ASSERT_EQ(j["contenders"].size(), 4U);
	EXPECT_EQ(j["contenders"][0], (nlohmann::json{{"name", "memcpy"}, {"status", "measured"}}));
	EXPECT_EQ(j["contenders"][2]["name"], "dmirror");
	EXPECT_EQ(j["contenders"][2]["status"], "skipped");
	EXPECT_EQ(j["contenders"][2]["reason"], "no /dev/hmm_dmirror0");
	EXPECT_EQ(j["contenders"][3]["name"], "zram");
	EXPECT_EQ(j["measurements"].size(), 9U);
	EXPECT_DOUBLE_EQ(j["measurements"]["pseudoscopic_to_vram"]["value"].get<double>(), 99.4);
	EXPECT_EQ(j["measurements"]["pseudoscopic_to_vram"]["pages"], nlohmann::json::array({16384}));
	EXPECT_FALSE(j["measurements"]["memcpy"].contains("pages"));
	EXPECT_EQ(j["measurements"]["memcpy"]["values"], nlohmann::json::array({469.3}));
	EXPECT_EQ(j["measurements"]["memcpy"]["spread"]["n"], 1);
	EXPECT_EQ(j["repetitions"], 1);
	EXPECT_EQ(j["measurements"]["zram_fault_p50"]["unit"], "us");
	ASSERT_EQ(j["ratios"].size(), 5U);
	const auto &first = j["ratios"][0];
	for (const char *key : {"label", "ours", "reference", "ours_value", "reference_value", "unit", "ratio",
				"spread", "per_repetition", "better", "ours_better"})
		EXPECT_TRUE(first.contains(key)) << key;
	EXPECT_EQ(first["better"], "higher");
	EXPECT_EQ(j["ratios"][3]["better"], "lower");
	EXPECT_TRUE(j["ratios"][4]["ratio"].is_null()); // NaN is not JSON
	EXPECT_TRUE(j["ratios"][4]["per_repetition"][0].is_null());
}

TEST(BenchCheck, FlippedByteIsFound)
{
	std::vector<char> a(1 << 16);
	ps::fill_incompressible(a, 5);
	std::vector<char> b = a;
	EXPECT_EQ(ps::first_mismatch(b, a), std::nullopt);
	EXPECT_NO_THROW(ps::verify("pseudoscopic", b, a));
	b[12345] = static_cast<char>(b[12345] ^ 0x10);
	EXPECT_EQ(ps::first_mismatch(b, a), 12345U);
	try {
		ps::verify("dmirror, back by sequential faults", b, a);
		FAIL() << "a flipped byte went unnoticed";
	} catch (const ps::BenchFailure &e) {
		EXPECT_STREQ(e.what(), "dmirror, back by sequential faults: data differs after the round trip, first at "
				       "byte 12345 of 65536");
	}
	b = a;
	b.back() = static_cast<char>(b.back() ^ 1);
	EXPECT_EQ(ps::first_mismatch(b, a), a.size() - 1);
	b.pop_back();
	EXPECT_EQ(ps::first_mismatch(b, a), b.size()); // a short buffer differs where it ends
}

TEST(BenchCheck, ContentsAreDeterministicAndIncompressible)
{
	std::vector<char> a(1 << 16);
	std::vector<char> b(1 << 16);
	std::vector<char> c(1 << 16);
	ps::fill_incompressible(a, 1);
	ps::fill_incompressible(b, 1);
	ps::fill_incompressible(c, 2);
	EXPECT_EQ(a, b);
	EXPECT_NE(a, c);
	// No 8-byte word repeats, and every byte value occurs: nothing for
	// zram's compressor to find.
	std::set<std::string> words;
	std::set<char> bytes(a.begin(), a.end());
	for (std::size_t i = 0; i < a.size(); i += 8)
		words.emplace(a.data() + i, 8);
	EXPECT_EQ(words.size(), a.size() / 8);
	EXPECT_EQ(bytes.size(), 256U);
	std::vector<char> odd(13, 0);
	ps::fill_incompressible(odd, 1);
	EXPECT_EQ(std::vector<char>(a.begin(), a.begin() + 13), odd); // a partial word is filled too
}

TEST(BenchRun, MemcpyAloneMeasuresAndVerifies)
{
	ps::BenchOptions opt;
	opt.size_mib = 1;
	opt.repetitions = 3;
	opt.only = {Contender::memcpy};
	ps::BenchEnvironment env; // nothing else on this machine
	const auto plan = ps::plan_bench(opt, env);
	ASSERT_TRUE(plan.errors.empty());
	const auto r = ps::run_bench(opt, plan);
	EXPECT_EQ(r.ran, std::vector<Contender>{Contender::memcpy});
	EXPECT_EQ(r.repetitions, 3U);
	ASSERT_EQ(r.measurements.size(), 1U);
	EXPECT_EQ(r.measurements[0].name, "memcpy");
	ASSERT_EQ(r.measurements[0].values.size(), 3U); // one per repetition
	for (const double v : r.measurements[0].values)
		EXPECT_GT(v, 0);
	EXPECT_TRUE(r.device.empty());
}

TEST(Dmirror, AbiMatchesTheKernel)
{
	// _IOWR('H', nr, 40 bytes): read-write (3 << 30), size 0x28, type 0x48.
	EXPECT_EQ(ps::HMM_DMIRROR_READ, 0xc0284800UL);
	EXPECT_EQ(ps::HMM_DMIRROR_MIGRATE_TO_DEV, 0xc0284802UL);
	EXPECT_EQ(ps::HMM_DMIRROR_MIGRATE_TO_SYS, 0xc0284803UL);
	EXPECT_EQ(ps::HMM_DMIRROR_RELEASE, 0xc0284807UL);
	EXPECT_EQ(offsetof(ps::hmm_dmirror_cmd, npages), 16U);
	EXPECT_EQ(offsetof(ps::hmm_dmirror_cmd, faults), 32U);
}

TEST(Dmirror, ErrorsNameTheIoctlAndErrno)
{
	EXPECT_THROW(ps::Dmirror("/nonexistent/hmm_dmirror0"), std::system_error);
	const ps::Dmirror notdmirror("/dev/null");
	std::vector<char> buf(4096);
	try {
		notdmirror.migrate_to_dev(buf.data(), buf.size(), buf.data());
		FAIL() << "an ioctl on /dev/null succeeded";
	} catch (const std::system_error &e) {
		EXPECT_EQ(std::string(e.what()), "HMM_DMIRROR_MIGRATE_TO_DEV: " + std::generic_category().message(ENOTTY));
	}
}

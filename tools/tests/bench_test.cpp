// SPDX-License-Identifier: GPL-2.0-or-later
// ps-bench: command line, plan, ratios, reports, the byte checker and
// the dmirror ABI.
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

ps::BenchResults sample_results()
{
	ps::BenchResults r;
	r.size_bytes = 64ULL << 20;
	r.samples = 2000;
	r.seed = 1;
	r.device = "/dev/pseudoscopic0";
	r.ran = {Contender::memcpy, Contender::pseudoscopic, Contender::zram};
	r.skipped = {{Contender::dmirror, "no /dev/hmm_dmirror0"}};
	r.measurements = {
		{"memcpy", "memcpy", 469.3, "MB/s"},
		{"pseudoscopic_to_vram", "to VRAM", 99.4, "MB/s"},
		{"pseudoscopic_fault_seq", "faults", 87.8, "MB/s"},
		{"pseudoscopic_fault_p50", "p50", 122.0, "us"},
		{"pseudoscopic_fault_p99", "p99", 666.0, "us"},
		{"zram_pageout", "page out", 49.4, "MB/s"},
		{"zram_fault_seq", "faults", 17.9, "MB/s"},
		{"zram_fault_p50", "p50", 143.0, "us"},
		{"zram_fault_p99", "p99", 0.0, "us"},
	};
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
			"/dev/pseudoscopic1", "--raw"});
	ASSERT_EQ(p.rc, -1) << p.err;
	EXPECT_EQ(p.opt.only, (std::vector<Contender>{Contender::memcpy, Contender::zram}));
	EXPECT_TRUE(p.opt.wanted(Contender::zram));
	EXPECT_FALSE(p.opt.wanted(Contender::pseudoscopic));
	EXPECT_EQ(p.opt.size_mib, 8U);
	EXPECT_EQ(p.opt.samples, 10U);
	EXPECT_EQ(p.opt.seed, 9U);
	EXPECT_EQ(p.opt.device, "/dev/pseudoscopic1");
	EXPECT_TRUE(p.opt.raw);
}

TEST(BenchArgs, UsageErrorsExitTwo)
{
	const std::vector<std::vector<std::string>> bad = {
		{"--only", "memcpy,gpu"}, {"--only", ""},	  {"--only", "memcpy,,zram"}, {"--size", "0"},
		{"--size", "lots"},	  {"--samples", "0"}, {"--json", "--raw"},	      {"--frobnicate"},
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

TEST(BenchReport, RawLines)
{
	const auto raw = ps::format_raw(sample_results());
	EXPECT_EQ(raw.substr(0, raw.find('\n', raw.find('\n') + 1) + 1),
		  "bench: memcpy 469.3 MB/s\n"
		  "bench: pseudoscopic_to_vram 99.4 MB/s\n");
	// Every line has the shape tests/bench/ratios.py and older scripts read.
	const std::regex line(R"(^bench: (\S+) ([0-9.]+) (\S+)$)");
	std::istringstream in(raw);
	std::string l;
	int n = 0;
	while (std::getline(in, l)) {
		EXPECT_TRUE(std::regex_match(l, line)) << l;
		n++;
	}
	EXPECT_EQ(n, 9);
}

TEST(BenchReport, RatioLinesKeepTheirFormat)
{
	auto r = sample_results();
	r.measurements.push_back({"dmirror_to_dev", "to device", 28.5, "MB/s"});
	const auto text = ps::format_ratios(r, ps::compute_ratios(r));
	EXPECT_EQ(text.substr(0, text.find('\n') + 1),
		  "ratios, pseudoscopic against each reference (meaningful only within one run):\n");
	EXPECT_NE(text.find("\n  memcpy on this system: 469.3 MB/s\n"), std::string::npos) << text;
	EXPECT_NE(text.find("\n  to device: pseudoscopic vs dmirror                 99.4 MB/s  vs       28.5  "
			    "ratio  3.49 (higher is better)\n"),
		  std::string::npos)
		<< text;
	EXPECT_NE(text.find("\n  random fault p50: pseudoscopic vs zram            122.0 us    vs      143.0  "
			    "ratio  0.85 (lower is better)\n"),
		  std::string::npos)
		<< text;
	EXPECT_EQ(ps::format_ratios(ps::BenchResults{}, {}), "");
}

TEST(BenchReport, MeasurementTable)
{
	const auto t = ps::format_measurements(sample_results());
	EXPECT_EQ(t.substr(0, t.find('\n')), "NAME                   VALUE UNIT MEASURES");
	EXPECT_NE(t.find("\npseudoscopic_fault_p99 666.0 us   p99\n"), std::string::npos) << t;
	EXPECT_NE(ps::format_header(sample_results()).find("64M per buffer"), std::string::npos);
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
	EXPECT_EQ(j["measurements"]["zram_fault_p50"]["unit"], "us");
	ASSERT_EQ(j["ratios"].size(), 5U);
	const auto &first = j["ratios"][0];
	for (const char *key : {"label", "ours", "reference", "ours_value", "reference_value", "unit", "ratio",
				"better", "ours_better"})
		EXPECT_TRUE(first.contains(key)) << key;
	EXPECT_EQ(first["better"], "higher");
	EXPECT_EQ(j["ratios"][3]["better"], "lower");
	EXPECT_TRUE(j["ratios"][4]["ratio"].is_null()); // NaN is not JSON
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
	opt.only = {Contender::memcpy};
	ps::BenchEnvironment env; // nothing else on this machine
	const auto plan = ps::plan_bench(opt, env);
	ASSERT_TRUE(plan.errors.empty());
	const auto r = ps::run_bench(opt, plan);
	EXPECT_EQ(r.ran, std::vector<Contender>{Contender::memcpy});
	ASSERT_EQ(r.measurements.size(), 1U);
	EXPECT_EQ(r.measurements[0].name, "memcpy");
	EXPECT_GT(r.measurements[0].value, 0);
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

// SPDX-License-Identifier: GPL-2.0-or-later
#include <gtest/gtest.h>

#include <string>

#include "pseudoscopic/dashboard.hpp"

namespace {

ps::Device dev(std::uint64_t free, std::uint64_t to_vram, std::uint64_t faults, std::uint64_t around)
{
	ps::Device d;
	d.pci_address = "0000:00:02.0";
	d.node = "pseudoscopic0";
	d.family = "generic";
	d.pool_pages = 1000;
	d.free_pages = free;
	d.counters = {{"pages_to_vram", to_vram}, {"pages_to_ram", 0}, {"cpu_faults", faults},
		      {"fault_around_pages", around}, {"fault_ns_ema", 12500}, {"evicted_pages", 3}};
	return d;
}

// The same device on a module with the engine, THP and lost attributes.
ps::Device dev_engine(std::uint64_t lost)
{
	ps::Device d = dev(500, 600, 20, 30);
	d.copy_engine = "dma";
	d.copy_mode = "auto";
	d.counters.insert({{"thp_to_vram", 8}, {"thp_to_ram", 2}, {"dma_fallbacks", 1}, {"copy_errors", 4},
			   {"lost", lost}, {"lost_faults", lost ? 256 : 0}});
	return d;
}

std::size_t longest_line(const std::string &s)
{
	std::size_t longest = 0;
	for (std::size_t at = 0, nl = 0; (nl = s.find('\n', at)) != std::string::npos; at = nl + 1)
		longest = std::max(longest, nl - at);
	return longest;
}

} // namespace

TEST(Dashboard, FirstFrameHasNoRates)
{
	const std::string s = ps::render_dashboard({}, {dev(750, 0, 0, 0)}, 0, 100);
	EXPECT_NE(s.find("pseudoscopic: 1 device\n"), std::string::npos);
	EXPECT_NE(s.find("0000:00:02.0 pseudoscopic0 (generic)"), std::string::npos);
	EXPECT_NE(s.find(" 25.0%"), std::string::npos);
	EXPECT_NE(s.find("  to VRAM        -/s   to RAM        -/s   faults        -/s\n"), std::string::npos) << s;
}

TEST(Dashboard, RatesAndFaultAround)
{
	const std::string s = ps::render_dashboard({dev(1000, 100, 10, 0)}, {dev(500, 600, 20, 30)}, 2.0, 100);
	// 250 pages/s of 4 KiB pages.
	EXPECT_NE(s.find("  to VRAM    1000K/s   to RAM       0B/s   faults        5/s\n"), std::string::npos) << s;
	EXPECT_NE(s.find("faults        5/s"), std::string::npos) << s;
	EXPECT_NE(s.find("fault latency 12.5 us"), std::string::npos) << s;
	EXPECT_NE(s.find("pages per fault 2.5"), std::string::npos) << s;
	EXPECT_NE(s.find(" 50.0%"), std::string::npos) << s;
	// 20 faults brought back 20 + 30 pages: 30 of 50 came along.
	EXPECT_NE(s.find("\n  fault-around  60.0% of pages faulted back came without a fault of their own\n"),
		  std::string::npos)
		<< s;
	const std::string at80 = ps::render_dashboard({dev(1000, 100, 10, 0)}, {dev(500, 600, 20, 30)}, 2.0, 80);
	EXPECT_LE(longest_line(at80), 80U) << at80;
}

TEST(Dashboard, FaultAroundShareIsOfAllPagesFaultedBack)
{
	// No fault-around: every page came back by its own fault.
	std::string s = ps::render_dashboard({}, {dev(500, 0, 40, 0)}, 0, 100);
	EXPECT_NE(s.find("  fault-around   0.0% of pages"), std::string::npos) << s;
	// 1 fault, 511 pages along with it (a whole window).
	s = ps::render_dashboard({}, {dev(500, 0, 1, 511)}, 0, 100);
	EXPECT_NE(s.find("  fault-around  99.8% of pages"), std::string::npos) << s;
	// No fault yet: no share, not 0%.
	s = ps::render_dashboard({}, {dev(500, 0, 0, 0)}, 0, 100);
	EXPECT_NE(s.find("  fault-around     - of pages faulted back (no faults yet)\n"), std::string::npos) << s;
	EXPECT_EQ(s.find("0.0% of pages"), std::string::npos) << s;
	s = ps::render_dashboard({}, {dev(500, 0, 0, 0)}, 0, 60);
	EXPECT_NE(s.find("  fault-around     - (no faults yet)\n"), std::string::npos) << s;
}

TEST(Dashboard, PoolBarFillsWithUse)
{
	const std::string full = ps::render_dashboard({}, {dev(0, 0, 0, 0)}, 0, 50);
	EXPECT_NE(full.find("[##########]"), std::string::npos) << full;
	const std::string empty = ps::render_dashboard({}, {dev(1000, 0, 0, 0)}, 0, 50);
	EXPECT_NE(empty.find("[..........]"), std::string::npos) << empty;
}

TEST(Dashboard, NarrowTerminalGetsShortLines)
{
	for (int width : {40, 60, 79}) {
		const std::string s = ps::render_dashboard({dev(1000, 100, 10, 0)}, {dev(500, 600, 20, 30)}, 2.0, width);
		EXPECT_NE(s.find("  to VRAM  1000K/s  to RAM     0B/s  faults      5/s\n"), std::string::npos) << s;
		EXPECT_NE(s.find("  latency 12.5 us  pages/fault 2.5  evicted 3\n"
				 "  fault-around  60.0% of pages w/o own fault\n"),
			  std::string::npos)
			<< s;
		std::size_t longest = 0;
		for (std::size_t at = 0, nl = 0; (nl = s.find('\n', at)) != std::string::npos; at = nl + 1)
			longest = std::max(longest, nl - at);
		EXPECT_LE(longest, static_cast<std::size_t>(std::max(width, 56))) << s;
	}
	const std::string first = ps::render_dashboard({}, {dev(750, 0, 0, 0)}, 0, 60);
	EXPECT_NE(first.find("  to VRAM      -/s  to RAM      -/s  faults      -/s\n"), std::string::npos) << first;
}

TEST(Dashboard, EngineAndThpLine)
{
	const std::string s = ps::render_dashboard({}, {dev_engine(0)}, 0, 100);
	EXPECT_NE(s.find("  fault latency 12.5 us (avg)   pages per fault 2.5   evicted 3\n"
			 "  fault-around  60.0% of pages faulted back came without a fault of their own\n"
			 "  engine dma (auto)   THP to VRAM 8, to RAM 2   DMA fallbacks 1, errors 4\n"),
		  std::string::npos)
		<< s;
	EXPECT_EQ(s.find("LOST"), std::string::npos) << s;
	EXPECT_NE(s.find("pseudoscopic: 1 device\n"), std::string::npos) << s;
	const std::string narrow = ps::render_dashboard({}, {dev_engine(0)}, 0, 60);
	EXPECT_NE(narrow.find("  engine dma (auto)  THP to VRAM 8 RAM 2  errors 4\n"), std::string::npos) << narrow;
	EXPECT_LE(longest_line(narrow), 60U) << narrow;
}

TEST(Dashboard, OlderModuleHasNoEngineLine)
{
	const std::string s = ps::render_dashboard({}, {dev(750, 0, 0, 0)}, 0, 100);
	EXPECT_EQ(s.find("engine"), std::string::npos) << s;
	EXPECT_EQ(s.find("LOST"), std::string::npos) << s;
	// Only some of the attributes: the missing ones show as "-", not 0.
	ps::Device d = dev(750, 0, 0, 0);
	d.copy_engine = "cpu";
	const std::string partial = ps::render_dashboard({}, {d}, 0, 100);
	EXPECT_NE(partial.find("  engine cpu (-)   THP to VRAM -, to RAM -   DMA fallbacks -, errors -\n"),
		  std::string::npos)
		<< partial;
}

TEST(Dashboard, LostDeviceWarning)
{
	ps::Device ok = dev_engine(0);
	ok.pci_address = "0000:00:03.0";
	const std::string s = ps::render_dashboard({}, {ok, dev_engine(1)}, 0, 80);
	EXPECT_NE(s.find("pseudoscopic: 2 devices, 1 LOST\n"), std::string::npos) << s;
	// The warning comes right under the lost device's header line.
	EXPECT_NE(s.find("0000:00:02.0 pseudoscopic0 (generic)\n"
			 "  !!! DEVICE LOST: VRAM unreachable, its pages raise SIGBUS (faults 256)\n"
			 "  pool ["),
		  std::string::npos)
		<< s;
	EXPECT_EQ(s.find("!!!"), s.rfind("!!!")) << "one warning, for the lost device only\n" << s;
	EXPECT_LE(longest_line(s), 80U) << s;
	const std::string narrow = ps::render_dashboard({}, {dev_engine(1)}, 0, 56);
	EXPECT_NE(narrow.find("  !!! LOST: VRAM unreachable, SIGBUS faults 256\n"), std::string::npos) << narrow;
	EXPECT_LE(longest_line(narrow), 56U) << narrow;
}

// A module that counts fault-around hits: the dashboard shows the hit rate.
TEST(Dashboard, FaultAroundHitRate)
{
	ps::Device d = dev(500, 600, 20, 40);
	d.counters["fault_around_hits"] = 30;
	std::string s = ps::render_dashboard({}, {d}, 0, 100);
	EXPECT_NE(s.find("\n  fault-around hit rate  75.0% (30 of 40 pages brought along were used)\n"),
		  std::string::npos)
		<< s;
	EXPECT_EQ(s.find("without a fault of their own"), std::string::npos) << s;
	s = ps::render_dashboard({}, {d}, 0, 60);
	EXPECT_NE(s.find("\n  fault-around hits  75.0%\n"), std::string::npos) << s;
	EXPECT_LE(longest_line(s), 60U) << s;
	d = dev(500, 600, 20, 0);
	d.counters["fault_around_hits"] = 0;
	s = ps::render_dashboard({}, {d}, 0, 100);
	EXPECT_NE(s.find("\n  fault-around hit rate     - (no fault-around yet)\n"), std::string::npos) << s;
}

TEST(Dashboard, LatencyPercentilesFromTheHistogram)
{
	auto hist = [](std::uint64_t fast, std::uint64_t slow) {
		std::vector<std::pair<std::uint64_t, std::uint64_t>> h;
		for (std::uint64_t us = 1; us <= (1U << 20); us *= 2)
			h.emplace_back(us, us == 8 ? fast : us == 2048 ? slow : 0);
		h.emplace_back(0, 0);
		return h;
	};
	ps::Device before = dev(500, 600, 20, 30);
	before.fault_histogram = hist(90, 10);
	ps::Device after = before;
	after.fault_histogram = hist(190, 11);
	// Since bind: 90 fast, 10 slow: p50 under 8 us, p99 under 2 ms.
	const std::string first = ps::render_dashboard({}, {before}, 0, 100);
	EXPECT_NE(first.find("  fault p50 <8 us   p99 <2.0 ms   (since bound: 100 faults)\n"), std::string::npos) << first;
	// The last interval: 100 fast, 1 slow (p99 is the 100th of 101).
	const std::string s = ps::render_dashboard({before}, {after}, 2.0, 100);
	EXPECT_NE(s.find("  fault p50 <8 us   p99 <8 us   (last 2.0 s: 101 faults)\n"), std::string::npos) << s;
	const std::string narrow = ps::render_dashboard({before}, {after}, 2.0, 60);
	EXPECT_NE(narrow.find("  p50 <8 us  p99 <8 us\n"), std::string::npos) << narrow;
	// No faults in the interval: the figures since bind.
	const std::string idle = ps::render_dashboard({after}, {after}, 2.0, 100);
	EXPECT_NE(idle.find("(since bound: 201 faults)"), std::string::npos) << idle;
	// A module without the histogram: no line at all.
	EXPECT_EQ(ps::render_dashboard({}, {dev(500, 600, 20, 30)}, 0, 100).find("p50"), std::string::npos);
}

TEST(Dashboard, ColourOnlyWhenAsked)
{
	const ps::Device lost = dev_engine(1);
	const std::string plain = ps::render_dashboard({}, {lost, dev(0, 0, 0, 0)}, 0, 100);
	EXPECT_EQ(plain.find('\033'), std::string::npos) << plain;
	const std::string color = ps::render_dashboard({}, {lost, dev(0, 0, 0, 0)}, 0, 100, true);
	EXPECT_NE(color.find("  \033[1;31m!!! DEVICE LOST"), std::string::npos) << color;
	EXPECT_NE(color.find("[\033[31m#"), std::string::npos) << "a full pool's bar in red:\n" << color;
	EXPECT_NE(color.find("[\033[32m#"), std::string::npos) << "a half-full one in green:\n" << color;
}

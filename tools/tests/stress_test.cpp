// SPDX-License-Identifier: GPL-2.0-or-later
// ps-stress's checker, its memory operations and its mix, on plain memory
// (no device: migrations go to a stand-in), and its report.
#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>
#include <sys/mman.h>
#include <system_error>
#include <unistd.h>
#include <utility>

#include "pseudoscopic/procmaps.hpp"
#include "pseudoscopic/stress.hpp"

namespace {

const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));

// A region of `pages` written pages.
struct Written {
	explicit Written(std::size_t pages) : r(pages, page, 99)
	{
		for (std::size_t i = 0; i < pages; i++)
			r.write(i);
	}
	ps::TaggedRegion r;
};

// A page's bytes, to put back later; zeros over the first `bytes` of it.
std::vector<char> save(const ps::TaggedRegion &r, std::size_t i)
{
	return {r.at(i), r.at(i) + page};
}
void restore(const ps::TaggedRegion &r, std::size_t i, const std::vector<char> &bytes)
{
	std::memcpy(r.at(i), bytes.data(), page);
}
void zero(const ps::TaggedRegion &r, std::size_t i, std::size_t bytes = page)
{
	std::memset(r.at(i), 0, bytes);
}

bool mapped(const void *addr)
{
	return ::msync(const_cast<void *>(addr), page, MS_ASYNC) == 0; // ENOMEM: not mapped
}

// A migration that moves nothing, as on a device with a full pool.
ps_migrate no_move(const void * /*addr*/, std::size_t len, std::uint32_t /*direction*/)
{
	ps_migrate m{};
	m.skipped_no_space = len / page;
	return m;
}

struct MixRun {
	ps::StressTotals t{};
	std::vector<double> lat;
};

void run_mix(MixRun &r, const ps::StressMigrate &migrate, bool corrupt_one, double seconds = 0.3)
{
	ps::StressThread spec;
	spec.seed = 5;
	spec.pages = 96;
	spec.page_size = page;
	spec.corrupt_one = corrupt_one;
	spec.until = std::chrono::steady_clock::now() +
		     std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(seconds));
	ps::stress_thread(spec, migrate, r.t, r.lat);
}

} // namespace

TEST(StressRegion, FreshPagesAreZeroAndWrittenPagesCheck)
{
	ps::TaggedRegion r(8, page, 1);
	EXPECT_EQ(r.bytes(), 8 * page);
	EXPECT_EQ(r.check_range(0, 8), 0U);
	for (std::size_t i = 0; i < 8; i++)
		r.write(i);
	EXPECT_EQ(r.check_range(0, 8), 0U);
	EXPECT_NE(std::memcmp(r.at(0), r.at(1), page), 0) << "pages carry their own tags";
}

TEST(StressRegion, EveryByteIsChecked)
{
	ps::TaggedRegion r(2, page, 3);
	r.write(0);
	r.write(1);
	for (std::size_t byte = 0; byte < page; byte++) {
		r.at(1)[byte] ^= 0x10;
		ASSERT_FALSE(r.check(1)) << "a flipped byte " << byte << " passed";
		r.at(1)[byte] ^= 0x10;
		ASSERT_TRUE(r.check(1)) << byte;
	}
	EXPECT_TRUE(r.check(0));
	// An old generation of the page is as wrong as random data.
	const auto old = save(r, 0);
	r.write(0);
	restore(r, 0, old);
	EXPECT_FALSE(r.check(0));
	// Zeros where data is expected.
	zero(r, 1);
	EXPECT_FALSE(r.check(1));
}

TEST(StressRegion, DontneedLeavesZeros)
{
	Written w(16);
	auto &r = w.r;
	r.advise(4, 8, MADV_DONTNEED);
	for (std::size_t i = 4; i < 12; i++)
		EXPECT_EQ(r.at(i)[0], 0) << i;
	EXPECT_EQ(r.check_range(0, 16), 0U);
	r.at(5)[7] = 1;
	EXPECT_FALSE(r.check(5)) << "a discarded page must read zeros";
	// The data from before the discard, back: stale.
	const auto before = save(r, 1);
	r.advise(1, 1, MADV_DONTNEED);
	restore(r, 1, before);
	EXPECT_FALSE(r.check(1)) << "discarded data came back";
	// Written again after the discard: a new generation, so the data
	// from before it cannot pass either.
	r.advise(1, 1, MADV_DONTNEED);
	r.write(1);
	EXPECT_TRUE(r.check(1));
	restore(r, 1, before);
	EXPECT_FALSE(r.check(1)) << "stale data passed";
}

TEST(StressRegion, FreeAllowsTheDataOrZerosButNothingElse)
{
	Written w(16);
	auto &r = w.r;
	r.advise(0, 8, MADV_FREE);
	EXPECT_EQ(r.check_range(0, 16), 0U) << "not reclaimed yet: the data";
	zero(r, 2); // as if reclaimed
	EXPECT_TRUE(r.check(2));
	const auto three = save(r, 3);
	zero(r, 3, page / 2); // half reclaimed: impossible
	EXPECT_FALSE(r.check(3));
	restore(r, 3, three);
	EXPECT_TRUE(r.check(3));
	// Once a freed page read zeros, its old data coming back is corruption.
	const auto four = save(r, 4);
	zero(r, 4);
	EXPECT_TRUE(r.check(4));
	restore(r, 4, four);
	EXPECT_FALSE(r.check(4));
	// A write ends it: zeros are wrong again.
	r.write(5);
	zero(r, 5);
	EXPECT_FALSE(r.check(5));
	// Pages outside the range never may be zero.
	zero(r, 9);
	EXPECT_FALSE(r.check(9));
}

TEST(StressRegion, PageoutKeepsTheData)
{
	Written w(16);
	auto &r = w.r;
	r.advise(0, 16, MADV_PAGEOUT);
	EXPECT_EQ(r.check_range(0, 16), 0U);
	zero(r, 0);
	EXPECT_FALSE(r.check(0)) << "paged out is not discarded";
}

TEST(StressRegion, UnmapAndRemapRetagsTheHole)
{
	Written w(16);
	auto &r = w.r;
	char *before = r.at(0);
	r.unmap_and_remap(3, 5);
	EXPECT_EQ(r.at(0), before);
	EXPECT_EQ(r.check_range(0, 16), 0U);
	EXPECT_NE(r.at(3)[0] | r.at(3)[1] | r.at(3)[8], 0) << "written again, not left zero";
	zero(r, 4);
	EXPECT_FALSE(r.check(4));
}

TEST(StressRegion, UnmapAndRemapAroundATakenHole)
{
	Written w(16);
	auto &r = w.r;
	char *before = r.at(0);
	void *thief = nullptr;
	std::size_t thief_len = 0;
	r.unmap_and_remap(6, 4, [&](void *hole, std::size_t len) {
		thief = ::mmap(hole, len, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		thief_len = len;
	});
	ASSERT_EQ(thief, before + 6 * page) << "the test could not take the hole";
	EXPECT_NE(r.at(0), before) << "the region moved around the taken hole";
	EXPECT_EQ(r.check_range(0, 16), 0U);
	EXPECT_TRUE(mapped(thief)) << "the other mapping is left alone";
	EXPECT_FALSE(mapped(before)) << "nothing left at the old place";
	::munmap(thief, thief_len);
}

TEST(StressRegion, MoveChangesTheAddressAndKeepsEveryTag)
{
	Written w(32);
	auto &r = w.r;
	r.advise(10, 4, MADV_DONTNEED);
	char *before = r.at(0);
	r.move();
	EXPECT_NE(r.at(0), before);
	EXPECT_FALSE(mapped(before));
	EXPECT_EQ(r.check_range(0, 32), 0U);
	r.at(20)[1] ^= 1;
	EXPECT_EQ(r.check_range(0, 32), 1U) << "checked at the new address";
}

// mremap of older kernels (before 6.17) moves one VMA at a time: every VMA
// boundary inside the region must be a place where moves cut it.
TEST(StressRegion, MovesCutTheRegionAtEveryVmaBoundary)
{
	Written w(64);
	auto &r = w.r;
	std::size_t most_vmas = 1;
	for (const std::size_t first : {10, 30, 50, 3}) {
		r.unmap_and_remap(first, 5);
		r.move();
		r.unmap_and_remap(first + 2, 3);
		const auto lo = reinterpret_cast<std::uintptr_t>(r.at(0));
		const auto hi = lo + r.bytes();
		std::size_t vmas = 0;
		for (const auto &m : ps::read_maps(::getpid())) {
			if (m.end <= lo || m.start >= hi)
				continue;
			vmas++;
			if (m.start > lo) {
				const std::size_t i = (m.start - lo) / page;
				EXPECT_TRUE(r.split_at(i)) << "a VMA starts at page " << i;
			}
		}
		most_vmas = std::max(most_vmas, vmas);
		ASSERT_EQ(r.check_range(0, 64), 0U);
	}
	EXPECT_GT(most_vmas, 1U) << "the region never had more than one VMA: nothing was tested";
	EXPECT_FALSE(r.split_at(0));
	EXPECT_FALSE(r.split_at(64));
}

TEST(StressThread, MixWithoutCorruptionPassesAndRunsEveryOperation)
{
	MixRun r;
	run_mix(r, no_move, false);
	EXPECT_EQ(r.t.corrupt, 0U);
	EXPECT_EQ(r.t.errors, 0U);
	for (std::size_t o = 0; o < ps::stress_op_count; o++)
		EXPECT_GT(r.t.ops.at(o), 0U) << ps::stress_op_names.at(o);
	EXPECT_GT(r.t.pages_no_space, 0U);
	EXPECT_EQ(r.t.pages_migrated, 0U);
	EXPECT_EQ(r.lat.size(), r.t.ops.at(static_cast<std::size_t>(ps::StressOp::to_vram)));
}

TEST(StressThread, CorruptOneIsCaught)
{
	MixRun r;
	run_mix(r, no_move, true, 0.05);
	EXPECT_GE(r.t.corrupt, 1U);
	EXPECT_EQ(r.t.errors, 0U);
}

TEST(StressThread, EnomemIsPressureOtherErrorsCount)
{
	MixRun pressure;
	run_mix(
		pressure,
		[](const void *, std::size_t, std::uint32_t) -> ps_migrate {
			throw std::system_error(ENOMEM, std::generic_category(), "PS_IOC_MIGRATE");
		},
		false, 0.1);
	EXPECT_GT(pressure.t.enomem, 0U);
	EXPECT_EQ(pressure.t.errors, 0U);
	EXPECT_EQ(pressure.t.corrupt, 0U);
	bool thrown = false;
	MixRun failing;
	run_mix(
		failing,
		[&](const void *a, std::size_t len, std::uint32_t dir) -> ps_migrate {
			if (!std::exchange(thrown, true))
				throw std::system_error(EINVAL, std::generic_category(), "PS_IOC_MIGRATE");
			return no_move(a, len, dir);
		},
		false, 0.1);
	EXPECT_EQ(failing.t.errors, 1U);
	EXPECT_EQ(failing.t.corrupt, 0U);
}

TEST(StressReport, TextLinesTheTestsGrepFor)
{
	ps::StressSummary s;
	s.procs = 2;
	s.threads = 4;
	s.size_mib = 16;
	s.device = "/dev/pseudoscopic0";
	s.seconds = 2.0;
	s.ops.fill(10);
	s.pages_migrated = 1234;
	s.pages_no_space = 5;
	s.enomem = 1;
	s.samples = 7;
	s.latency_us = {1.5, 20.25, 300.0};
	std::string t = ps::format_stress_report(s);
	EXPECT_NE(t.find("ps-stress: 2 process(es) x 4 thread(s), 16 MiB, 2.0 s on /dev/pseudoscopic0\n"),
		  std::string::npos)
		<< t;
	EXPECT_NE(t.find("  operations   100 (50/s)\n"), std::string::npos) << t;
	EXPECT_NE(t.find("    munmap     10\n"), std::string::npos) << t;
	EXPECT_NE(t.find("    mremap     10\n"), std::string::npos) << t;
	EXPECT_NE(t.find("  pages moved  1234\n"), std::string::npos) << t;
	EXPECT_NE(t.find("  no room      5 pages skipped (pool full), 1 migrations refused (ENOMEM)\n"),
		  std::string::npos)
		<< t;
	EXPECT_NE(t.find("p50 1.5  p99 20.2  p99.9 300.0  (7 samples)\n"), std::string::npos) << t;
	EXPECT_NE(t.find("  corrupt pages 0, errors 0: ok\n"), std::string::npos) << t;
	EXPECT_TRUE(s.ok());
	s.corrupt = 3;
	t = ps::format_stress_report(s);
	EXPECT_NE(t.find("  corrupt pages 3, errors 0: FAILED\n"), std::string::npos) << t;
	EXPECT_FALSE(s.ok());
	s.corrupt = 0;
	s.errors = 1;
	EXPECT_FALSE(s.ok());
	EXPECT_NE(ps::format_stress_report(s).find("  corrupt pages 0, errors 1: FAILED\n"), std::string::npos);
}

TEST(StressReport, JsonAndSums)
{
	ps::StressTotals a{};
	ps::StressTotals b{};
	a.ops.at(static_cast<std::size_t>(ps::StressOp::munmap)) = 3;
	b.ops.at(static_cast<std::size_t>(ps::StressOp::munmap)) = 4;
	a.pages_migrated = 10;
	b.pages_migrated = 5;
	b.corrupt = 1;
	a.latency_us = {1, 9, 90};
	b.latency_us = {2, 8, 95};
	ps::StressSummary s;
	s.seconds = 1;
	s.page_size = 4096;
	ps::add_totals(s, a);
	ps::add_totals(s, b);
	EXPECT_EQ(s.all_ops(), 7U);
	const auto j = ps::stress_json(s);
	EXPECT_EQ(j["ops"]["munmap"], 7);
	EXPECT_EQ(j["ops"]["pageout"], 0);
	EXPECT_EQ(j["ops"].size(), ps::stress_op_count);
	EXPECT_EQ(j["pages_migrated"], 15);
	EXPECT_EQ(j["corrupt_pages"], 1);
	EXPECT_EQ(j["errors"], 0);
	EXPECT_EQ(j["page_size"], 4096);
	EXPECT_DOUBLE_EQ(j["fault_latency_us"]["p50"].get<double>(), 2.0);
	EXPECT_DOUBLE_EQ(j["fault_latency_us"]["p99"].get<double>(), 9.0);
	EXPECT_DOUBLE_EQ(j["fault_latency_us"]["p99.9"].get<double>(), 95.0);
	EXPECT_DOUBLE_EQ(j["ops_per_second"].get<double>(), 7.0);
}

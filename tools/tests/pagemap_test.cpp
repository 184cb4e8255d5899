// SPDX-License-Identifier: GPL-2.0-or-later
// pagemap decoding, residency refinement, idle bitmap words, process helpers.
#include <gtest/gtest.h>

#include <array>
#include <cstdlib>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pseudoscopic/pagemap.hpp"
#include "pseudoscopic/process.hpp"

TEST(Pagemap, DecodesBits)
{
	const auto present = ps::decode_pagemap((1ULL << 63) | (1ULL << 56) | (1ULL << 55) | 0x12345);
	EXPECT_TRUE(present.present);
	EXPECT_FALSE(present.swapped);
	EXPECT_TRUE(present.exclusive);
	EXPECT_TRUE(present.soft_dirty);
	EXPECT_EQ(present.pfn, 0x12345U);
	// A swap entry: type and offset in the low bits are not a frame.
	const auto swapped = ps::decode_pagemap((1ULL << 62) | (7ULL << 5) | 1);
	EXPECT_FALSE(swapped.present);
	EXPECT_TRUE(swapped.swapped);
	EXPECT_EQ(swapped.pfn, 0U);
	const auto shared = ps::decode_pagemap((1ULL << 63) | (1ULL << 61));
	EXPECT_TRUE(shared.file_or_shared);
	EXPECT_EQ(shared.pfn, 0U);
	EXPECT_FALSE(ps::decode_pagemap(0).present);
}

TEST(Pagemap, RefineTellsSwappedFromAbsent)
{
	std::vector<std::uint8_t> states{PS_RES_ABSENT, PS_RES_ABSENT, PS_RES_RAM, PS_RES_DEVICE, PS_RES_OTHER};
	// Device-private entries carry the swap bit too; only ABSENT changes.
	const std::vector<std::uint64_t> pm{0, 1ULL << 62, 1ULL << 63, 1ULL << 62, 1ULL << 62};
	ps::refine_states(states, pm);
	EXPECT_EQ(states, (std::vector<std::uint8_t>{ps::st_absent, ps::st_swapped, ps::st_ram, ps::st_device,
						     ps::st_other}));
	const auto c = ps::count_states(states);
	EXPECT_EQ(c, (ps::StateCounts{1, 1, 1, 1, 1}));
	std::vector<std::uint8_t> short_states{0};
	EXPECT_THROW(ps::refine_states(short_states, pm), std::invalid_argument);
}

TEST(Pagemap, ReadsOwnPages)
{
	const auto page = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
	void *p = ::mmap(nullptr, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(p, MAP_FAILED);
	static_cast<char *>(p)[page] = 1; // populate the second page only
	const ps::Pagemap pm(::getpid());
	const auto raw = pm.read(reinterpret_cast<std::uintptr_t>(p), 4, page);
	ASSERT_EQ(raw.size(), 4U);
	EXPECT_FALSE(ps::decode_pagemap(raw[0]).present);
	EXPECT_TRUE(ps::decode_pagemap(raw[1]).present);
	EXPECT_FALSE(ps::decode_pagemap(raw[2]).present);
	::munmap(p, 4 * page);
}

TEST(IdleTracking, WordsGroupFrames)
{
	const auto w = ps::idle_words({1, 3, 64, 130, 129, 3});
	ASSERT_EQ(w.size(), 3U);
	EXPECT_EQ(w.at(0), 0b1010U);
	EXPECT_EQ(w.at(1), 1U);
	EXPECT_EQ(w.at(2), 0b110U);
}

TEST(IdleTracking, RunsOfColdPages)
{
	const std::vector<bool> cold{true, true, false, true, false, false, true, true, true};
	const auto r = ps::runs_of(cold, 0x10000, 0x1000, "[heap]");
	ASSERT_EQ(r.size(), 3U);
	EXPECT_EQ(r[0], (ps::AddrRange{0x10000, 0x12000, "[heap]"}));
	EXPECT_EQ(r[1], (ps::AddrRange{0x13000, 0x14000, "[heap]"}));
	EXPECT_EQ(r[2], (ps::AddrRange{0x16000, 0x19000, "[heap]"}));
	EXPECT_TRUE(ps::runs_of({false, false}, 0, 0x1000, "").empty());
}

TEST(Process, RssAnonFromStatus)
{
	EXPECT_EQ(ps::parse_rss_anon("Name:\tx\nVmRSS:\t  9000 kB\nRssAnon:\t    8192 kB\nRssFile:\t1 kB\n"),
		  8192ULL * 1024);
	EXPECT_FALSE(ps::parse_rss_anon("Name:\tx\nVmRSS:\t9000 kB\n").has_value());
	EXPECT_FALSE(ps::parse_rss_anon("\nRssAnon:\t12").has_value());
	EXPECT_TRUE(ps::rss_anon(::getpid()).has_value());
}

TEST(Process, LaunchWaitAndPidfd)
{
	const pid_t pid = ps::launch({"sh", "-c", "exit 7"});
	EXPECT_EQ(ps::wait_exit_status(pid), 7);
	EXPECT_THROW(ps::launch({"/nonexistent/ps-migrate-test"}), std::system_error);
	const pid_t sig = ps::launch({"sh", "-c", "kill -9 $$"});
	EXPECT_EQ(ps::wait_exit_status(sig), 128 + 9);
	const ps::Pidfd self(::getpid());
	EXPECT_GE(self.get(), 0);
	try {
		const ps::Pidfd none(0x7ffffff0);
		FAIL() << "pidfd of a missing process";
	} catch (const std::system_error &e) {
		EXPECT_EQ(e.code().value(), ESRCH);
	}
}

TEST(IdleTracking, TailPagesFollowTheirHead)
{
	constexpr std::uint64_t tail = 1ULL << 16;
	// A normal page, a 4-page huge page (head + 3 tails), an absent page,
	// a tail whose head is outside the range, and a tail that does not
	// follow the head's frame.
	const std::vector<std::uint64_t> pfns{100, 512, 513, 514, 515, 0, 777, 900, 905};
	const std::vector<std::uint64_t> flags{0, 1ULL << 15, tail, tail, tail, 0, tail, 0, tail};
	const auto o = ps::idle_owners(pfns, flags);
	EXPECT_EQ(o, (std::vector<std::ptrdiff_t>{0, 1, 1, 1, 1, -1, -1, 7, -1}));
	EXPECT_THROW((void)ps::idle_owners({1}, {}), std::invalid_argument);
}

// The bitmap file's layout (word pfn / 64, bit pfn % 64) with a regular
// file standing in for /sys/kernel/mm/page_idle/bitmap; frames past its
// end read as not idle, as past max_pfn.
TEST(IdleTracking, BitmapFileLayout)
{
	const std::string path = ::testing::TempDir() + "ps-idle-bitmap-" + std::to_string(::getpid());
	{
		const ps::UniqueFd fd = ps::open_file(path, O_RDWR | O_CREAT | O_TRUNC);
		ASSERT_EQ(::ftruncate(fd.get(), 3 * 8), 0);
	}
	const ps::IdleBitmap b(path);
	b.mark_idle({1, 64, 130});
	std::array<std::uint64_t, 3> words{};
	{
		const ps::UniqueFd fd = ps::open_file(path, O_RDONLY);
		ASSERT_EQ(::pread(fd.get(), words.data(), sizeof(words), 0), static_cast<ssize_t>(sizeof(words)));
	}
	EXPECT_EQ(words[0], 2U);
	EXPECT_EQ(words[1], 1U);
	EXPECT_EQ(words[2], 4U);
	EXPECT_EQ(b.still_idle({1, 2, 64, 130, 64 * 20}), (std::vector<bool>{true, false, true, true, false}));
	::unlink(path.c_str());
}

// SPDX-License-Identifier: GPL-2.0-or-later
// /proc/PID/pagemap decoding, residency states refined with it, and idle
// page tracking (/sys/kernel/mm/page_idle/bitmap) for "cold pages only".
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <sys/types.h>
#include <vector>

#include <linux/pseudoscopic.h>

#include "pseudoscopic/process.hpp"
#include "pseudoscopic/ranges.hpp"

namespace ps {

// One 64-bit pagemap entry (Documentation/admin-guide/mm/pagemap.rst).
struct PagemapEntry {
	bool present = false;	     // bit 63
	bool swapped = false;	     // bit 62 (also set for device-private entries)
	bool file_or_shared = false; // bit 61
	bool exclusive = false;	     // bit 56
	bool soft_dirty = false;     // bit 55
	std::uint64_t pfn = 0;	     // bits 0-54 when present (0 without CAP_SYS_ADMIN)
};
PagemapEntry decode_pagemap(std::uint64_t raw);

// Raw entries of a process, read through an open /proc/PID/pagemap.
class Pagemap {
public:
	explicit Pagemap(pid_t pid, const std::string &proc_root = "/proc");
	// One entry per page of [start, start + pages * page_size).
	[[nodiscard]] std::vector<std::uint64_t> read(std::uint64_t start, std::uint64_t pages,
						      std::uint64_t page_size) const;

private:
	UniqueFd fd_;
	std::string path_;
};

// Page states as ps-migrate reports them: the kernel's PS_RES_* values,
// PS_RES_SWAPPED included (drivers before uapi version 3 report swapped
// pages as absent, and refine_states() tells them apart).
enum PageState : std::uint8_t { st_absent = 0, st_ram = 1, st_device = 2, st_other = 3, st_swapped = 4 };
constexpr std::size_t nr_page_states = 5;
static_assert(st_absent == PS_RES_ABSENT && st_ram == PS_RES_RAM && st_device == PS_RES_DEVICE &&
	      st_other == PS_RES_OTHER && st_swapped == PS_RES_SWAPPED);
using StateCounts = std::array<std::uint64_t, nr_page_states>;

// Turn PS_RES_ABSENT into st_swapped where the pagemap entry has the swap
// bit.  The vectors hold one element per page and must be the same size
// (std::invalid_argument otherwise).
void refine_states(std::vector<std::uint8_t> &states, const std::vector<std::uint64_t> &pagemap);
StateCounts count_states(const std::vector<std::uint8_t> &states);

// Idle page tracking: which 64-bit words of the bitmap hold which PFNs'
// bits (word index -> mask), for PFNs given in any order.
std::map<std::uint64_t, std::uint64_t> idle_words(const std::vector<std::uint64_t> &pfns);

// Runs of consecutive pages whose flag is set, as ranges starting at
// `start` (page i is [start + i * page_size, ...)), named `name`.
std::vector<AddrRange> runs_of(const std::vector<bool> &flags, std::uint64_t start, std::uint64_t page_size,
			       const std::string &name);

// Idle tracking keeps one flag per folio, on its head page: tail pages of a
// huge page always read as not idle.  Given the frame of each page of a
// range (0: not present) and its /proc/kpageflags word, the index of the
// page whose idle bit stands for each page: itself, the head of its huge
// page (when the head is mapped just before it in the same range), or -1
// when that head is not in the range (untrackable: counted as in use).
std::vector<std::ptrdiff_t> idle_owners(const std::vector<std::uint64_t> &pfns,
					const std::vector<std::uint64_t> &kpageflags);

class IdleBitmap {
public:
	// Throws std::system_error naming the file (ENOENT: the kernel lacks
	// CONFIG_IDLE_PAGE_TRACKING; EACCES: not root).
	explicit IdleBitmap(const std::string &path = "/sys/kernel/mm/page_idle/bitmap");
	void mark_idle(const std::vector<std::uint64_t> &pfns) const;
	// Per PFN: still idle (not accessed since mark_idle).
	[[nodiscard]] std::vector<bool> still_idle(const std::vector<std::uint64_t> &pfns) const;

private:
	UniqueFd fd_;
	std::string path_;
};

// The pages of `ranges` that stay unaccessed for `seconds`: marks the
// present pages idle, sleeps, and keeps those still idle and still at
// the same frame.  Needs root (frame numbers, the bitmap).
struct ColdScan {
	std::vector<AddrRange> cold;
	std::uint64_t present_pages = 0;
	std::uint64_t cold_pages = 0;
};
ColdScan find_cold_pages(pid_t pid, const std::vector<AddrRange> &ranges, double seconds, std::uint64_t page_size);

} // namespace ps

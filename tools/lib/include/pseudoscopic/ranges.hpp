// SPDX-License-Identifier: GPL-2.0-or-later
// Address ranges of a process: parsing START-END / START+LEN, merging,
// chunking for progress reports, and turning selections into ranges.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pseudoscopic/procmaps.hpp"

namespace ps {

struct AddrRange {
	std::uint64_t start = 0; // first byte
	std::uint64_t end = 0;	 // one past the last byte
	std::string name;	 // what selected it ("[heap]", "0x1000-0x2000")

	[[nodiscard]] std::uint64_t bytes() const { return end - start; }
	bool operator==(const AddrRange &) const = default;
};

// "0x7f0000000000-0x7f0000100000", "4096+8192", "0x10000+64K": hex (0x)
// or decimal addresses, an end (exclusive) or a length with an optional
// K/M/G suffix.  Both ends must be multiples of page_size and the range
// non-empty.  Throws std::invalid_argument with a message saying what is
// wrong.
AddrRange parse_range(std::string_view text, std::uint64_t page_size);

// Sorted by start, overlapping ranges merged (names joined with ",");
// ranges that only touch stay apart, so each mapping keeps its name.
std::vector<AddrRange> merge_ranges(std::vector<AddrRange> ranges);

// Pieces of at most `chunk` bytes, in order (chunk > 0).
std::vector<AddrRange> split_range(const AddrRange &r, std::uint64_t chunk);

// The mappings a selection names: every mapping matching one of `names`
// (mapping_matches), and with all_anon every private_anon_writable one.
// Throws std::invalid_argument if a name matches no mapping.
std::vector<AddrRange> select_mappings(const std::vector<Mapping> &maps, const std::vector<std::string> &names,
				       bool all_anon);

// The range a mapping covers, named after it ("[anon]" for no path).
AddrRange range_of(const Mapping &m);

// "0x7f00-0x8000" for messages.
std::string format_range(const AddrRange &r);

} // namespace ps

// SPDX-License-Identifier: GPL-2.0-or-later
#include "pseudoscopic/ranges.hpp"

#include <algorithm>
#include <charconv>
#include <fmt/format.h>
#include <stdexcept>

#include "pseudoscopic/units.hpp"

namespace ps {

namespace {

std::uint64_t parse_address(std::string_view s, std::string_view whole)
{
	int base = 10;
	std::string_view v = s;
	if (v.starts_with("0x") || v.starts_with("0X")) {
		v.remove_prefix(2);
		base = 16;
	}
	std::uint64_t out = 0;
	auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out, base);
	if (v.empty() || ec != std::errc() || p != v.data() + v.size())
		throw std::invalid_argument(fmt::format("bad range '{}': '{}' is not an address (hex with 0x, or decimal)",
							whole, s));
	return out;
}

} // namespace

AddrRange parse_range(std::string_view text, std::uint64_t page_size)
{
	const auto sep = text.find_first_of("-+");
	if (sep == std::string_view::npos || sep == 0)
		throw std::invalid_argument(fmt::format("bad range '{}': expected START-END or START+LENGTH", text));
	AddrRange r;
	r.name = std::string(text);
	r.start = parse_address(text.substr(0, sep), text);
	const std::string_view rest = text.substr(sep + 1);
	if (text[sep] == '-') {
		r.end = parse_address(rest, text);
	} else {
		std::uint64_t len = 0;
		if (rest.starts_with("0x") || rest.starts_with("0X")) {
			len = parse_address(rest, text);
		} else {
			auto sz = parse_size(rest);
			if (!sz)
				throw std::invalid_argument(fmt::format(
					"bad range '{}': '{}' is not a length (bytes, K, M, G or 0x hex)", text, rest));
			len = *sz;
		}
		if (len > UINT64_MAX - r.start)
			throw std::invalid_argument(fmt::format("bad range '{}': it wraps around the address space", text));
		r.end = r.start + len;
	}
	if (r.end <= r.start)
		throw std::invalid_argument(fmt::format("bad range '{}': it is empty (the end must be above the start)", text));
	if (r.start % page_size || r.end % page_size)
		throw std::invalid_argument(fmt::format("bad range '{}': start and end must be multiples of the page size ({})",
							text, page_size));
	return r;
}

std::vector<AddrRange> merge_ranges(std::vector<AddrRange> ranges)
{
	std::ranges::sort(ranges, {}, &AddrRange::start);
	std::vector<AddrRange> out;
	for (auto &r : ranges) {
		if (!out.empty() && r.start < out.back().end) {
			auto &last = out.back();
			last.end = std::max(last.end, r.end);
			if (last.name != r.name)
				last.name += "," + r.name;
			continue;
		}
		out.push_back(std::move(r));
	}
	return out;
}

std::vector<AddrRange> split_range(const AddrRange &r, std::uint64_t chunk)
{
	if (chunk == 0)
		throw std::invalid_argument("split_range: zero chunk");
	std::vector<AddrRange> out;
	for (std::uint64_t s = r.start; s < r.end; s += std::min(chunk, r.end - s))
		out.push_back({s, s + std::min(chunk, r.end - s), r.name});
	return out;
}

AddrRange range_of(const Mapping &m)
{
	return {m.start, m.end, m.path.empty() ? "[anon]" : m.path};
}

std::vector<AddrRange> select_mappings(const std::vector<Mapping> &maps, const std::vector<std::string> &names,
				       bool all_anon)
{
	std::vector<AddrRange> out;
	for (const auto &name : names) {
		const auto before = out.size();
		for (const auto &m : maps)
			if (mapping_matches(m, name))
				out.push_back(range_of(m));
		if (out.size() == before)
			throw std::invalid_argument(fmt::format("no mapping named '{}' in the process (see /proc/PID/maps)",
								name));
	}
	if (all_anon)
		for (const auto &m : maps)
			if (private_anon_writable(m))
				out.push_back(range_of(m));
	return out;
}

std::string format_range(const AddrRange &r)
{
	return fmt::format("{:#x}-{:#x}", r.start, r.end);
}

} // namespace ps

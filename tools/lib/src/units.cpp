// SPDX-License-Identifier: GPL-2.0-or-later
#include "pseudoscopic/units.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <fmt/format.h>

namespace ps {

namespace {
constexpr std::array<char, 7> suffixes{'B', 'K', 'M', 'G', 'T', 'P', 'E'};
}

std::string human_bytes(std::uint64_t bytes)
{
	std::size_t unit = 0;
	std::uint64_t whole = bytes;
	std::uint64_t rem = 0;
	while (whole >= 1024 && unit + 1 < suffixes.size()) {
		rem = whole % 1024;
		whole /= 1024;
		unit++;
	}
	// One decimal, rounded, only when it is not zero (util-linux style).
	std::uint64_t tenth = (rem * 10 + 512) / 1024;
	if (tenth == 10) {
		whole++;
		tenth = 0;
	}
	if (unit == 0 || tenth == 0)
		return fmt::format("{}{}", whole, suffixes[unit]);
	return fmt::format("{}.{}{}", whole, tenth, suffixes[unit]);
}

std::optional<std::uint64_t> parse_size(std::string_view text)
{
	std::uint64_t value = 0;
	auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
	if (ec != std::errc() || end == text.data())
		return std::nullopt;
	std::string_view rest(end, static_cast<std::size_t>(text.data() + text.size() - end));
	if (rest.empty() || rest == "B")
		return value;
	char c = static_cast<char>(std::toupper(static_cast<unsigned char>(rest.front())));
	std::size_t shift = 0;
	for (std::size_t i = 1; i < suffixes.size(); i++)
		if (suffixes[i] == c)
			shift = 10 * i;
	rest.remove_prefix(1);
	if (shift == 0 || !(rest.empty() || rest == "iB" || rest == "B"))
		return std::nullopt;
	if (value > (UINT64_MAX >> shift))
		return std::nullopt;
	return value << shift;
}

std::optional<std::uint64_t> parse_mib(std::string_view text)
{
	constexpr std::uint64_t mib = 1 << 20;
	if (!text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos) {
		std::uint64_t v = 0;
		auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
		if (ec != std::errc() || end != text.data() + text.size())
			return std::nullopt;
		return v;
	}
	const auto bytes = parse_size(text);
	if (!bytes || *bytes % mib)
		return std::nullopt;
	return *bytes / mib;
}

} // namespace ps

// SPDX-License-Identifier: GPL-2.0-or-later
#include "pseudoscopic/sysfs.hpp"

#include <charconv>
#include <fstream>
#include <iterator>

namespace ps {

std::optional<std::string> read_value(const std::filesystem::path &file)
{
	std::ifstream in(file);
	if (!in)
		return std::nullopt;
	std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
	if (in.bad())
		return std::nullopt;
	while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
		s.pop_back();
	return s;
}

namespace {
template <typename T> std::optional<T> parse_int(const std::string &s)
{
	int base = 10;
	std::string_view v = s;
	if (v.starts_with("0x") || v.starts_with("0X")) {
		v.remove_prefix(2);
		base = 16;
	}
	T out{};
	auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out, base);
	if (ec != std::errc() || end != v.data() + v.size() || v.empty())
		return std::nullopt;
	return out;
}
} // namespace

std::optional<std::uint64_t> read_u64(const std::filesystem::path &file)
{
	auto s = read_value(file);
	return s ? parse_int<std::uint64_t>(*s) : std::nullopt;
}

std::optional<std::int64_t> read_s64(const std::filesystem::path &file)
{
	auto s = read_value(file);
	return s ? parse_int<std::int64_t>(*s) : std::nullopt;
}

} // namespace ps

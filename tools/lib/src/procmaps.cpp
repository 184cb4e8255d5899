// SPDX-License-Identifier: GPL-2.0-or-later
#include "pseudoscopic/procmaps.hpp"

#include <cerrno>
#include <charconv>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <system_error>

namespace ps {

namespace {

std::string_view next_field(std::string_view &line)
{
	const auto b = line.find_first_not_of(' ');
	if (b == std::string_view::npos) {
		line = {};
		return {};
	}
	line.remove_prefix(b);
	const auto e = line.find(' ');
	std::string_view f = line.substr(0, e);
	line.remove_prefix(e == std::string_view::npos ? line.size() : e);
	return f;
}

bool hex(std::string_view s, std::uint64_t &out)
{
	auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out, 16);
	return ec == std::errc() && p == s.data() + s.size() && !s.empty();
}

Mapping parse_line(std::string_view line)
{
	const std::string whole(line);
	auto bad = [&] { return std::invalid_argument("not a /proc/PID/maps line: '" + whole + "'"); };
	Mapping m;
	const std::string_view range = next_field(line);
	const auto dash = range.find('-');
	if (dash == std::string_view::npos || !hex(range.substr(0, dash), m.start) ||
	    !hex(range.substr(dash + 1), m.end) || m.end < m.start)
		throw bad();
	m.perms = std::string(next_field(line));
	if (m.perms.size() != 4)
		throw bad();
	if (!hex(next_field(line), m.offset))
		throw bad();
	if (next_field(line).find(':') == std::string_view::npos) // device major:minor
		throw bad();
	const std::string_view inode = next_field(line);
	auto [p, ec] = std::from_chars(inode.data(), inode.data() + inode.size(), m.inode);
	if (ec != std::errc() || p != inode.data() + inode.size())
		throw bad();
	// The path is the rest after the padding; it may contain spaces.
	const auto b = line.find_first_not_of(' ');
	if (b != std::string_view::npos)
		m.path = std::string(line.substr(b));
	return m;
}

} // namespace

bool Mapping::anonymous() const
{
	if (path.empty() || path == "[heap]" || path.starts_with("[anon:"))
		return true;
	return path == "[stack]" || path.starts_with("[stack:");
}

std::vector<Mapping> parse_maps(std::string_view text)
{
	std::vector<Mapping> out;
	while (!text.empty()) {
		const auto nl = text.find('\n');
		std::string_view line = text.substr(0, nl);
		text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
		if (line.find_first_not_of(' ') == std::string_view::npos)
			continue;
		out.push_back(parse_line(line));
	}
	return out;
}

std::vector<Mapping> read_maps(pid_t pid, const std::string &proc_root)
{
	const std::string file = proc_root + "/" + std::to_string(pid) + "/maps";
	std::ifstream in(file);
	if (!in)
		throw std::system_error(errno, std::generic_category(), file);
	std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
	if (in.bad())
		throw std::system_error(errno ? errno : EIO, std::generic_category(), file);
	return parse_maps(text);
}

bool mapping_matches(const Mapping &m, std::string_view name)
{
	if (name.empty() || m.path.empty())
		return false;
	if (m.path == name)
		return true;
	if (m.path.front() != '/')
		return false;
	const std::string_view base = std::string_view(m.path).substr(m.path.rfind('/') + 1);
	if (base == name)
		return true;
	return base.size() > name.size() && base.starts_with(name) &&
	       (base[name.size()] == '.' || base[name.size()] == '-');
}

bool private_anon_writable(const Mapping &m)
{
	return m.is_private() && m.writable() && m.anonymous();
}

} // namespace ps

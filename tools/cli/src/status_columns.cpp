// SPDX-License-Identifier: GPL-2.0-or-later
#include "pseudoscopic/status_columns.hpp"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "pseudoscopic/units.hpp"

namespace ps {

namespace {

using Kind = StatusColumn::Kind;
using Value = StatusColumn::Value;

Value counter(const Device &d, const char *name)
{
	if (const auto v = counter_value(d, name))
		return *v;
	return {};
}

std::uint64_t used_pages(const Device &d)
{
	return d.pool_pages - std::min(d.free_pages, d.pool_pages);
}

// A column whose value is a counter file of the same meaning.
#define PS_COUNTER_COLUMN(col, file, text, dflt)                                                                       \
	StatusColumn                                                                                                   \
	{                                                                                                              \
		col, text, Kind::number, dflt, [](const Device &d) { return counter(d, file); }                        \
	}

const std::vector<StatusColumn> columns = {
	{"DEVICE", "PCI address", Kind::text, true, [](const Device &d) -> Value { return d.pci_address; }},
	{"NODE", "device node in /dev", Kind::text, true,
	 [](const Device &d) -> Value { return d.node.empty() ? std::string("-") : d.node; }},
	{"VENDOR:ID", "PCI vendor and device id", Kind::text, true,
	 [](const Device &d) -> Value {
		 auto hex = [](const std::string &id) { return id.rfind("0x", 0) == 0 ? id.substr(2) : id; };
		 return fmt::format("{}:{}", hex(d.vendor_id), hex(d.device_id));
	 }},
	{"FAMILY", "nvidia or generic", Kind::text, true, [](const Device &d) -> Value { return d.family; }},
	{"STATE", "ok, or lost: VRAM unreachable, its pages raise SIGBUS", Kind::text, true,
	 [](const Device &d) -> Value { return std::string(device_lost(d) ? "lost" : "ok"); }},
	{"BAR", "PCI BAR the pool lives in", Kind::number, true,
	 [](const Device &d) -> Value {
		 if (d.bar_index < 0)
			 return {};
		 return static_cast<std::uint64_t>(d.bar_index);
	 }},
	{"SIZE", "size of that BAR", Kind::size, true, [](const Device &d) -> Value { return d.bar_bytes; }},
	{"POOL", "pool size", Kind::size, true, [](const Device &d) -> Value { return d.pool_pages * d.page_size; }},
	{"USED", "pool holding data", Kind::size, true,
	 [](const Device &d) -> Value { return used_pages(d) * d.page_size; }},
	{"FREE", "pool free", Kind::size, false,
	 [](const Device &d) -> Value { return std::min(d.free_pages, d.pool_pages) * d.page_size; }},
	{"USE%", "share of the pool holding data", Kind::percent, false,
	 [](const Device &d) -> Value {
		 if (!d.pool_pages)
			 return {};
		 return 100.0 * static_cast<double>(used_pages(d)) / static_cast<double>(d.pool_pages);
	 }},
	PS_COUNTER_COLUMN("TO-VRAM", "pages_to_vram", "pages migrated into VRAM", true),
	PS_COUNTER_COLUMN("TO-RAM", "pages_to_ram", "pages migrated back to RAM", true),
	PS_COUNTER_COLUMN("FAULTS", "cpu_faults", "CPU faults on pages in VRAM", true),
	PS_COUNTER_COLUMN("AROUND", "fault_around_pages", "pages brought back along with a fault", false),
	PS_COUNTER_COLUMN("EVICTED", "evicted_pages", "pages evicted to RAM to make room", false),
	PS_COUNTER_COLUMN("FAULT-NS", "fault_ns_ema", "fault service time, moving average, ns", false),
	PS_COUNTER_COLUMN("THP-TO-VRAM", "thp_to_vram", "2 MiB folios moved whole into VRAM", false),
	PS_COUNTER_COLUMN("THP-TO-RAM", "thp_to_ram", "2 MiB folios moved whole back", false),
	{"ENGINE", "copy engine in use: cpu or dma", Kind::text, false,
	 [](const Device &d) -> Value {
		 if (!d.copy_engine)
			 return {};
		 return *d.copy_engine;
	 }},
	{"MODE", "copy engine asked for: auto, cpu or dma", Kind::text, false,
	 [](const Device &d) -> Value {
		 if (!d.copy_mode)
			 return {};
		 return *d.copy_mode;
	 }},
	PS_COUNTER_COLUMN("DMA-PAGES", "dma_pages", "pages copied by DMA", false),
	PS_COUNTER_COLUMN("FALLBACKS", "dma_fallbacks", "DMA windows redone by the CPU", false),
	PS_COUNTER_COLUMN("ERRORS", "copy_errors", "DMA copy failures", false),
	PS_COUNTER_COLUMN("LOST-FAULTS", "lost_faults", "faults answered with SIGBUS while lost", false),
};

#undef PS_COUNTER_COLUMN

std::string upper(std::string_view s)
{
	std::string out(s);
	std::ranges::transform(out, out.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
	return out;
}

} // namespace

const std::vector<StatusColumn> &status_columns()
{
	return columns;
}

std::vector<const StatusColumn *> default_columns()
{
	std::vector<const StatusColumn *> out;
	for (const auto &c : columns)
		if (c.by_default)
			out.push_back(&c);
	return out;
}

std::vector<const StatusColumn *> all_columns()
{
	std::vector<const StatusColumn *> out;
	out.reserve(columns.size());
	for (const auto &c : columns)
		out.push_back(&c);
	return out;
}

std::vector<const StatusColumn *> parse_column_list(std::string_view list)
{
	std::vector<const StatusColumn *> out;
	if (!list.empty() && list.front() == '+') {
		out = default_columns();
		list.remove_prefix(1);
	}
	while (true) {
		const auto comma = list.find(',');
		const std::string name = upper(list.substr(0, comma));
		const auto it = std::ranges::find_if(columns, [&](const StatusColumn &c) { return name == c.name; });
		if (it == columns.end())
			throw std::invalid_argument(fmt::format("unknown column: '{}'", list.substr(0, comma)));
		out.push_back(&*it);
		if (comma == std::string_view::npos)
			break;
		list.remove_prefix(comma + 1);
	}
	return out;
}

std::string column_text(const StatusColumn &c, const Device &d, bool bytes)
{
	const Value v = c.value(d);
	// An empty cell would shift every later one in raw output.
	if (const auto *s = std::get_if<std::string>(&v))
		return s->empty() ? "-" : *s;
	if (const auto *p = std::get_if<double>(&v))
		return fmt::format("{:.1f}%", *p);
	if (const auto *n = std::get_if<std::uint64_t>(&v))
		return c.kind == Kind::size && !bytes ? human_bytes(*n) : std::to_string(*n);
	return "-";
}

nlohmann::json column_json(const StatusColumn &c, const Device &d)
{
	const Value v = c.value(d);
	if (const auto *s = std::get_if<std::string>(&v))
		return *s;
	if (const auto *p = std::get_if<double>(&v))
		return *p;
	if (const auto *n = std::get_if<std::uint64_t>(&v))
		return *n;
	return nullptr;
}

bool device_lost(const Device &d)
{
	return counter_value(d, "lost").value_or(0) != 0;
}

bool device_matches(const Device &d, std::string_view arg)
{
	if (arg.starts_with("/dev/"))
		arg.remove_prefix(5);
	if (!d.node.empty() && arg == d.node)
		return true;
	if (arg == d.pci_address)
		return true;
	// "03:00.0": the address without its domain, in domain 0000.
	return d.pci_address.starts_with("0000:") && arg == std::string_view(d.pci_address).substr(5);
}

std::string column_help()
{
	std::size_t width = 0;
	for (const auto &c : columns)
		width = std::max(width, std::string_view(c.name).size());
	std::string out;
	for (const auto &c : columns)
		out += fmt::format(" {:>{}}  {}\n", c.name, width, c.help);
	return out;
}

} // namespace ps

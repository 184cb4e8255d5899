// SPDX-License-Identifier: GPL-2.0-or-later
#include "pseudoscopic/device.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "pseudoscopic/sysfs.hpp"

namespace fs = std::filesystem;

namespace ps {

namespace {
constexpr const char *driver_dir = "bus/pci/drivers/pseudoscopic";

bool is_pci_address(const std::string &name)
{
	// dddd:bb:ss.f
	return name.size() == 12 && name[4] == ':' && name[7] == ':' && name[10] == '.';
}
} // namespace

bool module_loaded(const fs::path &sysfs_root)
{
	std::error_code ec;
	return fs::exists(sysfs_root / "module/pseudoscopic", ec);
}

std::vector<Device> discover_devices(const fs::path &sysfs_root)
{
	std::vector<Device> out;
	std::error_code ec;
	fs::directory_iterator it(sysfs_root / driver_dir, ec);
	if (ec)
		return out;
	for (const auto &entry : it) {
		const auto name = entry.path().filename().string();
		if (!is_pci_address(name))
			continue;
		const fs::path &dev = entry.path();
		const fs::path attrs = dev / "pseudoscopic";
		auto bar = read_s64(attrs / "bar_index");
		auto bytes = read_u64(attrs / "bar_bytes");
		if (!bar || !bytes)
			continue;
		Device d;
		d.pci_address = name;
		d.vendor_id = read_value(dev / "vendor").value_or("");
		d.device_id = read_value(dev / "device").value_or("");
		d.family = read_value(attrs / "vendor_family").value_or("generic");
		d.bar_index = static_cast<int>(*bar);
		d.bar_bytes = *bytes;
		d.pool_pages = read_u64(attrs / "pool_pages").value_or(0);
		d.free_pages = read_u64(attrs / "free_pages").value_or(0);
		if (auto pb = read_u64(attrs / "pool_bytes"); pb && d.pool_pages)
			d.page_size = *pb / d.pool_pages;
		d.copy_engine = read_value(attrs / "copy_engine");
		d.copy_mode = read_value(attrs / "copy_mode");
		for (const auto &c : counter_infos())
			if (auto v = read_u64(attrs / c.name))
				d.counters[c.name] = *v;
		if (std::ifstream h(attrs / "fault_latency_histogram"); h) {
			std::stringstream text;
			text << h.rdbuf();
			d.fault_histogram = parse_fault_histogram(text.str()).value_or(decltype(d.fault_histogram){});
		}
		std::error_code mec;
		for (const auto &m : fs::directory_iterator(dev / "misc", mec))
			d.node = m.path().filename().string();
		out.push_back(std::move(d));
	}
	std::ranges::sort(out, {}, &Device::pci_address);
	return out;
}

std::optional<std::vector<std::pair<std::uint64_t, std::uint64_t>>> parse_fault_histogram(const std::string &text)
{
	std::vector<std::pair<std::uint64_t, std::uint64_t>> out;
	std::istringstream in(text);
	std::string bound;
	std::uint64_t count = 0;
	bool last = false;
	while (in >> bound >> count) {
		// "<Nus" below N microseconds; ">=Nus" the rest, last.
		const bool open = bound.rfind(">=", 0) == 0;
		const std::size_t skip = open ? 2 : 1;
		if (last || bound.size() < skip + 3 || (!open && bound[0] != '<') ||
		    bound.compare(bound.size() - 2, 2, "us") != 0)
			return std::nullopt;
		std::uint64_t us = 0;
		const char *first = bound.data() + skip;
		const char *end = bound.data() + bound.size() - 2;
		if (auto [p, ec] = std::from_chars(first, end, us); ec != std::errc() || p != end)
			return std::nullopt;
		if (!open && !out.empty() && us <= out.back().first)
			return std::nullopt;
		out.emplace_back(open ? 0 : us, count);
		last = open;
	}
	if (!in.eof() || !last)
		return std::nullopt;
	return out;
}

std::optional<std::uint64_t> counter_value(const Device &d, const std::string &name)
{
	auto it = d.counters.find(name);
	if (it == d.counters.end())
		return std::nullopt;
	return it->second;
}

const std::vector<CounterInfo> &counter_infos()
{
	static const std::vector<CounterInfo> infos = {
		{"pages_to_vram", "Pages migrated into VRAM", false, false},
		{"pages_to_ram", "Pages migrated back to RAM", false, false},
		{"cpu_faults", "CPU faults on device pages", false, false},
		{"fault_around_pages", "Pages brought back by fault-around", false, false},
		{"fault_around_hits", "Fault-around pages their access stream went on past", false, true},
		{"evicted_pages", "Pages evicted to RAM", false, false},
		{"alloc_failures", "Device page allocations that found the pool empty", false, false},
		{"fault_ns_ema", "Fault service time, moving average, nanoseconds", true, false},
		{"fault_ns_total", "Sum of the fault service times the histogram counts, nanoseconds", false, true},
		{"resident_pages", "Pool pages holding data", true, true},
		{"bytes_to_vram", "Bytes migrated into VRAM", false, true},
		{"bytes_to_ram", "Bytes migrated back to RAM", false, true},
		{"thp_to_vram", "2 MiB folios moved whole into VRAM", false, true},
		{"thp_to_ram", "2 MiB folios moved whole back to RAM", false, true},
		{"dma_pages", "Pages copied by the DMA channel", false, true},
		{"dma_fallbacks", "Migration windows whose DMA copies were redone by the CPU", false, true},
		{"copy_errors", "DMA copy failures", false, true},
		{"lost", "1 if the device memory is unreachable (its pages raise SIGBUS), else 0", true, true},
		{"lost_faults", "CPU faults answered with SIGBUS because the device is lost", false, true},
	};
	return infos;
}

void to_json(nlohmann::json &j, const Device &d)
{
	j = nlohmann::json{
		{"pci_address", d.pci_address}, {"node", d.node},
		{"vendor_id", d.vendor_id},	{"device_id", d.device_id},
		{"family", d.family},		{"bar_index", d.bar_index},
		{"bar_bytes", d.bar_bytes},	{"pool_pages", d.pool_pages},
		{"free_pages", d.free_pages},	{"counters", d.counters},
	};
	const std::uint64_t free = std::min(d.free_pages, d.pool_pages);
	j["page_size"] = d.page_size;
	j["pool_bytes"] = d.pool_pages * d.page_size;
	j["free_bytes"] = free * d.page_size;
	j["used_pages"] = d.pool_pages - free;
	j["used_bytes"] = (d.pool_pages - free) * d.page_size;
	j["state"] = counter_value(d, "lost").value_or(0) ? "lost" : "ok";
	if (d.copy_engine)
		j["copy_engine"] = *d.copy_engine;
	if (d.copy_mode)
		j["copy_mode"] = *d.copy_mode;
}

} // namespace ps

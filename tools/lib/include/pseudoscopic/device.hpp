// SPDX-License-Identifier: GPL-2.0-or-later
// Discovery of the PCI devices bound to the pseudoscopic driver.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace ps {

struct Device {
	std::string pci_address;   // 0000:00:04.0
	std::string vendor_id;	   // 0x10de
	std::string device_id;	   // 0x1db1
	std::string family;	   // "nvidia" or "generic"
	std::string node;	   // pseudoscopic0 (its /dev name), "" if unknown
	int bar_index = -1;
	std::uint64_t bar_bytes = 0;
	std::uint64_t page_size = 4096;
	std::uint64_t pool_pages = 0;
	std::uint64_t free_pages = 0;
	// The copy engine in use ("cpu" or "dma") and the one asked for
	// ("auto", "cpu" or "dma"); absent with modules older than these files.
	std::optional<std::string> copy_engine;
	std::optional<std::string> copy_mode;
	// Every other numeric attribute of the device's sysfs group, by file
	// name (pages_to_vram, cpu_faults, fault_ns_ema, lost, ...).  A file
	// the module does not have leaves its name out.
	std::map<std::string, std::uint64_t> counters;
	// fault_latency_histogram: (upper bound in microseconds, count) per
	// bucket, the bound exclusive; the last bucket (bound 0) counts every
	// slower fault.  Empty with a module that lacks the file.
	std::vector<std::pair<std::uint64_t, std::uint64_t>> fault_histogram;
};

// fault_latency_histogram's text ("<1us 5" ... ">=1048576us 0") as
// buckets; nullopt if a line is malformed.
std::optional<std::vector<std::pair<std::uint64_t, std::uint64_t>>> parse_fault_histogram(const std::string &text);

// The value of counter `name`, or nullopt when the module lacks the file.
std::optional<std::uint64_t> counter_value(const Device &d, const std::string &name);

// The counters a device publishes, in display order, with their meaning
// (the sysfs ABI document is the reference).
struct CounterInfo {
	const char *name;
	const char *help;
	bool is_gauge;
	// Added after the first release: an older module lacks the file, and
	// the metric then has no sample instead of a 0.
	bool may_be_absent;
};
const std::vector<CounterInfo> &counter_infos();

// Every device bound to the driver, sorted by PCI address.  sysfs_root is
// "/sys" except in tests.  A device whose attributes cannot be read (being
// unbound at this moment) is left out.
std::vector<Device> discover_devices(const std::filesystem::path &sysfs_root = "/sys");

// Whether the module is loaded at all (distinguishes "no module" from
// "module loaded, no device bound" in error messages).
bool module_loaded(const std::filesystem::path &sysfs_root = "/sys");

void to_json(nlohmann::json &j, const Device &d);

} // namespace ps

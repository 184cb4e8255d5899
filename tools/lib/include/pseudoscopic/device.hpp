// SPDX-License-Identifier: GPL-2.0-or-later
// Discovery of the PCI devices bound to the pseudoscopic driver.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace ps {

struct Device {
	std::string pci_address;   // 0000:00:04.0
	std::string vendor_id;	   // 0x10de
	std::string device_id;	   // 0x1db1
	std::string family;	   // "nvidia" or "generic"
	int bar_index = -1;
	std::uint64_t bar_bytes = 0;
};

// Every device bound to the driver, sorted by PCI address.  sysfs_root is
// "/sys" except in tests.  A device whose attributes cannot be read (being
// unbound at this moment) is left out.
std::vector<Device> discover_devices(const std::filesystem::path &sysfs_root = "/sys");

// Whether the module is loaded at all (distinguishes "no module" from
// "module loaded, no device bound" in error messages).
bool module_loaded(const std::filesystem::path &sysfs_root = "/sys");

void to_json(nlohmann::json &j, const Device &d);

} // namespace ps

// SPDX-License-Identifier: GPL-2.0-or-later
// The package version (dkms.conf's PACKAGE_VERSION, the one source for the
// module, the man pages and the tools) and the uapi versions on each side.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace ps {

// "0.1.0": the version these tools were built from.
const char *package_version();

// PS_UAPI_VERSION of the header the tools were built with.
unsigned tools_uapi_version();

// What the loaded driver says of itself (/sys/module/pseudoscopic/version
// and uapi_version); nullopt for a field the module lacks, both nullopt
// when it is not loaded.
struct DriverVersion {
	bool loaded = false;
	std::optional<std::string> version;
	std::optional<unsigned> uapi;
};
DriverVersion driver_version(const std::filesystem::path &sysfs_root = "/sys");

// The text of --version:
//   ps-status (pseudoscopic) 0.1.0, uapi 4
//   driver: pseudoscopic 0.1.0, uapi 4       (or "driver: not loaded")
std::string version_text(const std::string &tool, const std::filesystem::path &sysfs_root = "/sys");

} // namespace ps

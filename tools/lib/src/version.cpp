// SPDX-License-Identifier: GPL-2.0-or-later
#include "pseudoscopic/version.hpp"

#include <fmt/format.h>
#include <linux/pseudoscopic.h>

#include "pseudoscopic/sysfs.hpp"

#ifndef PS_VERSION
#error "PS_VERSION comes from dkms.conf through tools/CMakeLists.txt"
#endif

namespace ps {

const char *package_version()
{
	return PS_VERSION;
}

unsigned tools_uapi_version()
{
	return PS_UAPI_VERSION;
}

DriverVersion driver_version(const std::filesystem::path &sysfs_root)
{
	const auto module = sysfs_root / "module" / "pseudoscopic";
	DriverVersion v;
	std::error_code ec;
	v.loaded = std::filesystem::is_directory(module, ec);
	if (!v.loaded)
		return v;
	v.version = read_value(module / "version");
	if (const auto u = read_u64(module / "uapi_version"))
		v.uapi = static_cast<unsigned>(*u);
	return v;
}

std::string version_text(const std::string &tool, const std::filesystem::path &sysfs_root)
{
	std::string out = fmt::format("{} (pseudoscopic) {}, uapi {}\n", tool, package_version(), tools_uapi_version());
	const auto d = driver_version(sysfs_root);
	if (!d.loaded)
		return out + "driver: not loaded";
	return out + fmt::format("driver: pseudoscopic {}, uapi {}", d.version.value_or("(no version)"),
				 d.uapi ? std::to_string(*d.uapi) : std::string("unknown"));
}

} // namespace ps

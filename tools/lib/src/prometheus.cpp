// SPDX-License-Identifier: GPL-2.0-or-later
#include "pseudoscopic/prometheus.hpp"

#include <cstdint>
#include <fmt/format.h>
#include <functional>

namespace ps {

namespace {

void family(std::string &out, const std::vector<Device> &devices, const std::string &name,
	    const std::string &help, const char *type, const std::function<std::uint64_t(const Device &)> &get)
{
	out += fmt::format("# HELP pseudoscopic_{} {}\n# TYPE pseudoscopic_{} {}\n", name, help, name, type);
	for (const auto &d : devices)
		out += fmt::format("pseudoscopic_{}{{device=\"{}\"}} {}\n", name, d.pci_address, get(d));
}

} // namespace

std::string to_prometheus(const std::vector<Device> &devices)
{
	std::string out;
	family(out, devices, "pool_bytes", "Bytes of VRAM in the pool.", "gauge",
	       [](const Device &d) { return d.pool_pages * d.page_size; });
	family(out, devices, "free_bytes", "Bytes of the pool not holding data.", "gauge",
	       [](const Device &d) { return d.free_pages * d.page_size; });
	for (const auto &c : counter_infos()) {
		const std::string name = c.is_gauge ? c.name : std::string(c.name) + "_total";
		family(out, devices, name, std::string(c.help) + ".", c.is_gauge ? "gauge" : "counter",
		       [&c](const Device &d) {
			       auto it = d.counters.find(c.name);
			       return it == d.counters.end() ? std::uint64_t{0} : it->second;
		       });
	}
	return out;
}

} // namespace ps

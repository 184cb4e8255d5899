// SPDX-License-Identifier: GPL-2.0-or-later
#include "pseudoscopic/prometheus.hpp"

#include <cstdint>
#include <fmt/format.h>
#include <functional>
#include <optional>

namespace ps {

namespace {

// A device without a value (an older module lacking the file) has no sample.
void family(std::string &out, const std::vector<Device> &devices, const std::string &name,
	    const std::string &help, const char *type,
	    const std::function<std::optional<std::uint64_t>(const Device &)> &get)
{
	out += fmt::format("# HELP pseudoscopic_{} {}\n# TYPE pseudoscopic_{} {}\n", name, help, name, type);
	for (const auto &d : devices)
		if (auto v = get(d))
			out += fmt::format("pseudoscopic_{}{{device=\"{}\"}} {}\n", name, d.pci_address, *v);
}

// A label value as the text format wants it: \, " and newline escaped.
std::string label(const std::string &s)
{
	std::string out;
	for (char c : s) {
		if (c == '\\' || c == '"')
			out += '\\';
		if (c == '\n') {
			out += "\\n";
			continue;
		}
		out += c;
	}
	return out;
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
		       [&c](const Device &d) -> std::optional<std::uint64_t> {
			       auto v = counter_value(d, c.name);
			       // The first release's counters read as 0 when missing.
			       return v || c.may_be_absent ? v : std::uint64_t{0};
		       });
	}
	out += "# HELP pseudoscopic_copy_engine_info Copy engine new migrations use (engine) and the one asked "
	       "for (mode); always 1.\n# TYPE pseudoscopic_copy_engine_info gauge\n";
	for (const auto &d : devices) {
		if (!d.copy_engine)
			continue;
		out += fmt::format(R"(pseudoscopic_copy_engine_info{{device="{}",engine="{}")", d.pci_address,
				   label(*d.copy_engine));
		if (d.copy_mode)
			out += fmt::format(R"(,mode="{}")", label(*d.copy_mode));
		out += "} 1\n";
	}
	return out;
}

} // namespace ps

// SPDX-License-Identifier: GPL-2.0-or-later
#include "pseudoscopic/prometheus.hpp"

#include <cstdint>
#include <fmt/format.h>
#include <functional>
#include <optional>

namespace ps {

namespace {

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

void header(std::string &out, const std::string &name, const std::string &help, const char *type)
{
	out += fmt::format("# HELP pseudoscopic_{} {}\n# TYPE pseudoscopic_{} {}\n", name, help, name, type);
}

// A device without a value (an older module lacking the file) has no sample.
void family(std::string &out, const std::vector<Device> &devices, const std::string &name, const std::string &help,
	    const char *type, const std::function<std::optional<double>(const Device &)> &get)
{
	header(out, name, help, type);
	for (const auto &d : devices)
		if (auto v = get(d))
			out += fmt::format("pseudoscopic_{}{{device=\"{}\"}} {}\n", name, label(d.pci_address), *v);
}

// fault_latency_histogram as a Prometheus histogram in seconds: cumulative
// buckets (the driver's bounds are exclusive, "le" inclusive: a fault of
// exactly 2^i us counts in the next bucket up), fault_ns_total as the sum.
void latency_histogram(std::string &out, const std::vector<Device> &devices)
{
	header(out, "fault_latency_seconds", "Time to service a CPU fault on a page in VRAM.", "histogram");
	for (const auto &d : devices) {
		const auto sum = counter_value(d, "fault_ns_total");
		if (d.fault_histogram.empty() || !sum)
			continue;
		const std::string dev = label(d.pci_address);
		std::uint64_t cumulative = 0;
		for (const auto &[bound_us, count] : d.fault_histogram) {
			cumulative += count;
			const std::string le = bound_us ? fmt::format("{}", static_cast<double>(bound_us) / 1e6) : "+Inf";
			out += fmt::format("pseudoscopic_fault_latency_seconds_bucket{{device=\"{}\",le=\"{}\"}} {}\n", dev,
					   le, cumulative);
		}
		out += fmt::format("pseudoscopic_fault_latency_seconds_sum{{device=\"{}\"}} {}\n", dev,
				   static_cast<double>(*sum) / 1e9);
		out += fmt::format("pseudoscopic_fault_latency_seconds_count{{device=\"{}\"}} {}\n", dev, cumulative);
	}
}

} // namespace

const std::vector<MetricName> &metric_names()
{
	// Base units, the unit last, counters ending in _total.
	static const std::vector<MetricName> names = {
		{"pages_to_vram", "to_vram_pages_total", "counter", 1},
		{"pages_to_ram", "to_ram_pages_total", "counter", 1},
		{"cpu_faults", "cpu_faults_total", "counter", 1},
		{"fault_around_pages", "fault_around_pages_total", "counter", 1},
		{"fault_around_hits", "fault_around_hit_pages_total", "counter", 1},
		{"evicted_pages", "evicted_pages_total", "counter", 1},
		{"alloc_failures", "alloc_failures_total", "counter", 1},
		{"fault_ns_ema", "fault_ema_seconds", "gauge", 1e9, "Fault service time, moving average, seconds."},
		{"fault_ns_total", "", "", 0}, // the latency histogram's sum
		{"resident_pages", "resident_pages", "gauge", 1},
		{"bytes_to_vram", "to_vram_bytes_total", "counter", 1},
		{"bytes_to_ram", "to_ram_bytes_total", "counter", 1},
		{"thp_to_vram", "thp_to_vram_total", "counter", 1},
		{"thp_to_ram", "thp_to_ram_total", "counter", 1},
		{"dma_pages", "dma_pages_total", "counter", 1},
		{"dma_fallbacks", "dma_fallbacks_total", "counter", 1},
		{"copy_errors", "copy_errors_total", "counter", 1},
		{"lost", "lost", "gauge", 1},
		{"lost_faults", "lost_faults_total", "counter", 1},
	};
	return names;
}

std::string to_prometheus(const std::vector<Device> &devices)
{
	std::string out;
	header(out, "device_info", "A device bound to pseudoscopic; always 1.", "gauge");
	for (const auto &d : devices)
		out += fmt::format(
			R"(pseudoscopic_device_info{{device="{}",node="{}",vendor="{}",device_id="{}",family="{}"}} 1)"
			"\n",
			label(d.pci_address), label(d.node), label(d.vendor_id), label(d.device_id), label(d.family));
	family(out, devices, "pool_bytes", "Bytes of VRAM in the pool.", "gauge",
	       [](const Device &d) { return static_cast<double>(d.pool_pages * d.page_size); });
	family(out, devices, "free_bytes", "Bytes of the pool not holding data.", "gauge",
	       [](const Device &d) { return static_cast<double>(d.free_pages * d.page_size); });
	for (const auto &c : counter_infos()) {
		const MetricName *m = nullptr;
		for (const auto &n : metric_names())
			if (c.name == std::string(n.file))
				m = &n;
		if (!m || !*m->metric)
			continue;
		family(out, devices, m->metric, m->help ? std::string(m->help) : std::string(c.help) + ".", m->type,
		       [&c, m](const Device &d) -> std::optional<double> {
			       auto v = counter_value(d, c.name);
			       // The first release's counters read as 0 when missing.
			       if (!v && !c.may_be_absent)
				       v = 0;
			       if (!v)
				       return std::nullopt;
			       return static_cast<double>(*v) / m->divisor;
		       });
	}
	latency_histogram(out, devices);
	header(out, "copy_engine_info",
	       "Copy engine new migrations use (engine) and the one asked for (mode); always 1.", "gauge");
	for (const auto &d : devices) {
		if (!d.copy_engine)
			continue;
		out += fmt::format(R"(pseudoscopic_copy_engine_info{{device="{}",engine="{}")", label(d.pci_address),
				   label(*d.copy_engine));
		if (d.copy_mode)
			out += fmt::format(R"(,mode="{}")", label(*d.copy_mode));
		out += "} 1\n";
	}
	return out;
}

} // namespace ps

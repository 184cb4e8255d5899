// SPDX-License-Identifier: GPL-2.0-or-later
#include "pseudoscopic/dashboard.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "pseudoscopic/units.hpp"

namespace ps {

namespace {

std::uint64_t counter(const Device &d, const char *name)
{
	auto it = d.counters.find(name);
	return it == d.counters.end() ? 0 : it->second;
}

const Device *find(const std::vector<Device> &v, const std::string &addr)
{
	auto it = std::ranges::find(v, addr, &Device::pci_address);
	return it == v.end() ? nullptr : &*it;
}

// A counter's value, or "-" when the module lacks the file.
std::string value_or_dash(const Device &d, const char *name)
{
	auto v = counter_value(d, name);
	return v ? std::to_string(*v) : "-";
}

// The engine/THP line, or "" for a module without any of its attributes.
std::string engine_line(const Device &d, bool narrow)
{
	const bool any = d.copy_engine || d.copy_mode || counter_value(d, "thp_to_vram") ||
			 counter_value(d, "thp_to_ram") || counter_value(d, "dma_fallbacks") ||
			 counter_value(d, "copy_errors");
	if (!any)
		return "";
	const std::string engine = d.copy_engine.value_or("-");
	const std::string mode = d.copy_mode.value_or("-");
	if (narrow)
		return fmt::format("  engine {} ({})  THP to VRAM {} RAM {}  errors {}\n", engine, mode,
				   value_or_dash(d, "thp_to_vram"), value_or_dash(d, "thp_to_ram"),
				   value_or_dash(d, "copy_errors"));
	return fmt::format("  engine {} ({})   THP to VRAM {}, to RAM {}   DMA fallbacks {}, errors {}\n", engine,
			   mode, value_or_dash(d, "thp_to_vram"), value_or_dash(d, "thp_to_ram"),
			   value_or_dash(d, "dma_fallbacks"), value_or_dash(d, "copy_errors"));
}

// The fault-around hit rate, fault_around_hits / fault_around_pages: of the
// pages fault-around brought back, the share their access stream then went
// on past (the driver counts it, src/fault_window.c).
std::string fault_hit_line(std::uint64_t hits, std::uint64_t around, bool narrow)
{
	if (!around)
		return narrow ? "  fault-around hits     -\n" : "  fault-around hit rate     - (no fault-around yet)\n";
	const double rate = 100.0 * static_cast<double>(hits) / static_cast<double>(around);
	if (narrow)
		return fmt::format("  fault-around hits {:5.1f}%\n", rate);
	return fmt::format("  fault-around hit rate {:5.1f}% ({} of {} pages brought along were used)\n", rate, hits,
			   around);
}

// A module without fault_around_hits: fault_around_pages / (cpu_faults +
// fault_around_pages), of the pages CPU faults brought back, the share that
// came without a fault of their own.  Not a hit rate: such a module does
// not count whether a page brought along was used afterwards.
std::string fault_around_line(const Device &d, std::uint64_t faults, std::uint64_t around, bool narrow)
{
	if (const auto hits = counter_value(d, "fault_around_hits"))
		return fault_hit_line(*hits, around, narrow);
	if (!faults)
		return narrow ? "  fault-around     - (no faults yet)\n"
			      : "  fault-around     - of pages faulted back (no faults yet)\n";
	const double share = 100.0 * static_cast<double>(around) / static_cast<double>(faults + around);
	if (narrow)
		return fmt::format("  fault-around {:5.1f}% of pages w/o own fault\n", share);
	return fmt::format("  fault-around {:5.1f}% of pages faulted back came without a fault of their own\n", share);
}

bool is_lost(const Device &d)
{
	return counter_value(d, "lost").value_or(0) != 0;
}

// The bar, its filled part coloured by how full the pool is when colour
// is on (green, yellow from 75%, red from 90%).
std::string bar(double fraction, int width, bool color)
{
	const int filled = std::clamp(static_cast<int>(std::lround(fraction * width)), 0, width);
	std::string fill(static_cast<std::size_t>(filled), '#');
	if (color && filled) {
		const char *sgr = fraction >= 0.9 ? "31" : fraction >= 0.75 ? "33" : "32";
		fill = fmt::format("\033[{}m{}\033[0m", sgr, fill);
	}
	return fill + std::string(static_cast<std::size_t>(width - filled), '.');
}

// A bucket bound of fault_latency_histogram as text: "<4 us", "<1.0 ms".
std::string bound_text(std::uint64_t us)
{
	if (!us)
		return ">=1.0 s";
	if (us < 1000)
		return fmt::format("<{} us", us);
	if (us < 1000000)
		return fmt::format("<{:.1f} ms", static_cast<double>(us) / 1e3);
	return fmt::format("<{:.1f} s", static_cast<double>(us) / 1e6);
}

// The bucket holding the p-th percentile of the counts (p in 0..100).
std::uint64_t percentile_bucket(const std::vector<std::pair<std::uint64_t, std::uint64_t>> &buckets, double p)
{
	std::uint64_t total = 0;
	for (const auto &b : buckets)
		total += b.second;
	const auto rank = static_cast<std::uint64_t>(std::ceil(p / 100.0 * static_cast<double>(total)));
	std::uint64_t seen = 0;
	for (const auto &[bound, count] : buckets) {
		seen += count;
		if (seen >= std::max<std::uint64_t>(rank, 1))
			return bound;
	}
	return 0;
}

// p50 and p99 of the faults of the last interval (the histogram's growth
// since the previous frame), or of all faults since bind before there is
// an interval or when none happened in it; "" without a histogram.
std::string percentile_line(const Device &d, const Device *prev, double seconds, bool narrow)
{
	if (d.fault_histogram.empty())
		return "";
	auto buckets = d.fault_histogram;
	std::string span = "since bound";
	if (prev && seconds > 0 && prev->fault_histogram.size() == buckets.size()) {
		auto delta = buckets;
		std::uint64_t n = 0;
		for (std::size_t i = 0; i < delta.size(); i++) {
			delta[i].second -= std::min(delta[i].second, prev->fault_histogram[i].second);
			n += delta[i].second;
		}
		if (n) {
			buckets = std::move(delta);
			span = fmt::format("last {:.1f} s", seconds);
		}
	}
	std::uint64_t n = 0;
	for (const auto &b : buckets)
		n += b.second;
	if (!n)
		return narrow ? "  p50 -  p99 -\n" : "  fault p50 -   p99 -   (no faults yet)\n";
	const std::string p50 = bound_text(percentile_bucket(buckets, 50));
	const std::string p99 = bound_text(percentile_bucket(buckets, 99));
	if (narrow)
		return fmt::format("  p50 {}  p99 {}\n", p50, p99);
	return fmt::format("  fault p50 {}   p99 {}   ({}: {} fault{})\n", p50, p99, span, n, n == 1 ? "" : "s");
}

// A rate of pages as bytes per second, human-readable: "7.8M/s".
std::string byte_rate(double pages_per_second, std::uint64_t page_size)
{
	return human_bytes(static_cast<std::uint64_t>(std::llround(pages_per_second * static_cast<double>(page_size)))) +
	       "/s";
}

} // namespace

std::string render_dashboard(const std::vector<Device> &prev, const std::vector<Device> &cur, double seconds,
			     int width, bool color)
{
	std::string out = fmt::format("pseudoscopic: {} device{}", cur.size(), cur.size() == 1 ? "" : "s");
	if (const auto lost = std::ranges::count_if(cur, is_lost))
		out += fmt::format(", {} LOST", lost);
	out += '\n';
	const int barw = std::max(10, width - 40);
	for (const auto &d : cur) {
		const std::uint64_t used = d.pool_pages - std::min(d.free_pages, d.pool_pages);
		const double frac = d.pool_pages ? static_cast<double>(used) / static_cast<double>(d.pool_pages) : 0.0;
		out += fmt::format("\n{} {} ({})\n", d.pci_address, d.node.empty() ? "-" : d.node, d.family);
		// The full lines need 79 columns; narrower terminals get the
		// same numbers in short form rather than wrapped lines.
		const bool narrow = width < 80;
		if (is_lost(d)) {
			const std::string warning =
				narrow ? fmt::format("!!! LOST: VRAM unreachable, SIGBUS faults {}",
						     value_or_dash(d, "lost_faults"))
				       : fmt::format("!!! DEVICE LOST: VRAM unreachable, its pages raise SIGBUS (faults {})",
						     value_or_dash(d, "lost_faults"));
			out += color ? fmt::format("  \033[1;31m{}\033[0m\n", warning) : "  " + warning + "\n";
		}
		out += fmt::format("  pool [{}] {:5.1f}%  {} of {}\n", bar(frac, barw, color), frac * 100.0,
				   human_bytes(used * d.page_size), human_bytes(d.pool_pages * d.page_size));
		const Device *p = find(prev, d.pci_address);
		if (p && seconds > 0) {
			auto rate = [&](const char *n) {
				return static_cast<double>(counter(d, n) - std::min(counter(d, n), counter(*p, n))) /
				       seconds;
			};
			const std::string to_vram = byte_rate(rate("pages_to_vram"), d.page_size);
			const std::string to_ram = byte_rate(rate("pages_to_ram"), d.page_size);
			if (narrow)
				out += fmt::format("  to VRAM {:>8}  to RAM {:>8}  faults {:>6.0f}/s\n", to_vram, to_ram,
						   rate("cpu_faults"));
			else
				out += fmt::format("  to VRAM {:>10}   to RAM {:>10}   faults {:>8.0f}/s\n", to_vram, to_ram,
						   rate("cpu_faults"));
		} else if (narrow) {
			out += "  to VRAM      -/s  to RAM      -/s  faults      -/s\n";
		} else {
			out += "  to VRAM        -/s   to RAM        -/s   faults        -/s\n";
		}
		const std::uint64_t faults = counter(d, "cpu_faults");
		const std::uint64_t around = counter(d, "fault_around_pages");
		const double latency = static_cast<double>(counter(d, "fault_ns_ema")) / 1000.0;
		const double per_fault =
			faults ? static_cast<double>(faults + around) / static_cast<double>(faults) : 0.0;
		if (narrow)
			out += fmt::format("  latency {:.1f} us  pages/fault {:.1f}  evicted {}\n", latency, per_fault,
					   counter(d, "evicted_pages"));
		else
			out += fmt::format("  fault latency {:.1f} us (avg)   pages per fault {:.1f}   evicted {}\n",
					   latency, per_fault, counter(d, "evicted_pages"));
		out += percentile_line(d, p, seconds, narrow);
		out += fault_around_line(d, faults, around, narrow);
		out += engine_line(d, narrow);
	}
	return out;
}

} // namespace ps

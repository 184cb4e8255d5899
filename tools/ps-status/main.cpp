// SPDX-License-Identifier: GPL-2.0-or-later
// ps-status: show the devices bound to pseudoscopic.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <sys/ioctl.h>
#include <thread>
#include <unistd.h>

#include "pseudoscopic/dashboard.hpp"
#include "pseudoscopic/device.hpp"
#include "pseudoscopic/prometheus.hpp"
#include "pseudoscopic/status.hpp"
#include "pseudoscopic/table.hpp"
#include "pseudoscopic/tool_main.hpp"
#include "pseudoscopic/units.hpp"

namespace {

using Options = ps::StatusOptions;

std::uint64_t counter(const ps::Device &d, const char *name)
{
	auto it = d.counters.find(name);
	return it == d.counters.end() ? 0 : it->second;
}

std::string table(const std::vector<ps::Device> &devices, const Options &opt)
{
	auto size = [&](std::uint64_t b) { return opt.bytes ? std::to_string(b) : ps::human_bytes(b); };
	ps::Table t;
	using A = ps::Table::Align;
	t.add_column("DEVICE");
	t.add_column("NODE");
	t.add_column("VENDOR:ID");
	t.add_column("FAMILY");
	t.add_column("BAR", A::right);
	t.add_column("SIZE", A::right);
	t.add_column("POOL", A::right);
	t.add_column("USED", A::right);
	t.add_column("TO-VRAM", A::right);
	t.add_column("TO-RAM", A::right);
	t.add_column("FAULTS", A::right);
	for (const auto &d : devices) {
		const std::uint64_t used = d.pool_pages - std::min(d.free_pages, d.pool_pages);
		t.add_row({d.pci_address, d.node.empty() ? "-" : d.node,
			   fmt::format("{}:{}", d.vendor_id.substr(2), d.device_id.substr(2)), d.family,
			   std::to_string(d.bar_index), size(d.bar_bytes), size(d.pool_pages * d.page_size),
			   size(used * d.page_size), std::to_string(counter(d, "pages_to_vram")),
			   std::to_string(counter(d, "pages_to_ram")), std::to_string(counter(d, "cpu_faults"))});
	}
	return t.render(!opt.raw);
}

int terminal_width()
{
	winsize ws{};
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
		return ws.ws_col;
	return 80;
}

int watch(const Options &opt)
{
	const bool tty = isatty(STDOUT_FILENO) != 0;
	std::vector<ps::Device> prev;
	auto last = std::chrono::steady_clock::now();
	for (int frame = 0; opt.count == 0 || frame < opt.count; frame++) {
		if (frame)
			std::this_thread::sleep_for(std::chrono::duration<double>(opt.watch));
		auto now = std::chrono::steady_clock::now();
		auto cur = ps::discover_devices(opt.sysfs);
		const double secs = std::chrono::duration<double>(now - last).count();
		if (tty)
			fmt::print("\033[H\033[2J");
		fmt::print("{}", ps::render_dashboard(prev, cur, frame ? secs : 0, terminal_width()));
		if (tty)
			fmt::print("\n(refresh every {:g} s, Ctrl-C to quit)\n", opt.watch);
		(void)std::fflush(stdout);
		prev = std::move(cur);
		last = now;
	}
	return 0;
}

int show(const Options &opt)
{
	if (!ps::module_loaded(opt.sysfs)) {
		fmt::print(stderr, "ps-status: the pseudoscopic module is not loaded (modprobe pseudoscopic)\n");
		return 1;
	}
	if (opt.watch > 0)
		return watch(opt);
	const auto devices = ps::discover_devices(opt.sysfs);
	if (opt.json) {
		nlohmann::json j;
		j["devices"] = devices;
		fmt::print("{}\n", j.dump(2));
	} else if (opt.prometheus) {
		fmt::print("{}", ps::to_prometheus(devices));
	} else {
		fmt::print("{}", table(devices, opt));
	}
	return 0;
}

int run(int argc, char **argv)
{
	Options opt;
	if (const int rc = ps::parse_status_args({argv + 1, argv + argc}, opt, std::cout, std::cerr); rc >= 0)
		return rc;
	return show(opt);
}

} // namespace

int main(int argc, char **argv)
{
	return ps::tool_main("ps-status", run, argc, argv);
}

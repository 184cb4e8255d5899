// SPDX-License-Identifier: GPL-2.0-or-later
// ps-status: show the devices bound to pseudoscopic.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <exception>
#include <sys/ioctl.h>
#include <thread>
#include <unistd.h>

#include "pseudoscopic/dashboard.hpp"
#include "pseudoscopic/device.hpp"
#include "pseudoscopic/prometheus.hpp"
#include "pseudoscopic/table.hpp"
#include "pseudoscopic/tool_main.hpp"
#include "pseudoscopic/units.hpp"

namespace {

struct Options {
	bool json = false;
	bool prometheus = false;
	bool raw = false;
	bool bytes = false;
	double watch = 0;
	int count = 0;
	std::string sysfs = "/sys";
};

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
	CLI::App app{"Show GPU memory devices managed by the pseudoscopic driver.", "ps-status"};
	Options opt;
	auto *json = app.add_flag("-J,--json", opt.json, "Print JSON instead of a table");
	auto *prom = app.add_flag("--prometheus", opt.prometheus,
				  "Print node_exporter textfile-collector metrics");
	app.add_flag("-r,--raw", opt.raw, "Print the table without its header line");
	app.add_flag("-b,--bytes", opt.bytes, "Print sizes in bytes instead of K/M/G");
	auto *w = app.add_option("-w,--watch", opt.watch, "Live dashboard, refreshed every SECONDS")
			  ->expected(0, 1)
			  ->default_str("1")
			  ->check(CLI::PositiveNumber);
	app.add_option("--count", opt.count, "With --watch: stop after N refreshes")->check(CLI::PositiveNumber);
	app.add_option("--sysfs-root", opt.sysfs, "Read sysfs from this directory (for tests)")->group("");
	json->excludes(prom);
	w->excludes(json)->excludes(prom);
	app.footer("Exit status: 0 on success, 1 if the pseudoscopic module is not loaded, 2 on usage errors.");
	try {
		app.parse(argc, argv);
	} catch (const CLI::ParseError &e) {
		return app.exit(e) == 0 ? 0 : 2;
	}
	if (w->count() > 0 && opt.watch <= 0)
		opt.watch = 1;
	return show(opt);
}

} // namespace

int main(int argc, char **argv)
{
	return ps::tool_main("ps-status", run, argc, argv);
}

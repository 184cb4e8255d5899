// SPDX-License-Identifier: GPL-2.0-or-later
// ps-status: show the devices bound to pseudoscopic.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <exception>

#include "pseudoscopic/device.hpp"
#include "pseudoscopic/table.hpp"
#include "pseudoscopic/units.hpp"

namespace {

struct Options {
	bool json = false;
	bool raw = false;
	bool bytes = false;
	std::string sysfs = "/sys";
};

int show(const Options &opt)
{
	if (!ps::module_loaded(opt.sysfs)) {
		fmt::print(stderr, "ps-status: the pseudoscopic module is not loaded (modprobe pseudoscopic)\n");
		return 1;
	}
	const auto devices = ps::discover_devices(opt.sysfs);
	if (opt.json) {
		nlohmann::json j;
		j["devices"] = devices;
		fmt::print("{}\n", j.dump(2));
		return 0;
	}
	ps::Table t;
	t.add_column("DEVICE");
	t.add_column("VENDOR:ID");
	t.add_column("FAMILY");
	t.add_column("BAR", ps::Table::Align::right);
	t.add_column("SIZE", ps::Table::Align::right);
	for (const auto &d : devices)
		t.add_row({d.pci_address, fmt::format("{}:{}", d.vendor_id.substr(2), d.device_id.substr(2)),
			   d.family, std::to_string(d.bar_index),
			   opt.bytes ? std::to_string(d.bar_bytes) : ps::human_bytes(d.bar_bytes)});
	fmt::print("{}", t.render(!opt.raw));
	return 0;
}

int run(int argc, char **argv)
{
	CLI::App app{"Show GPU memory devices managed by the pseudoscopic driver.", "ps-status"};
	Options opt;
	app.add_flag("-J,--json", opt.json, "Print JSON instead of a table");
	app.add_flag("-r,--raw", opt.raw, "Print the table without its header line");
	app.add_flag("-b,--bytes", opt.bytes, "Print sizes in bytes instead of K/M/G");
	app.add_option("--sysfs-root", opt.sysfs, "Read sysfs from this directory (for tests)")->group("");
	app.footer("Exit status: 0 on success, 1 if the pseudoscopic module is not loaded, 2 on usage errors.");
	try {
		app.parse(argc, argv);
	} catch (const CLI::ParseError &e) {
		return app.exit(e) == 0 ? 0 : 2;
	}
	return show(opt);
}

} // namespace

int main(int argc, char **argv)
{
	try {
		return run(argc, argv);
	} catch (const std::exception &e) {
		(void)std::fprintf(stderr, "ps-status: %s\n", e.what());
	} catch (...) {
		(void)std::fprintf(stderr, "ps-status: unexpected error\n");
	}
	return 1;
}

// SPDX-License-Identifier: GPL-2.0-or-later
// ps-status: show the devices bound to pseudoscopic.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sys/ioctl.h>
#include <unistd.h>

#include "pseudoscopic/dashboard.hpp"
#include "pseudoscopic/device.hpp"
#include "pseudoscopic/prometheus.hpp"
#include "pseudoscopic/status.hpp"
#include "pseudoscopic/status_columns.hpp"
#include "pseudoscopic/table.hpp"
#include "pseudoscopic/terminal.hpp"
#include "pseudoscopic/tool_main.hpp"

namespace {

using Options = ps::StatusOptions;

// The JSON document's layout; raised when a key changes meaning or goes.
constexpr int json_schema_version = 2;

std::string table(const std::vector<ps::Device> &devices, const Options &opt)
{
	ps::Table t;
	for (const auto *c : opt.columns)
		t.add_column(c->name, c->kind == ps::StatusColumn::Kind::text ? ps::Table::Align::left
									    : ps::Table::Align::right);
	for (const auto &d : devices) {
		std::vector<std::string> row;
		row.reserve(opt.columns.size());
		for (const auto *c : opt.columns)
			row.push_back(ps::column_text(*c, d, opt.bytes));
		t.add_row(std::move(row));
	}
	const auto style = opt.pairs ? ps::Table::Style::pairs
			   : opt.raw ? ps::Table::Style::raw
				     : ps::Table::Style::columns;
	return t.render(!opt.noheadings, style);
}

std::string json(const std::vector<ps::Device> &devices, const Options &opt)
{
	nlohmann::json list = nlohmann::json::array();
	for (const auto &d : devices) {
		nlohmann::json j;
		if (opt.columns_chosen) {
			for (const auto *c : opt.columns) {
				std::string key = c->name;
				std::ranges::transform(key, key.begin(), [](unsigned char ch) {
					return static_cast<char>(std::tolower(ch));
				});
				j[key] = ps::column_json(*c, d);
			}
		} else {
			j = d;
		}
		list.push_back(std::move(j));
	}
	return nlohmann::json{{"schema_version", json_schema_version}, {"devices", list}}.dump(2) + "\n";
}

// The file is replaced whole: a scraper never reads half of it.
void write_atomically(const std::filesystem::path &file, const std::string &text)
{
	const auto tmp = file.parent_path() / fmt::format(".{}.{}.tmp", file.filename().string(), getpid());
	{
		std::ofstream out(tmp, std::ios::trunc);
		out << text;
		out.flush();
		if (!out)
			throw std::runtime_error(fmt::format("cannot write {}", tmp.string()));
	}
	std::error_code ec;
	std::filesystem::rename(tmp, file, ec);
	if (ec) {
		std::filesystem::remove(tmp, ec);
		throw std::runtime_error(fmt::format("cannot rename to {}", file.string()));
	}
}

int terminal_width()
{
	winsize ws{};
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
		return ws.ws_col;
	return 80;
}

// The devices the DEVICE arguments name (all without arguments); the
// first argument that names none is returned in `missing`.
std::vector<ps::Device> selected(std::vector<ps::Device> all, const Options &opt, std::string *missing)
{
	if (opt.devices.empty())
		return all;
	std::vector<ps::Device> out;
	for (const auto &arg : opt.devices) {
		auto it = std::ranges::find_if(all, [&](const ps::Device &d) { return ps::device_matches(d, arg); });
		if (it == all.end()) {
			if (missing && missing->empty())
				*missing = arg;
			continue;
		}
		if (std::ranges::none_of(out, [&](const ps::Device &d) { return d.pci_address == it->pci_address; }))
			out.push_back(*it);
	}
	return out;
}

// One JSON object per line and frame (JSON Lines): the devices as -J
// prints them, each with its rates over the last interval once there is
// one.
std::string json_frame(const std::vector<ps::Device> &prev, const std::vector<ps::Device> &cur, double secs)
{
	nlohmann::json list = nlohmann::json::array();
	for (const auto &d : cur) {
		nlohmann::json j = d;
		auto p = std::ranges::find(prev, d.pci_address, &ps::Device::pci_address);
		if (p != prev.end() && secs > 0) {
			auto rate = [&](const char *n) {
				const auto now = ps::counter_value(d, n).value_or(0);
				const auto before = ps::counter_value(*p, n).value_or(0);
				return static_cast<double>(now - std::min(now, before)) / secs;
			};
			const auto page = static_cast<double>(d.page_size);
			j["rates"] = {{"to_vram_bytes_per_second", rate("pages_to_vram") * page},
				      {"to_ram_bytes_per_second", rate("pages_to_ram") * page},
				      {"faults_per_second", rate("cpu_faults")}};
		}
		list.push_back(std::move(j));
	}
	const auto wall = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch());
	nlohmann::json frame = {{"schema_version", json_schema_version}, {"time", wall.count()}, {"devices", list}};
	frame["interval_seconds"] = secs > 0 ? nlohmann::json(secs) : nlohmann::json(nullptr);
	return frame.dump() + "\n";
}

int watch(const Options &opt)
{
	// The alternate screen for an open-ended dashboard on a terminal; q,
	// Ctrl-C, SIGTERM and SIGHUP end it with the terminal put back.
	ps::TerminalSession term(opt.count == 0 && !opt.json);
	const bool color = !opt.json && ps::use_color();
	std::vector<ps::Device> prev;
	auto last = std::chrono::steady_clock::now();
	for (int frame = 0; opt.count == 0 || frame < opt.count; frame++) {
		if (frame && !term.wait(std::chrono::duration<double>(opt.watch)))
			break;
		auto now = std::chrono::steady_clock::now();
		auto cur = selected(ps::discover_devices(opt.sysfs), opt, nullptr);
		const double secs = frame ? std::chrono::duration<double>(now - last).count() : 0;
		if (opt.json) {
			fmt::print("{}", json_frame(prev, cur, secs));
		} else {
			if (term.screen())
				fmt::print("\033[H\033[2J");
			fmt::print("{}", ps::render_dashboard(prev, cur, secs, terminal_width(), color));
			if (term.screen())
				fmt::print("\n(refresh every {:g} s, q or Ctrl-C to quit)\n", opt.watch);
		}
		(void)std::fflush(stdout);
		prev = std::move(cur);
		last = now;
	}
	return ps::status_ok;
}

int prometheus(const Options &opt)
{
	const bool loaded = ps::module_loaded(opt.sysfs);
	std::string text = "# HELP pseudoscopic_module_loaded 1 if the pseudoscopic module is loaded, else 0.\n"
			   "# TYPE pseudoscopic_module_loaded gauge\n";
	text += fmt::format("pseudoscopic_module_loaded {}\n", loaded ? 1 : 0);
	if (loaded)
		text += ps::to_prometheus(selected(ps::discover_devices(opt.sysfs), opt, nullptr));
	if (opt.textfile.empty())
		fmt::print("{}", text);
	else
		write_atomically(opt.textfile, text);
	return ps::status_ok;
}

int show(const Options &opt)
{
	// Metrics are written with or without the module: a textfile that
	// stopped changing would read as the last state forever.
	if (opt.prometheus)
		return prometheus(opt);
	if (!ps::module_loaded(opt.sysfs)) {
		fmt::print(stderr, "ps-status: the pseudoscopic module is not loaded (modprobe pseudoscopic)\n");
		return ps::status_failure;
	}
	std::string missing;
	const auto devices = selected(ps::discover_devices(opt.sysfs), opt, &missing);
	if (!missing.empty()) {
		fmt::print(stderr, "ps-status: {}: not a device bound to pseudoscopic\n", missing);
		return ps::status_failure;
	}
	if (opt.watch > 0)
		return watch(opt);
	fmt::print("{}", opt.json ? json(devices, opt) : table(devices, opt));
	return std::ranges::any_of(devices, ps::device_lost) ? ps::status_device_lost : ps::status_ok;
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

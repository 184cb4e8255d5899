// SPDX-License-Identifier: GPL-2.0-or-later
#include "pseudoscopic/cli.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <memory>
#include <ostream>
#include <string_view>

#include "pseudoscopic/units.hpp"
#include "pseudoscopic/version.hpp"

namespace ps {

namespace {

// --help in util-linux's layout: usage, description, one line per option
// ("-x, --long VALUE" then its text), footer.  No CLI11 type names, no
// "Excludes:" lists: what conflicts is said in the text where it matters.
class HelpFormatter : public CLI::Formatter {
public:
	std::string make_help(const CLI::App *app, std::string name, CLI::AppFormatMode /*mode*/) const override
	{
		std::string out = fmt::format("\nUsage:\n {} [options]", name);
		for (const CLI::Option *o : app->get_options()) {
			if (o->get_positional() && !o->nonpositional())
				out += " " + positional_usage(o);
		}
		out += fmt::format("\n\n{}\n\nOptions:\n", app->get_description());
		std::vector<std::pair<std::string, std::string>> lines;
		std::size_t width = 0;
		for (const CLI::Option *o : app->get_options()) {
			if (!o->nonpositional() || o->get_group().empty())
				continue;
			std::string names;
			for (const auto &s : o->get_snames())
				names += (names.empty() ? "-" : ", -") + s;
			for (const auto &l : o->get_lnames())
				names += (names.empty() ? "    --" : ", --") + l;
			names += metavar(o);
			width = std::max(width, names.size());
			std::string text = o->get_description();
			if (!o->get_default_str().empty())
				text += " (default " + o->get_default_str() + ")";
			lines.emplace_back(names, text);
		}
		for (const auto &[names, text] : lines)
			out += fmt::format(" {:<{}}  {}\n", names, width, indent(text, width + 3));
		const std::string footer = app->get_footer();
		if (!footer.empty())
			out += "\n" + footer + "\n";
		return out;
	}

private:
	static std::string positional_usage(const CLI::Option *o)
	{
		if (!o->get_option_text().empty())
			return o->get_option_text();
		std::string n = metavar_name(o);
		if (o->get_expected_max() > 1)
			n += "...";
		return o->get_required() ? n : "[" + n + "]";
	}

	// The value's placeholder: the type name a tool gave (SECONDS, LIST),
	// CLI11's generic ones (INT, TEXT, ...) shortened to what they are.
	static std::string metavar_name(const CLI::Option *o)
	{
		std::string t = o->get_type_name();
		t = t.substr(0, t.find(':'));
		if (t == "INT" || t == "UINT" || t == "FLOAT" || t == "NUMBER")
			return "N";
		if (t.empty() || t == "TEXT")
			return o->get_positional() && !o->nonpositional() ? o->get_name() : "ARG";
		return t;
	}

	static std::string metavar(const CLI::Option *o)
	{
		if (!o->get_option_text().empty())
			return " " + o->get_option_text();
		if (o->get_expected_max() == 0) // a flag
			return "";
		const std::string m = metavar_name(o);
		return o->get_expected_min() == 0 ? " [" + m + "]" : " " + m;
	}

	static std::string indent(const std::string &text, std::size_t by)
	{
		std::string out;
		for (const char c : text) {
			out += c;
			if (c == '\n')
				out += std::string(by, ' ');
		}
		return out;
	}
};

} // namespace

int parse_cli(CLI::App &app, const std::vector<std::string> &args, std::ostream &out, std::ostream &err,
	      const std::function<void()> &validate)
{
	const std::string name = app.get_name();
	app.formatter(std::make_shared<HelpFormatter>());
	app.set_help_flag("-h,--help", "Print this help and exit");
	app.set_version_flag("-V,--version", [name] { return version_text(name); }, "Print the version and exit");
	std::vector<const char *> argv{name.c_str()};
	for (const auto &a : args)
		argv.push_back(a.c_str());
	try {
		app.parse(static_cast<int>(argv.size()), argv.data());
		if (validate)
			validate();
	} catch (const CLI::ParseError &e) {
		if (e.get_exit_code() == 0)
			return app.exit(e, out, err);
		err << name << ": " << e.what() << "\nTry '" << name << " --help' for more information.\n";
		return 2;
	}
	return -1;
}

CLI::Validator mib_size(const char *what, std::uint64_t max_mib)
{
	return {[what, max_mib](std::string &text) -> std::string {
			const auto mib = parse_mib(text);
			if (!mib || *mib == 0 || *mib > max_mib)
				return fmt::format("{} must be a size from 1M to {}M (a bare number is MiB; suffixes K, M, G, "
						   "T), not '{}'",
						   what, max_mib, text);
			text = std::to_string(*mib);
			return "";
		},
		"", "SIZE"};
}

} // namespace ps

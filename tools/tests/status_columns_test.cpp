// SPDX-License-Identifier: GPL-2.0-or-later
// ps-status's columns, device selection and the version text.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <unistd.h>

#include "pseudoscopic/status_columns.hpp"
#include "pseudoscopic/version.hpp"

namespace {

ps::Device dev()
{
	ps::Device d;
	d.pci_address = "0000:03:00.0";
	d.node = "pseudoscopic1";
	d.vendor_id = "0x10de";
	d.device_id = "0x1db1";
	d.family = "nvidia";
	d.bar_index = 1;
	d.bar_bytes = 256ULL << 20;
	d.pool_pages = 32768;
	d.free_pages = 24576;
	d.counters = {{"pages_to_vram", 9000}, {"cpu_faults", 12}, {"lost", 0}};
	return d;
}

const ps::StatusColumn &col(const char *name)
{
	return *ps::parse_column_list(name).at(0);
}

} // namespace

TEST(StatusColumns, TextValues)
{
	const auto d = dev();
	EXPECT_EQ(ps::column_text(col("VENDOR:ID"), d, false), "10de:1db1");
	EXPECT_EQ(ps::column_text(col("STATE"), d, false), "ok");
	EXPECT_EQ(ps::column_text(col("BAR"), d, false), "1");
	EXPECT_EQ(ps::column_text(col("SIZE"), d, false), "256M");
	EXPECT_EQ(ps::column_text(col("SIZE"), d, true), "268435456");
	EXPECT_EQ(ps::column_text(col("POOL"), d, false), "128M");
	EXPECT_EQ(ps::column_text(col("USED"), d, false), "32M");
	EXPECT_EQ(ps::column_text(col("FREE"), d, true), "100663296");
	EXPECT_EQ(ps::column_text(col("USE%"), d, false), "25.0%");
	EXPECT_EQ(ps::column_text(col("TO-VRAM"), d, false), "9000");
	// A file the module does not have is "-", never a made-up 0.
	EXPECT_EQ(ps::column_text(col("EVICTED"), d, false), "-");
	EXPECT_EQ(ps::column_text(col("ENGINE"), d, false), "-");
}

TEST(StatusColumns, JsonValuesAreTyped)
{
	const auto d = dev();
	EXPECT_EQ(ps::column_json(col("POOL"), d), nlohmann::json(134217728ULL));
	EXPECT_EQ(ps::column_json(col("NODE"), d), nlohmann::json("pseudoscopic1"));
	EXPECT_DOUBLE_EQ(ps::column_json(col("USE%"), d).get<double>(), 25.0);
	EXPECT_TRUE(ps::column_json(col("EVICTED"), d).is_null());
}

TEST(StatusColumns, LostDevice)
{
	auto d = dev();
	EXPECT_FALSE(ps::device_lost(d));
	d.counters["lost"] = 1;
	EXPECT_TRUE(ps::device_lost(d));
	EXPECT_EQ(ps::column_text(col("STATE"), d, false), "lost");
}

TEST(StatusColumns, ListParsing)
{
	EXPECT_EQ(ps::parse_column_list("device,to-vram").size(), 2U);
	EXPECT_EQ(ps::parse_column_list("+FREE").size(), ps::default_columns().size() + 1);
	EXPECT_THROW((void)ps::parse_column_list("DEVICE,"), std::invalid_argument);
	EXPECT_THROW((void)ps::parse_column_list("DEV"), std::invalid_argument);
	// Every column has a name, a help line and a value for any device.
	for (const auto &c : ps::status_columns()) {
		EXPECT_FALSE(std::string(c.help).empty()) << c.name;
		EXPECT_FALSE(ps::column_text(c, ps::Device{}, false).empty()) << c.name;
	}
}

TEST(StatusColumns, DeviceArguments)
{
	const auto d = dev();
	for (const char *yes : {"pseudoscopic1", "/dev/pseudoscopic1", "0000:03:00.0", "03:00.0"})
		EXPECT_TRUE(ps::device_matches(d, yes)) << yes;
	for (const char *no : {"pseudoscopic", "pseudoscopic10", "/dev/pseudoscopic0", "0001:03:00.0", "3:00.0", ""})
		EXPECT_FALSE(ps::device_matches(d, no)) << no;
}

TEST(Version, DriverSideFromSysfs)
{
	namespace fs = std::filesystem;
	const fs::path root = fs::temp_directory_path() / ("ps-version-test-" + std::to_string(getpid()));
	fs::remove_all(root);
	auto v = ps::driver_version(root);
	EXPECT_FALSE(v.loaded);
	EXPECT_NE(ps::version_text("ps-x", root).find("\ndriver: not loaded"), std::string::npos);
	fs::create_directories(root / "module/pseudoscopic");
	v = ps::driver_version(root);
	EXPECT_TRUE(v.loaded);
	EXPECT_FALSE(v.version);
	EXPECT_FALSE(v.uapi);
	EXPECT_NE(ps::version_text("ps-x", root).find("\ndriver: pseudoscopic (no version), uapi unknown"),
		  std::string::npos);
	std::ofstream(root / "module/pseudoscopic/version") << "0.0.9\n";
	std::ofstream(root / "module/pseudoscopic/uapi_version") << "3\n";
	const std::string text = ps::version_text("ps-x", root);
	EXPECT_EQ(text, std::string("ps-x (pseudoscopic) ") + ps::package_version() + ", uapi " +
				std::to_string(ps::tools_uapi_version()) + "\ndriver: pseudoscopic 0.0.9, uapi 3");
	fs::remove_all(root);
}

// SPDX-License-Identifier: GPL-2.0-or-later
// Device discovery against a fake sysfs tree.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "pseudoscopic/device.hpp"

namespace fs = std::filesystem;

namespace {

class FakeSysfs : public ::testing::Test {
protected:
	void SetUp() override
	{
		root_ = fs::temp_directory_path() / ("ps-sysfs-" + std::to_string(::getpid()) + "-" +
						     ::testing::UnitTest::GetInstance()->current_test_info()->name());
		fs::remove_all(root_);
		fs::create_directories(root_ / "module/pseudoscopic");
		fs::create_directories(root_ / "bus/pci/drivers/pseudoscopic");
	}
	void TearDown() override { fs::remove_all(root_); }

	static void write(const fs::path &p, const std::string &v)
	{
		fs::create_directories(p.parent_path());
		std::ofstream(p) << v << "\n";
	}
	// A bound device: the driver directory links to the device directory.
	void add_device(const std::string &bdf, int bar, unsigned long long bytes, const char *family)
	{
		const fs::path dev = root_ / "devices/pci0000:00" / bdf;
		write(dev / "vendor", "0x1af4");
		write(dev / "device", "0x1110");
		write(dev / "pseudoscopic/bar_index", std::to_string(bar));
		write(dev / "pseudoscopic/bar_bytes", std::to_string(bytes));
		write(dev / "pseudoscopic/vendor_family", family);
		fs::create_directory_symlink(dev, root_ / "bus/pci/drivers/pseudoscopic" / bdf);
	}
	fs::path root_;
};

} // namespace

TEST_F(FakeSysfs, FindsBoundDevicesSorted)
{
	add_device("0000:00:05.0", 2, 128ULL << 20, "generic");
	add_device("0000:00:04.0", 1, 16ULL << 30, "nvidia");
	// Driver directory entries that are not devices are ignored.
	write(root_ / "bus/pci/drivers/pseudoscopic/new_id", "");
	const auto devs = ps::discover_devices(root_);
	ASSERT_EQ(devs.size(), 2U);
	EXPECT_EQ(devs[0].pci_address, "0000:00:04.0");
	EXPECT_EQ(devs[0].bar_index, 1);
	EXPECT_EQ(devs[0].bar_bytes, 16ULL << 30);
	EXPECT_EQ(devs[0].family, "nvidia");
	EXPECT_EQ(devs[1].pci_address, "0000:00:05.0");
	EXPECT_EQ(devs[1].vendor_id, "0x1af4");
}

TEST_F(FakeSysfs, SkipsDeviceWithUnreadableAttributes)
{
	add_device("0000:00:04.0", 2, 1ULL << 28, "generic");
	fs::remove(root_ / "devices/pci0000:00/0000:00:04.0/pseudoscopic/bar_bytes");
	EXPECT_TRUE(ps::discover_devices(root_).empty());
}

TEST_F(FakeSysfs, ModuleLoaded)
{
	EXPECT_TRUE(ps::module_loaded(root_));
	fs::remove_all(root_ / "module/pseudoscopic");
	EXPECT_FALSE(ps::module_loaded(root_));
}

TEST_F(FakeSysfs, JsonShape)
{
	add_device("0000:00:04.0", 2, 256ULL << 20, "generic");
	nlohmann::json j = ps::discover_devices(root_);
	ASSERT_TRUE(j.is_array());
	EXPECT_EQ(j[0]["bar_bytes"], 256ULL << 20);
	EXPECT_EQ(j[0]["pci_address"], "0000:00:04.0");
}

TEST_F(FakeSysfs, ReadsEngineThpAndLostAttributes)
{
	add_device("0000:00:04.0", 2, 256ULL << 20, "generic");
	const fs::path a = root_ / "devices/pci0000:00/0000:00:04.0/pseudoscopic";
	write(a / "copy_engine", "dma");
	write(a / "copy_mode", "auto");
	const std::vector<std::pair<const char *, int>> values = {
		{"dma_pages", 1536}, {"dma_fallbacks", 1},   {"copy_errors", 2},	 {"thp_to_vram", 3},
		{"thp_to_ram", 4},   {"resident_pages", 60}, {"bytes_to_vram", 8192}, {"bytes_to_ram", 4096},
		{"lost", 1},	     {"lost_faults", 256}};
	for (const auto &[name, v] : values)
		write(a / name, std::to_string(v));
	const auto devs = ps::discover_devices(root_);
	ASSERT_EQ(devs.size(), 1U);
	EXPECT_EQ(devs[0].copy_engine, "dma");
	EXPECT_EQ(devs[0].copy_mode, "auto");
	for (const auto &[name, v] : values)
		EXPECT_EQ(ps::counter_value(devs[0], name), static_cast<std::uint64_t>(v)) << name;
	nlohmann::json j = devs[0];
	EXPECT_EQ(j["copy_engine"], "dma");
	EXPECT_EQ(j["copy_mode"], "auto");
	for (const auto &[name, v] : values)
		EXPECT_EQ(j["counters"][name], v) << name;
}

TEST_F(FakeSysfs, OlderModuleLeavesLaterAttributesAbsent)
{
	add_device("0000:00:04.0", 2, 256ULL << 20, "generic");
	write(root_ / "devices/pci0000:00/0000:00:04.0/pseudoscopic/cpu_faults", "5");
	const auto devs = ps::discover_devices(root_);
	ASSERT_EQ(devs.size(), 1U);
	EXPECT_FALSE(devs[0].copy_engine.has_value());
	EXPECT_FALSE(devs[0].copy_mode.has_value());
	EXPECT_EQ(ps::counter_value(devs[0], "cpu_faults"), 5U);
	for (const char *name : {"lost", "lost_faults", "thp_to_vram", "resident_pages", "dma_pages"})
		EXPECT_FALSE(ps::counter_value(devs[0], name).has_value()) << name;
	nlohmann::json j = devs[0];
	EXPECT_FALSE(j.contains("copy_engine"));
	EXPECT_FALSE(j.contains("copy_mode"));
	EXPECT_FALSE(j["counters"].contains("lost"));
	EXPECT_FALSE(j["counters"].contains("thp_to_ram"));
	EXPECT_EQ(j["counters"]["cpu_faults"], 5);
}

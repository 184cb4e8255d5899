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

// SPDX-License-Identifier: GPL-2.0-or-later
// The ioctl numbers of uapi version 4, and what a driver that lacks them
// (uapi 3 or older, magic 0xb5) makes the library say.
#include <gtest/gtest.h>

#include <linux/pseudoscopic.h>
#include <string>
#include <system_error>

#include "pseudoscopic/devfile.hpp"

TEST(DevFile, IoctlsUseMagicB9)
{
	// 0xb5 belongs to rpmsg (the kernel's ioctl-number.rst).
	EXPECT_EQ(_IOC_TYPE(PS_IOC_INFO), 0xb9u);
	EXPECT_EQ(_IOC_TYPE(PS_IOC_MIGRATE), 0xb9u);
	EXPECT_EQ(_IOC_TYPE(PS_IOC_RESIDENCY), 0xb9u);
	EXPECT_GE(PS_UAPI_VERSION, 4);
}

TEST(DevFile, InfoFromANodeWithoutOurIoctlsNamesTheVersion)
{
	// /dev/null answers ENOTTY, as a driver of uapi version 3 does.
	ps::DevFile f("/dev/null");
	try {
		(void)f.info();
		FAIL() << "PS_IOC_INFO on /dev/null succeeded";
	} catch (const std::system_error &e) {
		EXPECT_EQ(e.code().value(), ENOTTY);
		EXPECT_NE(std::string(e.what()).find("predates uapi version 4"), std::string::npos) << e.what();
	}
}

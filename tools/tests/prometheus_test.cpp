// SPDX-License-Identifier: GPL-2.0-or-later
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "pseudoscopic/prometheus.hpp"

namespace {

ps::Device dev(const char *addr, std::uint64_t pool, std::uint64_t free, std::uint64_t faults)
{
	ps::Device d;
	d.pci_address = addr;
	d.pool_pages = pool;
	d.free_pages = free;
	d.counters["cpu_faults"] = faults;
	d.counters["fault_ns_ema"] = 1234;
	return d;
}

} // namespace

TEST(Prometheus, FamiliesHaveHelpTypeAndOneSamplePerDevice)
{
	const std::string out = ps::to_prometheus({dev("0000:00:02.0", 100, 40, 7), dev("0000:00:03.0", 10, 10, 0)});
	EXPECT_NE(out.find("# HELP pseudoscopic_pool_bytes "), std::string::npos);
	EXPECT_NE(out.find("# TYPE pseudoscopic_pool_bytes gauge\n"), std::string::npos);
	EXPECT_NE(out.find("pseudoscopic_pool_bytes{device=\"0000:00:02.0\"} 409600\n"), std::string::npos);
	EXPECT_NE(out.find("pseudoscopic_free_bytes{device=\"0000:00:02.0\"} 163840\n"), std::string::npos);
	EXPECT_NE(out.find("# TYPE pseudoscopic_cpu_faults_total counter\n"), std::string::npos);
	EXPECT_NE(out.find("pseudoscopic_cpu_faults_total{device=\"0000:00:02.0\"} 7\n"), std::string::npos);
	EXPECT_NE(out.find("pseudoscopic_cpu_faults_total{device=\"0000:00:03.0\"} 0\n"), std::string::npos);
	EXPECT_NE(out.find("# TYPE pseudoscopic_fault_ns_ema gauge\n"), std::string::npos);
	// Missing counters read as zero rather than disappearing.
	EXPECT_NE(out.find("pseudoscopic_evicted_pages_total{device=\"0000:00:03.0\"} 0\n"), std::string::npos);
	ASSERT_FALSE(out.empty());
	EXPECT_EQ(out.back(), '\n');
}

TEST(Prometheus, EveryLineIsCommentOrSample)
{
	std::istringstream in(ps::to_prometheus({dev("0000:00:02.0", 1, 1, 1)}));
	std::string line;
	int samples = 0;
	while (std::getline(in, line)) {
		ASSERT_FALSE(line.empty());
		if (line[0] == '#') {
			EXPECT_TRUE(line.starts_with("# HELP pseudoscopic_") || line.starts_with("# TYPE pseudoscopic_"))
				<< line;
			continue;
		}
		EXPECT_TRUE(line.starts_with("pseudoscopic_")) << line;
		EXPECT_NE(line.find("{device=\"0000:00:02.0\"} "), std::string::npos) << line;
		samples++;
	}
	EXPECT_EQ(samples, 9); // pool, free, and seven counters
}

TEST(Prometheus, NoDevicesStillDescribesFamilies)
{
	const std::string out = ps::to_prometheus({});
	EXPECT_NE(out.find("# TYPE pseudoscopic_pool_bytes gauge"), std::string::npos);
	EXPECT_EQ(out.find("{device="), std::string::npos);
}

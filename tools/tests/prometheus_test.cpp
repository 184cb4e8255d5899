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

// A device of a module with every attribute, a DMA channel and THP moves.
ps::Device full_dev(const char *addr)
{
	ps::Device d = dev(addr, 100, 40, 7);
	d.copy_engine = "dma";
	d.copy_mode = "auto";
	d.counters["fault_ns_total"] = 7000000;
	for (std::uint64_t us = 1; us <= (1U << 20); us *= 2)
		d.fault_histogram.emplace_back(us, us == 8 ? 5 : us == 1024 ? 2 : 0);
	d.fault_histogram.emplace_back(0, 0);
	d.counters.insert({{"pages_to_vram", 1024}, {"pages_to_ram", 512}, {"fault_around_pages", 0},
			   {"fault_around_hits", 0},
			   {"evicted_pages", 0}, {"alloc_failures", 0}, {"resident_pages", 60},
			   {"bytes_to_vram", 4194304}, {"bytes_to_ram", 2097152}, {"thp_to_vram", 2},
			   {"thp_to_ram", 1}, {"dma_pages", 1536}, {"dma_fallbacks", 1}, {"copy_errors", 3},
			   {"lost", 0}, {"lost_faults", 0}});
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
	EXPECT_NE(out.find("# TYPE pseudoscopic_fault_ema_seconds gauge\n"), std::string::npos);
	EXPECT_NE(out.find("pseudoscopic_fault_ema_seconds{device=\"0000:00:02.0\"} 1.234e-06\n"), std::string::npos)
		<< out;
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
		EXPECT_NE(line.find("{device=\"0000:00:02.0\""), std::string::npos) << line;
		samples++;
	}
	// device_info, pool, free, and the seven values of the first release
	// (six counters and the moving average): the later attributes are
	// absent from this device and have no sample.
	EXPECT_EQ(samples, 10);
}

TEST(Prometheus, NewAttributesHaveFamiliesAndSamples)
{
	const std::string out = ps::to_prometheus({full_dev("0000:00:02.0")});
	for (const char *c : {"to_vram_bytes", "to_ram_bytes", "thp_to_vram", "thp_to_ram", "dma_pages",
			      "dma_fallbacks", "copy_errors", "lost_faults", "fault_around_hit_pages"}) {
		EXPECT_NE(out.find(std::string("# HELP pseudoscopic_") + c + "_total "), std::string::npos) << c;
		EXPECT_NE(out.find(std::string("# TYPE pseudoscopic_") + c + "_total counter\n"), std::string::npos)
			<< c;
	}
	EXPECT_NE(out.find("# TYPE pseudoscopic_resident_pages gauge\n"), std::string::npos);
	EXPECT_NE(out.find("# TYPE pseudoscopic_lost gauge\n"), std::string::npos);
	EXPECT_NE(out.find("# TYPE pseudoscopic_copy_engine_info gauge\n"), std::string::npos);
	EXPECT_NE(out.find("pseudoscopic_resident_pages{device=\"0000:00:02.0\"} 60\n"), std::string::npos);
	EXPECT_NE(out.find("pseudoscopic_to_vram_bytes_total{device=\"0000:00:02.0\"} 4194304\n"), std::string::npos);
	EXPECT_NE(out.find("pseudoscopic_to_vram_pages_total{device=\"0000:00:02.0\"} 1024\n"), std::string::npos);
	EXPECT_NE(out.find("pseudoscopic_thp_to_vram_total{device=\"0000:00:02.0\"} 2\n"), std::string::npos);
	EXPECT_NE(out.find("pseudoscopic_thp_to_ram_total{device=\"0000:00:02.0\"} 1\n"), std::string::npos);
	EXPECT_NE(out.find("pseudoscopic_dma_pages_total{device=\"0000:00:02.0\"} 1536\n"), std::string::npos);
	EXPECT_NE(out.find("pseudoscopic_dma_fallbacks_total{device=\"0000:00:02.0\"} 1\n"), std::string::npos);
	EXPECT_NE(out.find("pseudoscopic_copy_errors_total{device=\"0000:00:02.0\"} 3\n"), std::string::npos);
	EXPECT_NE(out.find("pseudoscopic_lost{device=\"0000:00:02.0\"} 0\n"), std::string::npos);
	EXPECT_NE(out.find("pseudoscopic_copy_engine_info{device=\"0000:00:02.0\",engine=\"dma\",mode=\"auto\"} 1\n"),
		  std::string::npos)
		<< out;
	// No gauge named like a counter, no counter without _total.
	EXPECT_EQ(out.find("pseudoscopic_lost_total"), std::string::npos);
	EXPECT_EQ(out.find("pseudoscopic_resident_pages_total"), std::string::npos);
	EXPECT_EQ(out.find("pseudoscopic_dma_pages{"), std::string::npos);
}

TEST(Prometheus, ExactFamilyAndSampleCounts)
{
	std::istringstream in(ps::to_prometheus({full_dev("0000:00:02.0"), full_dev("0000:00:03.0")}));
	std::string line;
	int types = 0;
	int samples = 0;
	while (std::getline(in, line)) {
		if (line.starts_with("# TYPE "))
			types++;
		else if (!line.starts_with("#")) {
			EXPECT_TRUE(line.find("{device=\"0000:00:02.0\"") != std::string::npos ||
				    line.find("{device=\"0000:00:03.0\"") != std::string::npos)
				<< line;
			samples++;
		}
	}
	// device_info, pool, free, 18 attributes (fault_ns_total is the
	// histogram's sum), the histogram (22 buckets, sum, count),
	// copy_engine_info: 23 families; 22 + 24 samples per device.
	EXPECT_EQ(types, 23);
	EXPECT_EQ(samples, 2 * (22 + 24));
}

TEST(Prometheus, LostDeviceAndLabelEscaping)
{
	ps::Device d = full_dev("0000:00:02.0");
	d.counters["lost"] = 1;
	d.counters["lost_faults"] = 256;
	d.copy_engine = "c\"p\\u";
	d.copy_mode.reset();
	const std::string out = ps::to_prometheus({d});
	EXPECT_NE(out.find("pseudoscopic_lost{device=\"0000:00:02.0\"} 1\n"), std::string::npos) << out;
	EXPECT_NE(out.find("pseudoscopic_lost_faults_total{device=\"0000:00:02.0\"} 256\n"), std::string::npos);
	// No copy_mode file: the label is left out rather than invented.
	EXPECT_NE(out.find("pseudoscopic_copy_engine_info{device=\"0000:00:02.0\",engine=\"c\\\"p\\\\u\"} 1\n"),
		  std::string::npos)
		<< out;
}

TEST(Prometheus, OlderModuleHasNoSamplesForLaterAttributes)
{
	const std::string out = ps::to_prometheus({dev("0000:00:02.0", 1, 1, 1)});
	// The families are still described, but nothing reads as a 0.
	EXPECT_NE(out.find("# TYPE pseudoscopic_lost gauge\n"), std::string::npos);
	EXPECT_EQ(out.find("pseudoscopic_lost{"), std::string::npos);
	EXPECT_EQ(out.find("pseudoscopic_thp_to_vram_total{"), std::string::npos);
	EXPECT_EQ(out.find("pseudoscopic_copy_engine_info{"), std::string::npos);
	// The first release's counters still read as 0 when missing.
	EXPECT_NE(out.find("pseudoscopic_evicted_pages_total{device=\"0000:00:02.0\"} 0\n"), std::string::npos);
}

TEST(Prometheus, NoDevicesStillDescribesFamilies)
{
	const std::string out = ps::to_prometheus({});
	EXPECT_NE(out.find("# TYPE pseudoscopic_pool_bytes gauge"), std::string::npos);
	EXPECT_EQ(out.find("{device="), std::string::npos);
}

TEST(Prometheus, LatencyHistogramInSeconds)
{
	const std::string out = ps::to_prometheus({full_dev("0000:00:02.0")});
	EXPECT_NE(out.find("# TYPE pseudoscopic_fault_latency_seconds histogram\n"), std::string::npos);
	// Cumulative counts: 5 faults under 8 us, 2 more under 1024 us.
	EXPECT_NE(out.find("pseudoscopic_fault_latency_seconds_bucket{device=\"0000:00:02.0\",le=\"4e-06\"} 0\n"),
		  std::string::npos)
		<< out;
	EXPECT_NE(out.find("pseudoscopic_fault_latency_seconds_bucket{device=\"0000:00:02.0\",le=\"8e-06\"} 5\n"),
		  std::string::npos);
	EXPECT_NE(out.find("pseudoscopic_fault_latency_seconds_bucket{device=\"0000:00:02.0\",le=\"0.001024\"} 7\n"),
		  std::string::npos);
	EXPECT_NE(out.find("pseudoscopic_fault_latency_seconds_bucket{device=\"0000:00:02.0\",le=\"+Inf\"} 7\n"),
		  std::string::npos);
	EXPECT_NE(out.find("pseudoscopic_fault_latency_seconds_sum{device=\"0000:00:02.0\"} 0.007\n"),
		  std::string::npos);
	EXPECT_NE(out.find("pseudoscopic_fault_latency_seconds_count{device=\"0000:00:02.0\"} 7\n"),
		  std::string::npos);
	// No sum (an older module): no histogram samples rather than a wrong one.
	auto d = full_dev("0000:00:02.0");
	d.counters.erase("fault_ns_total");
	EXPECT_EQ(ps::to_prometheus({d}).find("pseudoscopic_fault_latency_seconds_bucket{"), std::string::npos);
}

TEST(Prometheus, DeviceInfo)
{
	auto d = full_dev("0000:00:02.0");
	d.node = "pseudoscopic0";
	d.vendor_id = "0x10de";
	d.device_id = "0x1db1";
	d.family = "nvidia";
	EXPECT_NE(ps::to_prometheus({d}).find("pseudoscopic_device_info{device=\"0000:00:02.0\",node=\"pseudoscopic0\","
					      "vendor=\"0x10de\",device_id=\"0x1db1\",family=\"nvidia\"} 1\n"),
		  std::string::npos);
}

TEST(Prometheus, EveryCounterFileHasANameByTheConventions)
{
	for (const auto &c : ps::counter_infos()) {
		const ps::MetricName *m = nullptr;
		for (const auto &n : ps::metric_names())
			if (std::string(n.file) == c.name)
				m = &n;
		ASSERT_NE(m, nullptr) << c.name << " has no metric name: it would vanish from --prometheus";
		const std::string name = m->metric;
		if (name.empty())
			continue; // exported inside another family (the histogram's sum)
		EXPECT_EQ(std::string(m->type) == "counter", name.ends_with("_total")) << name;
		EXPECT_EQ(name.find("_ns"), std::string::npos) << name << ": base units (seconds)";
		const std::string bare = name.ends_with("_total") ? name.substr(0, name.size() - 6) : name;
		for (const char *unit : {"bytes", "seconds"}) {
			if (bare.find(unit) != std::string::npos) {
				EXPECT_TRUE(bare.ends_with(unit)) << name << ": the unit goes last";
			}
		}
	}
}

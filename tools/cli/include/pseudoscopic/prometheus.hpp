// SPDX-License-Identifier: GPL-2.0-or-later
// node_exporter textfile-collector output.
#pragma once

#include <string>
#include <vector>

#include "pseudoscopic/device.hpp"

namespace ps {

// One metric family per quantity (HELP and TYPE lines, then one sample per
// device labelled device="<pci address>"), ending in a newline:
// pseudoscopic_device_info, the pool, every counter file under its metric
// name, the fault latency histogram and the copy engine.
std::string to_prometheus(const std::vector<Device> &devices);

// How each counter file of counter_infos() is exported: its metric name
// (without the pseudoscopic_ prefix; empty if it is exported some other
// way), type, the divisor to base units (1e9 for nanoseconds) and, where
// the file's own description names another unit, the metric's HELP.
struct MetricName {
	const char *file = nullptr;
	const char *metric = nullptr;
	const char *type = nullptr;
	double divisor = 1;
	const char *help = nullptr;
};
const std::vector<MetricName> &metric_names();

} // namespace ps

// SPDX-License-Identifier: GPL-2.0-or-later
// The live view of ps-status --watch: one block per device with a pool
// bar, migration rates, fault latency and fault-around effectiveness, the
// copy engine and whole-THP moves, and a warning for a lost device.
#pragma once

#include <string>
#include <vector>

#include "pseudoscopic/device.hpp"

namespace ps {

// Render from two snapshots taken `seconds` apart (prev may be empty: the
// first frame shows no rates).  `width` is the terminal width; `color`
// adds SGR colours (the pool bar by how full it is, a lost device in red).
// Rates are in bytes per second; fault latency as the moving average and
// as p50/p99 from fault_latency_histogram (the last interval's faults).
std::string render_dashboard(const std::vector<Device> &prev, const std::vector<Device> &cur, double seconds,
			     int width, bool color = false);

} // namespace ps

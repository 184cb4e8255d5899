// SPDX-License-Identifier: GPL-2.0-or-later
// node_exporter textfile-collector output.
#pragma once

#include <string>
#include <vector>

#include "pseudoscopic/device.hpp"

namespace ps {

// One metric family per quantity (HELP and TYPE lines, then one sample per
// device labelled device="<pci address>"), ending in a newline.
std::string to_prometheus(const std::vector<Device> &devices);

} // namespace ps

// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <vector>

namespace ps {

// Nearest-rank percentile (p in 0..100) of the samples; 0 for none.
// Sorts the vector in place.
double percentile(std::vector<double> &samples, double p);

} // namespace ps

// SPDX-License-Identifier: GPL-2.0-or-later
#include "pseudoscopic/percentile.hpp"

#include <algorithm>
#include <cmath>

namespace ps {

double percentile(std::vector<double> &samples, double p)
{
	if (samples.empty())
		return 0;
	std::ranges::sort(samples);
	const double rank = std::ceil(p / 100.0 * static_cast<double>(samples.size()));
	const auto idx = static_cast<std::size_t>(std::clamp(rank, 1.0, static_cast<double>(samples.size()))) - 1;
	return samples[idx];
}

} // namespace ps

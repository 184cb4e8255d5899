// SPDX-License-Identifier: GPL-2.0-or-later
#include "pseudoscopic/move.hpp"

#include <cerrno>
#include <fmt/format.h>
#include <optional>

namespace ps {

void MoveTotals::add(const ps_migrate &m, std::uint64_t pages)
{
	requested += pages;
	migrated += m.migrated;
	absent += m.skipped_absent;
	unmovable += m.skipped_unmovable;
	no_space += m.skipped_no_space;
	elsewhere += m.skipped_elsewhere;
	pinned += m.pinned;
	calls++;
}

MoveTotals move_ranges(const DevFile &dev, int pidfd, const std::vector<AddrRange> &ranges, std::uint32_t direction,
		       std::uint32_t flags, std::uint64_t chunk, const ProgressFn &progress)
{
	const auto page = static_cast<std::uint64_t>(dev.info().page_size);
	std::uint64_t total = 0;
	for (const auto &r : ranges)
		total += r.bytes();
	MoveTotals t;
	std::uint64_t done = 0;
	for (const auto &r : ranges)
		for (const auto &piece : split_range(r, chunk)) {
			t.add(dev.migrate_at(piece.start, piece.bytes(), direction, flags, pidfd), piece.bytes() / page);
			done += piece.bytes();
			if (progress)
				progress(done, total);
		}
	return t;
}

std::vector<RangeResidency> query_ranges(const DevFile &dev, int pidfd, pid_t pid,
					 const std::vector<AddrRange> &ranges, std::uint64_t page_size)
{
	// Drivers of uapi version 3 tell swapped pages apart themselves; for
	// older ones /proc/PID/pagemap does.
	std::optional<Pagemap> pm;
	std::uint32_t flags = 0;
	if (dev.info().version >= 3)
		flags = PS_RES_SWAP;
	else
		pm.emplace(pid);
	constexpr std::uint64_t piece_bytes = 1ULL << 30;
	std::vector<RangeResidency> out;
	for (const auto &r : ranges) {
		RangeResidency rr{r, {}};
		for (const auto &piece : split_range(r, piece_bytes)) {
			auto states = dev.residency_at(piece.start, piece.bytes(), pidfd, flags);
			if (pm)
				refine_states(states, pm->read(piece.start, states.size(), page_size));
			const auto c = count_states(states);
			for (std::size_t i = 0; i < c.size(); i++)
				rr.counts.at(i) += c.at(i);
		}
		out.push_back(std::move(rr));
	}
	return out;
}

std::string explain_errno(int err, pid_t pid, const std::string &what)
{
	switch (err) {
	case EPERM:
	case EACCES:
		return fmt::format("{}: permission denied: acting on process {} needs the rights ptrace would need, "
				   "and more: the driver cannot ask the security modules, so it requires "
				   "CAP_SYS_PTRACE (root), and Yama's ptrace_scope 3 refuses everyone",
				   what, pid);
	case ESRCH:
		return fmt::format("{}: no process {} (it does not exist or has exited)", what, pid);
	case ENODEV:
		return fmt::format("{}: the device was unbound", what);
	default:
		return fmt::format("{}: {}", what, std::strerror(err));
	}
}

} // namespace ps

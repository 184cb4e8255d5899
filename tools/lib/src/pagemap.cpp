// SPDX-License-Identifier: GPL-2.0-or-later
#include "pseudoscopic/pagemap.hpp"

#include <cerrno>
#include <chrono>
#include <fcntl.h>
#include <optional>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <unistd.h>

namespace ps {

namespace {

constexpr std::uint64_t pfn_mask = (1ULL << 55) - 1;
constexpr std::uint64_t kpf_compound_tail = 1ULL << 16; // include/uapi/linux/kernel-page-flags.h

void pread_all(int fd, void *buf, std::size_t len, std::uint64_t off, const std::string &what)
{
	auto *p = static_cast<char *>(buf);
	while (len) {
		const ssize_t n = ::pread(fd, p, len, static_cast<off_t>(off));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			throw std::system_error(n < 0 ? errno : EIO, std::generic_category(), what);
		p += n;
		len -= static_cast<std::size_t>(n);
		off += static_cast<std::uint64_t>(n);
	}
}

// Consecutive word indices of `words` as (first index, masks) runs, so a
// bitmap is read or written with one call per run.
std::vector<std::pair<std::uint64_t, std::vector<std::uint64_t>>>
word_runs(const std::map<std::uint64_t, std::uint64_t> &words)
{
	std::vector<std::pair<std::uint64_t, std::vector<std::uint64_t>>> runs;
	for (const auto &[idx, mask] : words) {
		if (runs.empty() || runs.back().first + runs.back().second.size() != idx)
			runs.push_back({idx, {}});
		runs.back().second.push_back(mask);
	}
	return runs;
}

} // namespace

PagemapEntry decode_pagemap(std::uint64_t raw)
{
	PagemapEntry e;
	e.present = (raw >> 63) & 1;
	e.swapped = (raw >> 62) & 1;
	e.file_or_shared = (raw >> 61) & 1;
	e.exclusive = (raw >> 56) & 1;
	e.soft_dirty = (raw >> 55) & 1;
	e.pfn = e.present ? raw & pfn_mask : 0;
	return e;
}

Pagemap::Pagemap(pid_t pid, const std::string &proc_root)
	: fd_(open_file(proc_root + "/" + std::to_string(pid) + "/pagemap", O_RDONLY)),
	  path_(proc_root + "/" + std::to_string(pid) + "/pagemap")
{
}

std::vector<std::uint64_t> Pagemap::read(std::uint64_t start, std::uint64_t pages, std::uint64_t page_size) const
{
	std::vector<std::uint64_t> out(pages);
	pread_all(fd_.get(), out.data(), pages * sizeof(std::uint64_t), start / page_size * sizeof(std::uint64_t),
		  path_);
	return out;
}

void refine_states(std::vector<std::uint8_t> &states, const std::vector<std::uint64_t> &pagemap)
{
	if (states.size() != pagemap.size())
		throw std::invalid_argument("refine_states: one pagemap entry per page needed");
	for (std::size_t i = 0; i < states.size(); i++)
		if (states[i] == st_absent && decode_pagemap(pagemap[i]).swapped)
			states[i] = st_swapped;
}

StateCounts count_states(const std::vector<std::uint8_t> &states)
{
	StateCounts c{};
	for (auto s : states)
		c.at(s < nr_page_states ? std::size_t{s} : std::size_t{st_other})++;
	return c;
}

std::map<std::uint64_t, std::uint64_t> idle_words(const std::vector<std::uint64_t> &pfns)
{
	std::map<std::uint64_t, std::uint64_t> words;
	for (auto pfn : pfns)
		words[pfn / 64] |= 1ULL << (pfn % 64);
	return words;
}

std::vector<AddrRange> runs_of(const std::vector<bool> &flags, std::uint64_t start, std::uint64_t page_size,
			       const std::string &name)
{
	std::vector<AddrRange> out;
	for (std::size_t i = 0; i < flags.size(); i++) {
		if (!flags[i])
			continue;
		const std::uint64_t a = start + i * page_size;
		if (!out.empty() && out.back().end == a)
			out.back().end += page_size;
		else
			out.push_back({a, a + page_size, name});
	}
	return out;
}

std::vector<std::ptrdiff_t> idle_owners(const std::vector<std::uint64_t> &pfns,
					const std::vector<std::uint64_t> &kpageflags)
{
	if (pfns.size() != kpageflags.size())
		throw std::invalid_argument("idle_owners: one flags word per page needed");
	std::vector<std::ptrdiff_t> owner(pfns.size(), -1);
	std::ptrdiff_t head = -1; // last page that was not a tail
	for (std::size_t i = 0; i < pfns.size(); i++) {
		if (!pfns[i])
			continue;
		const auto idx = static_cast<std::ptrdiff_t>(i);
		if (!(kpageflags[i] & kpf_compound_tail)) {
			owner[i] = idx;
			head = idx;
			continue;
		}
		const auto h = static_cast<std::size_t>(head);
		if (head >= 0 && pfns[i] > pfns[h] && pfns[i] - pfns[h] == i - h)
			owner[i] = head;
	}
	return owner;
}

IdleBitmap::IdleBitmap(const std::string &path) : fd_(open_file(path, O_RDWR)), path_(path) {}

// The bitmap stops at max_pfn, which need not be a multiple of 64: the
// kernel processes a last partial word but leaves it out of the count it
// returns (a read even drops its contents).  So a call may come back short
// or with 0; what is left is beyond reach and stays 0 (not idle).
void IdleBitmap::mark_idle(const std::vector<std::uint64_t> &pfns) const
{
	for (const auto &[first, masks] : word_runs(idle_words(pfns))) {
		const auto len = masks.size() * sizeof(std::uint64_t);
		const auto *p = reinterpret_cast<const char *>(masks.data());
		for (std::size_t done = 0; done < len;) {
			const ssize_t n = ::pwrite(fd_.get(), p + done, len - done, static_cast<off_t>(first * 8 + done));
			if (n < 0 && errno == EINTR)
				continue;
			if (n == 0 || (n < 0 && errno == ENXIO))
				break;
			if (n < 0)
				throw std::system_error(errno, std::generic_category(), path_);
			done += static_cast<std::size_t>(n);
		}
	}
}

std::vector<bool> IdleBitmap::still_idle(const std::vector<std::uint64_t> &pfns) const
{
	std::map<std::uint64_t, std::uint64_t> bits;
	for (const auto &[first, masks] : word_runs(idle_words(pfns))) {
		std::vector<std::uint64_t> buf(masks.size());
		const auto len = buf.size() * sizeof(std::uint64_t);
		auto *p = reinterpret_cast<char *>(buf.data());
		for (std::size_t done = 0; done < len;) {
			const ssize_t n = ::pread(fd_.get(), p + done, len - done, static_cast<off_t>(first * 8 + done));
			if (n < 0 && errno == EINTR)
				continue;
			if (n == 0)
				break;
			if (n < 0)
				throw std::system_error(errno, std::generic_category(), path_);
			done += static_cast<std::size_t>(n);
		}
		for (std::size_t i = 0; i < buf.size(); i++)
			bits[first + i] = buf[i];
	}
	std::vector<bool> out;
	out.reserve(pfns.size());
	for (auto pfn : pfns)
		out.push_back(((bits[pfn / 64] >> (pfn % 64)) & 1) != 0);
	return out;
}

ColdScan find_cold_pages(pid_t pid, const std::vector<AddrRange> &ranges, double seconds, std::uint64_t page_size)
{
	// Idle page tracking is root's: say so rather than "permission denied"
	// on a file the user never named.
	auto unavailable = [](const std::system_error &e) {
		const int err = e.code().value();
		if (err == EACCES || err == EPERM)
			return std::runtime_error("--cold needs root (idle page tracking and page frame numbers)");
		if (err == ENOENT)
			return std::runtime_error(
				"--cold: the kernel has no idle page tracking (CONFIG_IDLE_PAGE_TRACKING): " +
				std::string(e.what()));
		return std::runtime_error(std::string("--cold: ") + e.what());
	};
	std::optional<IdleBitmap> bitmap_holder;
	UniqueFd kpageflags;
	try {
		bitmap_holder.emplace();
		kpageflags = open_file("/proc/kpageflags", O_RDONLY);
	} catch (const std::system_error &e) {
		throw unavailable(e);
	}
	const IdleBitmap &bitmap = *bitmap_holder;
	const Pagemap pm(pid);
	// Per range: the frame of every present page (0: not present) and the
	// page whose idle bit stands for it.
	std::vector<std::vector<std::uint64_t>> frames;
	std::vector<std::vector<std::ptrdiff_t>> owners;
	std::vector<std::uint64_t> to_mark;
	ColdScan scan;
	bool hidden = false;
	for (const auto &r : ranges) {
		const auto raw = pm.read(r.start, r.bytes() / page_size, page_size);
		std::vector<std::uint64_t> f(raw.size());
		std::vector<std::uint64_t> kf(raw.size());
		for (std::size_t i = 0; i < raw.size(); i++) {
			const auto e = decode_pagemap(raw[i]);
			if (!e.present)
				continue;
			scan.present_pages++;
			hidden |= e.pfn == 0;
			f[i] = e.pfn;
			if (e.pfn)
				pread_all(kpageflags.get(), &kf[i], sizeof(kf[i]), e.pfn * 8, "/proc/kpageflags");
		}
		auto own = idle_owners(f, kf);
		for (std::size_t i = 0; i < own.size(); i++)
			if (own[i] == static_cast<std::ptrdiff_t>(i))
				to_mark.push_back(f[i]);
		frames.push_back(std::move(f));
		owners.push_back(std::move(own));
	}
	if (hidden)
		throw std::runtime_error("--cold needs root: /proc/" + std::to_string(pid) +
					 "/pagemap hides page frame numbers");
	bitmap.mark_idle(to_mark);
	std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
	for (std::size_t k = 0; k < ranges.size(); k++) {
		const auto &r = ranges[k];
		const auto raw = pm.read(r.start, r.bytes() / page_size, page_size);
		// A page counts only if it (and the page owning its idle bit)
		// is still in the frame it was in when marked.
		std::vector<bool> same(raw.size(), false);
		for (std::size_t i = 0; i < raw.size(); i++) {
			const auto e = decode_pagemap(raw[i]);
			same[i] = e.present && e.pfn && e.pfn == frames[k][i];
		}
		std::vector<std::uint64_t> pfns;
		std::vector<std::size_t> index;
		for (std::size_t i = 0; i < raw.size(); i++)
			if (same[i] && owners[k][i] == static_cast<std::ptrdiff_t>(i)) {
				pfns.push_back(frames[k][i]);
				index.push_back(i);
			}
		const auto idle = bitmap.still_idle(pfns);
		std::vector<bool> owner_idle(raw.size(), false);
		for (std::size_t j = 0; j < idle.size(); j++)
			owner_idle[index[j]] = idle[j];
		std::vector<bool> cold(raw.size(), false);
		for (std::size_t i = 0; i < raw.size(); i++) {
			const auto o = owners[k][i];
			if (same[i] && o >= 0 && owner_idle[static_cast<std::size_t>(o)]) {
				cold[i] = true;
				scan.cold_pages++;
			}
		}
		auto runs = runs_of(cold, r.start, page_size, r.name);
		scan.cold.insert(scan.cold.end(), runs.begin(), runs.end());
	}
	return scan;
}

} // namespace ps

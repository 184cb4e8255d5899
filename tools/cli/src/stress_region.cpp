// SPDX-License-Identifier: GPL-2.0-or-later
// The tagged memory of ps-stress: what every page must hold through
// writes, madvise, munmap and mremap.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <sys/mman.h>
#include <system_error>
#include <utility>

#include "pseudoscopic/stress.hpp"

namespace ps {

namespace {

[[noreturn]] void fail(const char *what)
{
	throw std::system_error(errno, std::generic_category(), what);
}

const char *advice_name(int advice)
{
	switch (advice) {
	case MADV_DONTNEED:
		return "madvise(MADV_DONTNEED)";
	case MADV_FREE:
		return "madvise(MADV_FREE)";
	case MADV_PAGEOUT:
		return "madvise(MADV_PAGEOUT)";
	default:
		return "madvise";
	}
}

char *map_anon(void *hint, std::size_t len, int prot, int flags)
{
	void *p = ::mmap(hint, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);
	return p == MAP_FAILED ? nullptr : static_cast<char *>(p);
}

} // namespace

std::uint64_t stress_tag(std::uint64_t seed, std::uint64_t page_no, std::uint64_t gen, std::uint64_t word)
{
	std::uint64_t x = seed ^ (page_no * 0x9e3779b97f4a7c15ULL) ^ (gen << 32) ^ (word * 0xbf58476d1ce4e5b9ULL);
	x ^= x >> 31;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 29);
}

TaggedRegion::TaggedRegion(std::size_t pages, std::size_t page_size, std::uint64_t seed)
	: pages_(pages), page_(page_size), seed_(seed), gen_(pages, 0), expect_(pages, zeros), split_(pages, 0),
	  base_(map_anon(nullptr, pages * page_size, PROT_READ | PROT_WRITE, 0))
{
	if (!base_)
		fail("mmap");
}

TaggedRegion::~TaggedRegion()
{
	if (base_)
		::munmap(base_, bytes());
}

void TaggedRegion::write(std::size_t i)
{
	gen_[i]++;
	expect_[i] = data;
	auto *w = reinterpret_cast<std::uint64_t *>(at(i));
	for (std::size_t k = 0; k < page_ / 8; k++)
		w[k] = stress_tag(seed_, i, gen_[i], k);
}

bool TaggedRegion::check(std::size_t i)
{
	const auto *w = reinterpret_cast<const std::uint64_t *>(at(i));
	const std::size_t words = page_ / 8;
	std::size_t tagged = 0;
	std::size_t zero = 0;
	for (std::size_t k = 0; k < words; k++) {
		tagged += w[k] == stress_tag(seed_, i, gen_[i], k);
		zero += w[k] == 0;
	}
	if (tagged == words && expect_[i] != zeros)
		return true;
	if (zero == words && expect_[i] != data) {
		expect_[i] = zeros; // freed: it reads zeros from now on
		return true;
	}
	return false;
}

std::size_t TaggedRegion::check_range(std::size_t first, std::size_t n)
{
	std::size_t bad = 0;
	for (std::size_t i = first; i < first + n; i++)
		bad += check(i) ? 0 : 1;
	return bad;
}

void TaggedRegion::advise(std::size_t first, std::size_t n, int advice)
{
	if (::madvise(at(first), n * page_, advice))
		fail(advice_name(advice));
	for (std::size_t i = first; i < first + n; i++) {
		if (advice == MADV_DONTNEED)
			expect_[i] = zeros;
		else if (advice == MADV_FREE && expect_[i] == data)
			expect_[i] = data_or_zeros;
	}
}

void TaggedRegion::unmap_and_remap(std::size_t first, std::size_t n,
				   const std::function<void(void *hole, std::size_t len)> &between)
{
	char *addr = at(first);
	const std::size_t len = n * page_;
	if (::munmap(addr, len))
		fail("munmap");
	split_[first] = 1; // the new mapping may not merge with its neighbours
	if (first + n < pages_)
		split_[first + n] = 1;
	if (between)
		between(addr, len);
	char *p = map_anon(addr, len, PROT_READ | PROT_WRITE, MAP_FIXED_NOREPLACE);
	const int err = errno;
	if (p != addr) {
		// The hole was taken (EEXIST), or a kernel without
		// MAP_FIXED_NOREPLACE put the mapping elsewhere.
		if (p)
			::munmap(p, len);
		relocate(first, n);
	}
	for (std::size_t i = first; i < first + n; i++)
		write(i);
	if (!p && err != EEXIST)
		throw std::system_error(err, std::generic_category(), "mmap(MAP_FIXED_NOREPLACE)");
}

// Move pages [from, from + count) to the same place in `dst`, one mremap
// per piece between splits.  Returns how many pages moved (count unless a
// mremap failed; errno then says why).
std::size_t TaggedRegion::move_pages(std::size_t from, std::size_t count, char *dst)
{
	const std::size_t end = from + count;
	for (std::size_t i = from, j = 0; i < end; i = j) {
		const auto next = std::find(split_.begin() + static_cast<std::ptrdiff_t>(i) + 1,
					    split_.begin() + static_cast<std::ptrdiff_t>(end), 1);
		j = static_cast<std::size_t>(next - split_.begin());
		const std::size_t len = (j - i) * page_;
		if (::mremap(at(i), len, len, MREMAP_MAYMOVE | MREMAP_FIXED, dst + i * page_) == MAP_FAILED)
			return i - from;
	}
	return count;
}

// Move the pages around the hole [first, first + n) into a new mapping of
// the region's size; the hole's part of it is fresh memory.
void TaggedRegion::relocate(std::size_t first, std::size_t n)
{
	char *dst = map_anon(nullptr, bytes(), PROT_READ | PROT_WRITE, 0);
	const char *what = "mmap";
	if (dst && (move_pages(0, first, dst) != first || move_pages(first + n, pages_ - first - n, dst) !=
								    pages_ - first - n)) {
		what = "mremap";
		dst = nullptr;
	}
	if (!dst) {
		// Part of the old range is another thread's now: leave it all.
		base_ = nullptr;
		throw RegionLost(fmt::format("{} of the region around a taken hole: {}", what, std::strerror(errno)));
	}
	base_ = dst;
}

void TaggedRegion::move()
{
	char *dst = map_anon(nullptr, bytes(), PROT_NONE, MAP_NORESERVE);
	if (!dst)
		fail("mmap (mremap target)");
	const std::size_t moved = move_pages(0, pages_, dst);
	if (moved == pages_) {
		base_ = dst;
		return;
	}
	const int err = errno;
	if (moved) {
		// Split between two places, the old one possibly reused already.
		base_ = nullptr;
		throw RegionLost(fmt::format("mremap moved {} of {} pages: {}", moved, pages_, std::strerror(err)));
	}
	::munmap(dst, bytes());
	throw std::system_error(err, std::generic_category(), "mremap(MREMAP_MAYMOVE | MREMAP_FIXED)");
}

} // namespace ps

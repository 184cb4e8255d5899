// SPDX-License-Identifier: GPL-2.0-or-later
// ps-bench's measurements: each contender moves a buffer of incompressible
// data away and back, is timed, and the buffer is compared byte for byte
// with the reference copy after every round trip.  Rates count the pages
// that moved (the driver's count, checked against pagemap or the
// driver's residency view); random faults time only pages found away.
#include "pseudoscopic/bench.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <random>
#include <sys/mman.h>
#include <system_error>
#include <unistd.h>
#include <utility>

#include "pseudoscopic/devfile.hpp"
#include "pseudoscopic/device.hpp"
#include "pseudoscopic/dmirror.hpp"
#include "pseudoscopic/pagemap.hpp"
#include "pseudoscopic/percentile.hpp"

namespace ps {

namespace {

using clock_type = std::chrono::steady_clock;

// An anonymous private mapping, unmapped on destruction.
class Buffer {
public:
	explicit Buffer(std::size_t len) : len_(len)
	{
		void *p = ::mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			throw std::system_error(errno, std::generic_category(), fmt::format("mmap of {} bytes", len));
		data_ = static_cast<char *>(p);
	}
	Buffer(Buffer &&other) noexcept : len_(std::exchange(other.len_, 0)), data_(std::exchange(other.data_, nullptr))
	{
	}
	Buffer(const Buffer &) = delete;
	Buffer &operator=(const Buffer &) = delete;
	Buffer &operator=(Buffer &&) = delete;
	~Buffer()
	{
		if (data_)
			::munmap(data_, len_);
	}

	[[nodiscard]] char *data() const { return data_; }
	[[nodiscard]] std::size_t size() const { return len_; }
	[[nodiscard]] std::span<char> span() const { return {data_, len_}; }

private:
	std::size_t len_;
	char *data_ = nullptr;
};

template <typename Fn> double timed(Fn &&fn)
{
	const auto t0 = clock_type::now();
	std::forward<Fn>(fn)();
	return std::chrono::duration<double>(clock_type::now() - t0).count();
}

// 10^6 bytes per second.
double mb_per_s(std::size_t bytes, double secs)
{
	return secs > 0 ? static_cast<double>(bytes) / secs / 1e6 : 0;
}

// The pseudoscopic device's counter `name` (sysfs), nullopt when the
// module or the file is missing.
std::optional<std::uint64_t> device_counter(const std::string &node, const std::string &name)
{
	const std::string file = std::filesystem::path(node).filename().string();
	for (const auto &d : discover_devices())
		if (d.node == file)
			return counter_value(d, name);
	return std::nullopt;
}

std::optional<std::uint64_t> counter_delta(std::optional<std::uint64_t> before, std::optional<std::uint64_t> after)
{
	if (!before || !after || *after < *before)
		return std::nullopt;
	return *after - *before;
}

// Everything a contender's run needs.
struct Run {
	const BenchOptions &opt;
	const Buffer &ref; // the contents every buffer must come back with
	std::size_t page;
	std::string device;
	const Pagemap &pagemap; // of this process
	std::size_t rep = 0;	// the repetition (0-based)
	BenchResults &out;

	[[nodiscard]] std::size_t len() const { return ref.size(); }
	[[nodiscard]] std::size_t pages() const { return ref.size() / page; }

	// A buffer holding the reference contents.
	[[nodiscard]] Buffer fresh() const
	{
		Buffer b(len());
		fill_incompressible(b.span(), opt.seed);
		return b;
	}

	void check(std::string_view what, const Buffer &b) const { verify(what, b.span(), ref.span()); }

	void add(std::string_view name, std::string_view what, double value, std::string_view unit) const
	{
		out.record(name, what, unit, value);
	}

	// A rate over the pages that moved; a move of nothing is a failure.
	void rate(std::string_view name, std::string_view what, std::uint64_t moved, double secs) const
	{
		if (moved == 0)
			throw BenchFailure(fmt::format("{}: no page moved (repetition {})", name, rep + 1));
		out.record(name, what, "MB/s", mb_per_s(moved * page, secs), moved);
	}

	// Pagemap's view of one page and of the whole buffer (see pagemap_away()).
	[[nodiscard]] bool page_away(const Buffer &b, std::size_t pg) const
	{
		return pagemap_away(pagemap.read(reinterpret_cast<std::uintptr_t>(b.data()) + pg * page, 1, page)[0]);
	}
	[[nodiscard]] std::uint64_t away(const Buffer &b) const
	{
		return count_away(pagemap.read(reinterpret_cast<std::uintptr_t>(b.data()), pages(), page));
	}

	// Read one byte of every page, in order: each page away faults back.
	[[nodiscard]] double touch_all(const Buffer &b) const
	{
		return timed([&] {
			const volatile char *p = b.data();
			for (std::size_t i = 0; i < b.size(); i += page)
				static_cast<void>(p[i]);
		});
	}

	// Sequential faults: pages away before (`away_before`; the driver's
	// count of pages brought back, if it has one), all back after.
	void fault_sweep(std::string_view contender, const Buffer &b, std::uint64_t away_before,
			 const std::function<std::optional<std::uint64_t>()> &driver_counter,
			 const std::function<std::uint64_t()> &away_now) const
	{
		const auto c0 = driver_counter();
		const double secs = touch_all(b);
		const auto c1 = driver_counter();
		if (const std::uint64_t left = away_now())
			throw BenchFailure(fmt::format("{}: {} pages still away after a read of every page", contender,
						       left));
		const std::string what = fmt::format("back to RAM by sequential CPU faults ({})",
						     c0 ? "pages the driver counts back" : "pages pagemap saw away");
		rate(fmt::format("{}_fault_seq", contender), what, rate_pages(counter_delta(c0, c1), away_before), secs);
	}

	// Time one read each of pages taken in a random order without
	// replacement, of only those `page_is_away` says are away just
	// before: p50, p99 and p99.9, how many were timed and how many pages
	// came back per fault.
	void fault_latency(std::string_view contender, const Buffer &b,
			   const std::function<bool(std::size_t)> &page_is_away,
			   const std::function<std::uint64_t()> &away_now) const
	{
		const std::uint64_t before = away_now();
		const auto order = sample_order(pages(), repetition_seed(opt.seed, rep));
		const volatile char *p = b.data();
		FaultSamples s = sample_faults(order, opt.samples, page_is_away, [&](std::size_t pg) {
			return timed([&] { static_cast<void>(p[pg * page]); }) * 1e6;
		});
		if (s.us.empty())
			throw BenchFailure(fmt::format("{}: no page was away for the random faults (repetition {})",
						       contender, rep + 1));
		const std::uint64_t after = away_now();
		const std::string what =
			fmt::format("random fault of a page away, without replacement, up to {} a repetition", opt.samples);
		add(fmt::format("{}_fault_p50", contender), what + ", p50", percentile(s.us, 50), "us");
		add(fmt::format("{}_fault_p99", contender), what + ", p99", percentile(s.us, 99), "us");
		add(fmt::format("{}_fault_p999", contender), what + ", p99.9", percentile(s.us, 99.9), "us");
		add(fmt::format("{}_fault_timed", contender), "random faults timed (pages found away)",
		    static_cast<double>(s.us.size()), "faults");
		add(fmt::format("{}_fault_pages", contender), "pages back per random fault (fault-around, folios)",
		    static_cast<double>(before > after ? before - after : 0) / static_cast<double>(s.us.size()),
		    "pages/fault");
	}
};

void bench_memcpy(const Run &run)
{
	Buffer dst(run.len());
	fill_incompressible(dst.span(), run.opt.seed + 1); // touched: no page faults timed
	const double secs = timed([&] { std::memcpy(dst.data(), run.ref.data(), run.len()); });
	run.out.record("memcpy", "memcpy of the buffer, RAM to RAM", "MB/s", mb_per_s(run.len(), secs));
	run.check("memcpy", dst);
}

// Pseudoscopic's view: pages of the buffer in this device's VRAM.
std::uint64_t in_vram(const DevFile &dev, const Buffer &b)
{
	ps_residency res{};
	static_cast<void>(dev.residency(b.data(), b.size(), &res));
	return res.counts[PS_RES_DEVICE];
}

ps_migrate to_vram(const Run &run, const DevFile &dev, const Buffer &b)
{
	const ps_migrate m = dev.migrate(b.data(), b.size(), PS_TO_VRAM);
	if (m.migrated == 0)
		throw BenchFailure(fmt::format("pseudoscopic: PS_IOC_MIGRATE moved none of the {} pages to VRAM "
					       "({} unmovable, {} for lack of space)",
					       run.pages(), m.skipped_unmovable, m.skipped_no_space));
	return m;
}

void bench_pseudoscopic(const Run &run)
{
	const DevFile dev(run.device);
	const Buffer b = run.fresh();
	const auto vram = [&] { return in_vram(dev, b); };
	const auto counter = [&](const char *name) { return device_counter(run.device, name); };
	ps_migrate m{};
	const auto thp0 = counter("thp_to_vram");
	double secs = timed([&] { m = to_vram(run, dev, b); });
	const auto thp = counter_delta(thp0, counter("thp_to_vram"));
	const std::uint64_t there = vram();
	run.rate("pseudoscopic_to_vram", "to VRAM (PS_IOC_MIGRATE, PS_TO_VRAM; its migrated count)",
		 rate_pages(m.migrated, there), secs);
	if (thp)
		run.add("pseudoscopic_to_vram_thp", "2 MiB folios among them (thp_to_vram)", static_cast<double>(*thp),
			"folios");
	secs = timed([&] { m = dev.migrate(b.data(), b.size(), PS_TO_RAM); });
	run.rate("pseudoscopic_to_ram", "back to RAM on request (PS_TO_RAM; its migrated count)",
		 rate_pages(m.migrated, there - std::min(there, vram())), secs);
	run.check("pseudoscopic, back to RAM on request", b);

	to_vram(run, dev, b);
	run.fault_sweep("pseudoscopic", b, vram(), [&] { return counter("pages_to_ram"); }, vram);
	run.check("pseudoscopic, back by sequential faults", b);

	to_vram(run, dev, b);
	const auto page_in_vram = [&](std::size_t pg) {
		return dev.residency(b.data() + pg * run.page, run.page)[0] == PS_RES_DEVICE;
	};
	run.fault_latency("pseudoscopic", b, page_in_vram, vram);
	run.check("pseudoscopic, after random faults", b);
}

void bench_dmirror(const Run &run)
{
	const Dmirror hmm;
	const Buffer b = run.fresh();
	const auto away = [&] { return run.away(b); };
	const auto no_counter = [] { return std::optional<std::uint64_t>{}; };
	// The driver copies the range into this "device view" on every move
	// to the device: touched first, so that copy pays no page faults.
	const Buffer view(run.len());
	std::memset(view.data(), 0, view.size());
	hmm_dmirror_cmd cmd{};
	double secs = timed([&] { cmd = hmm.migrate_to_dev(b.data(), b.size(), view.data()); });
	const std::uint64_t there = away();
	// cpages here is the pages the driver read back from its device
	// memory (its device view), one per 4 KiB page.
	run.rate("dmirror_to_dev", "to device memory (HMM_DMIRROR_MIGRATE_TO_DEV; its cpages)",
		 rate_pages(cmd.cpages, there), secs);
	secs = timed([&] { cmd = hmm.migrate_to_sys(b.data(), b.size(), view.data()); });
	// With device THP (7.x) this cpages counts a 2 MiB folio once.
	run.rate("dmirror_to_sys", "back to RAM on request (HMM_DMIRROR_MIGRATE_TO_SYS; pages seen back, "
				   "at most its cpages folios)",
		 rate_pages(cmd.cpages, there - std::min(there, away()), (2U << 20) / run.page), secs);
	run.check("dmirror, back to RAM on request", b);

	hmm.migrate_to_dev(b.data(), b.size(), view.data());
	run.fault_sweep("dmirror", b, away(), no_counter, away);
	run.check("dmirror, back by sequential faults", b);

	hmm.migrate_to_dev(b.data(), b.size(), view.data());
	run.fault_latency("dmirror", b, [&](std::size_t pg) { return run.page_away(b, pg); }, away);
	run.check("dmirror, after random faults", b);
}

void page_out(const Buffer &b)
{
	if (::madvise(b.data(), b.size(), MADV_PAGEOUT))
		throw std::system_error(errno, std::generic_category(), "MADV_PAGEOUT");
}

void bench_zram(const Run &run)
{
	const Buffer b = run.fresh();
	const auto away = [&] { return run.away(b); };
	const double secs = timed([&] { page_out(b); });
	const std::uint64_t out = away();
	run.rate("zram_pageout", "to zram swap (MADV_PAGEOUT; pages pagemap shows swapped)", out, secs);
	run.fault_sweep("zram", b, out, [] { return std::optional<std::uint64_t>{}; }, away);
	run.check("zram, back by sequential faults", b);

	page_out(b);
	run.fault_latency("zram", b, [&](std::size_t pg) { return run.page_away(b, pg); }, away);
	run.check("zram, after random faults", b);
}

} // namespace

void fill_incompressible(std::span<char> buf, std::uint64_t seed)
{
	std::uint64_t x = seed * 0x9e3779b97f4a7c15ULL + 1;
	for (std::size_t i = 0; i < buf.size(); i += sizeof(x)) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		std::memcpy(buf.data() + i, &x, std::min(sizeof(x), buf.size() - i));
	}
}

std::optional<std::size_t> first_mismatch(std::span<const char> got, std::span<const char> want)
{
	const std::size_t n = std::min(got.size(), want.size());
	if (std::memcmp(got.data(), want.data(), n) == 0)
		return got.size() == want.size() ? std::nullopt : std::optional<std::size_t>(n);
	const auto [g, w] = std::mismatch(got.begin(), got.begin() + static_cast<std::ptrdiff_t>(n), want.begin());
	return static_cast<std::size_t>(g - got.begin());
}

void verify(std::string_view what, std::span<const char> got, std::span<const char> want)
{
	if (const auto at = first_mismatch(got, want))
		throw BenchFailure(fmt::format("{}: data differs after the round trip, first at byte {} of {}", what,
					       *at, want.size()));
}

std::vector<std::size_t> sample_order(std::size_t pages, std::uint64_t seed)
{
	std::vector<std::size_t> order(pages);
	for (std::size_t i = 0; i < pages; i++)
		order[i] = i;
	std::mt19937_64 rng(seed);
	// Fisher-Yates, spelled out: std::shuffle's draws are the library's.
	for (std::size_t i = pages; i > 1; i--)
		std::swap(order[i - 1], order[rng() % i]);
	return order;
}

std::uint64_t repetition_seed(std::uint64_t seed, std::size_t rep)
{
	return seed + rep * 0x9e3779b97f4a7c15ULL;
}

FaultSamples sample_faults(const std::vector<std::size_t> &order, std::size_t n,
			   const std::function<bool(std::size_t)> &away,
			   const std::function<double(std::size_t)> &fault)
{
	FaultSamples s;
	for (const std::size_t pg : order) {
		if (s.us.size() >= n)
			break;
		s.examined++;
		if (!away(pg)) {
			s.already_back++;
			continue;
		}
		s.us.push_back(fault(pg));
	}
	return s;
}

bool pagemap_away(std::uint64_t raw)
{
	const PagemapEntry e = decode_pagemap(raw);
	return !e.present && e.swapped;
}

std::uint64_t count_away(const std::vector<std::uint64_t> &pagemap)
{
	return static_cast<std::uint64_t>(std::ranges::count_if(pagemap, pagemap_away));
}

std::uint64_t rate_pages(std::optional<std::uint64_t> driver_count, std::uint64_t pagemap_count,
			 std::uint64_t pages_per_count)
{
	return driver_count ? std::min(*driver_count * pages_per_count, pagemap_count) : pagemap_count;
}

BenchResults run_bench(const BenchOptions &opt, const BenchPlan &plan)
{
	BenchResults r;
	r.size_bytes = opt.bytes();
	r.samples = opt.samples;
	r.repetitions = opt.repetitions;
	r.seed = opt.seed;
	r.skipped = plan.skipped;
	if (std::ranges::find(plan.run, Contender::pseudoscopic) != plan.run.end())
		r.device = plan.device;
	Buffer ref(opt.bytes());
	fill_incompressible(ref.span(), opt.seed);
	const Pagemap pagemap(::getpid());
	Run run{opt, ref, static_cast<std::size_t>(::sysconf(_SC_PAGESIZE)), plan.device, pagemap, 0, r};
	// One function per contender, in the order of enum Contender.
	constexpr std::array<void (*)(const Run &), all_contenders.size()> bench = {bench_memcpy, bench_pseudoscopic,
										     bench_dmirror, bench_zram};
	// Interleaved: a disturbance of the machine spreads over the
	// contenders instead of falling on one.
	for (run.rep = 0; run.rep < opt.repetitions; run.rep++)
		for (const Contender c : plan.run)
			bench.at(static_cast<std::size_t>(c))(run);
	r.ran = plan.run;
	return r;
}

} // namespace ps

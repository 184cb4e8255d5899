// SPDX-License-Identifier: GPL-2.0-or-later
// ps-bench's measurements: each contender moves a buffer of incompressible
// data away and back, is timed, and the buffer is compared byte for byte
// with the reference copy after every round trip.
#include "pseudoscopic/bench.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fmt/format.h>
#include <random>
#include <sys/mman.h>
#include <system_error>
#include <unistd.h>
#include <utility>

#include "pseudoscopic/devfile.hpp"
#include "pseudoscopic/dmirror.hpp"
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

// Everything a contender's run needs.
struct Run {
	const BenchOptions &opt;
	const Buffer &ref; // the contents every buffer must come back with
	std::size_t page;
	std::string device;
	BenchResults &out;

	[[nodiscard]] std::size_t len() const { return ref.size(); }

	// A buffer holding the reference contents.
	[[nodiscard]] Buffer fresh() const
	{
		Buffer b(len());
		fill_incompressible(b.span(), opt.seed);
		return b;
	}

	void check(std::string_view what, const Buffer &b) const { verify(what, b.span(), ref.span()); }

	void add(std::string name, std::string what, double value, const char *unit) const
	{
		out.measurements.push_back({std::move(name), std::move(what), value, unit});
	}

	void rate(std::string name, std::string what, std::size_t bytes, double secs) const
	{
		add(std::move(name), std::move(what), mb_per_s(bytes, secs), "MB/s");
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

	// Time one read each of pages picked at random (a page may come up
	// again, already back; --samples reads, no more than the buffer has
	// pages): p50, p99 and p99.9.
	void fault_latency(std::string_view contender, const Buffer &b) const
	{
		const std::size_t pages = b.size() / page;
		const std::size_t n = std::min(opt.samples, pages);
		std::mt19937_64 rng(opt.seed);
		std::vector<double> us;
		us.reserve(n);
		const volatile char *p = b.data();
		for (std::size_t i = 0; i < n; i++) {
			const std::size_t pg = rng() % pages;
			us.push_back(timed([&] { static_cast<void>(p[pg * page]); }) * 1e6);
		}
		const std::string what = fmt::format("random single-page fault, {} samples", n);
		add(fmt::format("{}_fault_p50", contender), what + ", p50", percentile(us, 50), "us");
		add(fmt::format("{}_fault_p99", contender), what + ", p99", percentile(us, 99), "us");
		add(fmt::format("{}_fault_p999", contender), what + ", p99.9", percentile(us, 99.9), "us");
	}
};

void bench_memcpy(const Run &run)
{
	Buffer dst(run.len());
	fill_incompressible(dst.span(), run.opt.seed + 1); // touched: no page faults timed
	const double secs = timed([&] { std::memcpy(dst.data(), run.ref.data(), run.len()); });
	run.rate("memcpy", "memcpy of the buffer, RAM to RAM", run.len(), secs);
	run.check("memcpy", dst);
}

ps_migrate to_vram(const Run &run, const DevFile &dev, const Buffer &b)
{
	const ps_migrate m = dev.migrate(b.data(), b.size(), PS_TO_VRAM);
	if (m.migrated == 0)
		throw BenchFailure(fmt::format("pseudoscopic: PS_IOC_MIGRATE moved none of the {} pages to VRAM "
					       "({} unmovable, {} for lack of space)",
					       b.size() / run.page, m.skipped_unmovable, m.skipped_no_space));
	return m;
}

void bench_pseudoscopic(const Run &run)
{
	const DevFile dev(run.device);
	const Buffer b = run.fresh();
	ps_migrate m{};
	double secs = timed([&] { m = to_vram(run, dev, b); });
	run.rate("pseudoscopic_to_vram", "to VRAM (PS_IOC_MIGRATE, PS_TO_VRAM)", m.migrated * run.page, secs);
	secs = timed([&] { m = dev.migrate(b.data(), b.size(), PS_TO_RAM); });
	run.rate("pseudoscopic_to_ram", "back to RAM on request (PS_TO_RAM)", m.migrated * run.page, secs);
	run.check("pseudoscopic, back to RAM on request", b);

	to_vram(run, dev, b);
	run.rate("pseudoscopic_fault_seq", "back to RAM by sequential CPU faults", b.size(), run.touch_all(b));
	run.check("pseudoscopic, back by sequential faults", b);

	to_vram(run, dev, b);
	run.fault_latency("pseudoscopic", b);
	run.check("pseudoscopic, after random faults", b);
}

void bench_dmirror(const Run &run)
{
	const Dmirror hmm;
	const Buffer b = run.fresh();
	// The driver copies the range into this "device view" on every move
	// to the device: touched first, so that copy pays no page faults.
	const Buffer view(run.len());
	std::memset(view.data(), 0, view.size());
	// With device THP (7.x) cpages counts folios, not pages: rates use
	// the buffer's length.
	double secs = timed([&] { hmm.migrate_to_dev(b.data(), b.size(), view.data()); });
	run.rate("dmirror_to_dev", "to device memory (HMM_DMIRROR_MIGRATE_TO_DEV)", b.size(), secs);
	secs = timed([&] { hmm.migrate_to_sys(b.data(), b.size(), view.data()); });
	run.rate("dmirror_to_sys", "back to RAM on request (HMM_DMIRROR_MIGRATE_TO_SYS)", b.size(), secs);
	run.check("dmirror, back to RAM on request", b);

	hmm.migrate_to_dev(b.data(), b.size(), view.data());
	run.rate("dmirror_fault_seq", "back to RAM by sequential CPU faults", b.size(), run.touch_all(b));
	run.check("dmirror, back by sequential faults", b);

	hmm.migrate_to_dev(b.data(), b.size(), view.data());
	run.fault_latency("dmirror", b);
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
	run.rate("zram_pageout", "to zram swap (MADV_PAGEOUT)", b.size(), timed([&] { page_out(b); }));
	run.rate("zram_fault_seq", "back from swap by sequential CPU faults", b.size(), run.touch_all(b));
	run.check("zram, back by sequential faults", b);

	page_out(b);
	run.fault_latency("zram", b);
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

BenchResults run_bench(const BenchOptions &opt, const BenchPlan &plan)
{
	BenchResults r;
	r.size_bytes = opt.bytes();
	r.samples = opt.samples;
	r.seed = opt.seed;
	r.skipped = plan.skipped;
	if (std::ranges::find(plan.run, Contender::pseudoscopic) != plan.run.end())
		r.device = plan.device;
	Buffer ref(opt.bytes());
	fill_incompressible(ref.span(), opt.seed);
	const Run run{opt, ref, static_cast<std::size_t>(::sysconf(_SC_PAGESIZE)), plan.device, r};
	// One function per contender, in the order of enum Contender.
	constexpr std::array<void (*)(const Run &), all_contenders.size()> bench = {bench_memcpy, bench_pseudoscopic,
										     bench_dmirror, bench_zram};
	for (const Contender c : plan.run) {
		bench.at(static_cast<std::size_t>(c))(run);
		r.ran.push_back(c);
	}
	return r;
}

} // namespace ps

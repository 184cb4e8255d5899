// SPDX-License-Identifier: GPL-2.0-or-later
// ps-stress's logic: its command line, the tagged memory every thread
// checks, the operation mix, the processes running it and the report.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <stdexcept>
#include <string>
#include <vector>

#include <linux/pseudoscopic.h>
#include <nlohmann/json_fwd.hpp>

namespace ps {

struct StressOptions {
	std::string device; // --device ("": the first /dev/pseudoscopicN)
	int threads = 4;    // per process
	int procs = 1;
	double duration = 10; // seconds
	std::size_t size_mib = 16;
	std::uint64_t seed = 1;
	bool json = false;
	bool corrupt_one = false; // flip a byte behind the checker's back (tests ps-stress)
};

// Parse ps-stress's command line (args without the program name).
// Returns -1 if the tool should go on, otherwise its exit status: 0 after
// --help (printed to out), 2 after a usage error (explained on err).
int parse_stress_args(const std::vector<std::string> &args, StressOptions &opt, std::ostream &out, std::ostream &err);

// The operations of the mix, each picked with the same probability.
enum class StressOp : std::uint8_t {
	write,	  // write a page with its next tag
	to_vram,  // migrate a range to VRAM, time the first touch (a fault)
	to_ram,	  // migrate a range back
	read,	  // check a range
	dontneed, // MADV_DONTNEED a half-resident range: zeros
	free,	  // MADV_FREE a half-resident range: the last data or zeros
	pageout,  // MADV_PAGEOUT a half-resident range: the data stays
	fork,	  // a child checks everything and writes a copy-on-write page
	munmap,	  // unmap a half-resident range, map it again, write it
	mremap,	  // move the whole region, half a range resident, to a new address
	count
};
inline constexpr std::size_t stress_op_count = static_cast<std::size_t>(StressOp::count);
inline constexpr std::array<const char *, stress_op_count> stress_op_names = {
	"write", "to_vram", "to_ram", "read", "dontneed", "free", "pageout", "fork", "munmap", "mremap"};

// The tag of 8-byte word `word` of page `page_no` at write generation `gen`.
std::uint64_t stress_tag(std::uint64_t seed, std::uint64_t page_no, std::uint64_t gen, std::uint64_t word);

// The region could not be put back together after a failed mmap/mremap:
// the thread owning it must stop.
class RegionLost : public std::runtime_error {
public:
	using std::runtime_error::runtime_error;
};

// One thread's private anonymous mapping.  Every page holds the tags of
// its last write, or zeros; the region keeps what each page must hold
// through every operation, and check() compares every byte.  Failing
// system calls throw std::system_error.
class TaggedRegion {
public:
	TaggedRegion(std::size_t pages, std::size_t page_size, std::uint64_t seed);
	TaggedRegion(const TaggedRegion &) = delete;
	TaggedRegion &operator=(const TaggedRegion &) = delete;
	~TaggedRegion();

	[[nodiscard]] std::size_t pages() const { return pages_; }
	[[nodiscard]] std::size_t page_size() const { return page_; }
	[[nodiscard]] std::size_t bytes() const { return pages_ * page_; }
	[[nodiscard]] char *at(std::size_t i) const { return base_ + i * page_; }

	// Write page i with the tags of its next generation.
	void write(std::size_t i);
	// Whether page i holds what it must, every byte compared: the tags of
	// its last write (never an older one), or zeros after MADV_DONTNEED;
	// after MADV_FREE either, and once it reads zeros it must stay zero
	// until written.
	bool check(std::size_t i);
	// Pages of [first, first + n) that fail check().
	std::size_t check_range(std::size_t first, std::size_t n);
	// madvise(advice) over [first, first + n): MADV_DONTNEED (zeros
	// after), MADV_FREE (the data or zeros), MADV_PAGEOUT (the data).
	void advise(std::size_t first, std::size_t n, int advice);
	// munmap [first, first + n), map fresh memory there again and write
	// it.  Another thread's mapping may take the hole meanwhile: then the
	// rest of the region moves around it into a new mapping.  `between`
	// runs while the hole is open (tests take it).
	void unmap_and_remap(std::size_t first, std::size_t n,
			     const std::function<void(void *hole, std::size_t len)> &between = {});
	// Move the whole mapping to a new address (mremap with
	// MREMAP_MAYMOVE | MREMAP_FIXED onto a reserved range).
	void move();
	// Whether a mapping (VMA) of the region may begin at page i: where a
	// munmap left a boundary.  Moves cut the region there: mremap of
	// older kernels (before 6.17) fails with EFAULT across VMAs.
	[[nodiscard]] bool split_at(std::size_t i) const { return i < pages_ && split_[i]; }

private:
	void relocate(std::size_t first, std::size_t n);
	std::size_t move_pages(std::size_t from, std::size_t count, char *dst);

	std::size_t pages_;
	std::size_t page_;
	std::uint64_t seed_;
	// What each page must hold: the tags of generation gen_[i] (which only
	// grows, so that stale data never passes), zeros, or either (after
	// MADV_FREE).
	enum Expect : std::uint8_t { data, zeros, data_or_zeros };
	std::vector<std::uint64_t> gen_;
	std::vector<Expect> expect_;
	std::vector<std::uint8_t> split_; // split_at()
	char *base_ = nullptr;
};

// One process's counts, in shared memory so the parent can sum them.
struct StressTotals {
	std::array<std::atomic<std::uint64_t>, stress_op_count> ops;
	std::atomic<std::uint64_t> pages_migrated;
	std::atomic<std::uint64_t> pages_no_space; // skipped_no_space of the migrations
	std::atomic<std::uint64_t> enomem;	    // migrations refused with ENOMEM (memory pressure)
	std::atomic<std::uint64_t> corrupt;
	std::atomic<std::uint64_t> errors;
	std::atomic<std::uint64_t> samples;
	std::array<double, 3> latency_us; // p50, p99, p99.9 of this process (written once)
};

// Moves [addr, addr + len) to `direction`, as DevFile::migrate does.
using StressMigrate = std::function<ps_migrate(const void *addr, std::size_t len, std::uint32_t direction)>;

struct StressThread {
	std::uint64_t seed = 1; // of its mix and its tags
	std::size_t pages = 16;
	std::size_t page_size = 4096;
	bool may_fork = true;	  // one thread per process forks
	bool corrupt_one = false; // flip a byte of page 0 at the start
	std::chrono::steady_clock::time_point until;
};

// Run one thread's mix until `until`, counting into `t`; the first-touch
// fault latencies (us) go to `latency_us`.  Ends with a check of every
// page.  Errors are counted and reported on stderr, never thrown.
void stress_thread(const StressThread &spec, const StressMigrate &migrate, StressTotals &t,
		   std::vector<double> &latency_us);

// The sums over every process.
struct StressSummary {
	int procs = 0;
	int threads = 0;
	std::size_t size_mib = 0;
	std::size_t page_size = 0;
	std::string device;
	double seconds = 0;
	std::array<std::uint64_t, stress_op_count> ops{};
	std::uint64_t pages_migrated = 0;
	std::uint64_t pages_no_space = 0;
	std::uint64_t enomem = 0;
	std::uint64_t corrupt = 0;
	std::uint64_t errors = 0;
	std::uint64_t samples = 0;
	std::array<double, 3> latency_us{}; // worst process's p50, p99, p99.9
	[[nodiscard]] std::uint64_t all_ops() const;
	[[nodiscard]] bool ok() const { return corrupt == 0 && errors == 0; }
};

// Fork opt.procs processes of opt.threads threads on opt.device and sum
// what they counted (a process that dies is an error).
StressSummary run_stress(const StressOptions &opt);

// Add one process's counts to the summary.
void add_totals(StressSummary &s, const StressTotals &t);

// The report: text (ending in "corrupt pages N, errors M: ok|FAILED")
// and JSON.
std::string format_stress_report(const StressSummary &s);
nlohmann::json stress_json(const StressSummary &s);

} // namespace ps

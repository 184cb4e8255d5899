// SPDX-License-Identifier: GPL-2.0-or-later
// ps-bench's logic: its command line, which contenders this machine can
// measure, the measurements (migration and fault throughput, fault
// latency) of pseudoscopic and of its references (memcpy, the kernel's
// test_hmm dmirror, zram swap) in interleaved repetitions, the pages each
// rate counts (those that really moved), the checks of every byte, and the
// reports: a table, "bench: NAME VALUE UNIT" lines, ratios and JSON, each
// with the median and the spread over the repetitions.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace ps {

// The contenders, in the order they run.
enum class Contender { memcpy, pseudoscopic, dmirror, zram };
inline constexpr std::array<Contender, 4> all_contenders{Contender::memcpy, Contender::pseudoscopic,
							 Contender::dmirror, Contender::zram};
// "memcpy", "pseudoscopic", "dmirror", "zram"; and back (nullopt for
// anything else).
std::string_view contender_name(Contender c);
std::optional<Contender> contender_from_name(std::string_view name);

struct BenchOptions {
	std::uint64_t size_mib = 64;  // --size: bytes per buffer, in MiB
	std::string device;	      // --device ("": the first /dev/pseudoscopicN)
	std::vector<Contender> only;  // --only, in running order, no repeats; empty: all
	std::size_t samples = 2000;   // --samples: random faults timed per repetition, at most
	std::size_t repetitions = 5;  // --repeat: rounds of every contender, interleaved
	std::uint64_t seed = 1;	      // --seed: buffer contents and fault order
	bool json = false;
	bool raw = false;

	[[nodiscard]] std::size_t bytes() const { return static_cast<std::size_t>(size_mib) << 20; }
	// Named in --only.
	[[nodiscard]] bool named(Contender c) const;
	// To be measured: named in --only, or every contender without it.
	[[nodiscard]] bool wanted(Contender c) const;
};

// Parse ps-bench's command line (args without the program name).
// Returns -1 if the tool should go on, otherwise its exit status: 0 after
// --help (printed to out), 2 after a usage error (explained on err).
int parse_bench_args(const std::vector<std::string> &args, BenchOptions &opt, std::ostream &out,
		     std::ostream &err);

// What this machine offers the contenders.
struct BenchEnvironment {
	std::string device;	    // the pseudoscopic node to use, "" if none
	std::string no_device_why;  // with no device: why (no module, nothing bound, no such node)
	bool dmirror = false;	    // /dev/hmm_dmirror0 exists
	std::string zram_swap;	    // an active zram swap device ("/dev/zram0"), "" if none
};
// Looks at /dev, /sys/module and /proc/swaps.
BenchEnvironment probe_environment(const BenchOptions &opt);
// The first /dev/zramN among the swap areas of a /proc/swaps text, or "".
std::string zram_swap_in(std::string_view proc_swaps);

struct Skip {
	Contender contender;
	std::string reason;
};
struct BenchPlan {
	std::vector<Contender> run;	 // in running order
	std::vector<Skip> skipped;	 // wanted, prerequisite missing, not asked for by name
	std::vector<std::string> errors; // any: stop with exit status 2
	std::string device;		 // the pseudoscopic node
};
// Which contenders run.  A missing prerequisite skips its contender,
// except for pseudoscopic (unless --only leaves it out) and for a
// contender named in --only: those are errors.
BenchPlan plan_bench(const BenchOptions &opt, const BenchEnvironment &env);

// The middle and the spread of repeated values: median, quartiles
// (linear interpolation between closest ranks, as numpy's default) and
// extremes.  All zero for no values.
struct Spread {
	std::size_t n = 0;
	double median = 0;
	double q1 = 0;
	double q3 = 0;
	double min = 0;
	double max = 0;
};
// NaNs are left out.
Spread spread_of(std::vector<double> values);

// One quantity, measured once per repetition.  Names are those of the
// "bench:" lines: "memcpy", "pseudoscopic_to_vram", "dmirror_fault_p99", ...
struct Measurement {
	std::string name;
	std::string what; // what was timed, for people
	std::string unit; // "MB/s" (10^6 bytes per second), "us", "faults", "pages/fault"
	std::vector<double> values; // one per repetition, in order
	// For rates: the pages each repetition's rate counted (the pages that
	// really moved, see rate_pages()); empty for other quantities.
	std::vector<std::uint64_t> pages;

	[[nodiscard]] Spread spread() const { return spread_of(values); }
	[[nodiscard]] double median() const { return spread().median; }
};

struct BenchResults {
	std::uint64_t size_bytes = 0;
	std::size_t samples = 0;
	std::size_t repetitions = 0;
	std::uint64_t seed = 0;
	std::string device; // "" when pseudoscopic did not run
	std::vector<Contender> ran;
	std::vector<Skip> skipped;
	std::vector<Measurement> measurements; // in order of first appearance

	// The measurement called `name`, or nullptr.
	[[nodiscard]] const Measurement *find(std::string_view name) const;
	// Append one repetition's value (and, for a rate, its page count) to
	// the measurement `name`, created on first use.
	void record(std::string_view name, std::string_view what, std::string_view unit, double value,
		    std::optional<std::uint64_t> pages = std::nullopt);
};

// A benchmark that cannot give a valid result: data that came back wrong,
// or nothing moved.  The message names the contender and the step.
class BenchFailure : public std::runtime_error {
public:
	using std::runtime_error::runtime_error;
};

// Xorshift64 words from `seed` (a partial last word is filled too): no
// compressor gains anything (zram gets no free ride), and the same seed
// gives the same bytes.
void fill_incompressible(std::span<char> buf, std::uint64_t seed);
// Offset of the first byte where `got` differs from `want` (or where the
// shorter one ends), nullopt when they are equal.
std::optional<std::size_t> first_mismatch(std::span<const char> got, std::span<const char> want);
// Throws BenchFailure "WHAT: data differs after the round trip, first at
// byte N of LEN" on any difference.
void verify(std::string_view what, std::span<const char> got, std::span<const char> want);

// Random-fault sampling without replacement: the pages of a buffer in a
// random order (Fisher-Yates with a 64-bit Mersenne twister from `seed`),
// each page exactly once.
std::vector<std::size_t> sample_order(std::size_t pages, std::uint64_t seed);
// The seed of repetition `rep` (0-based): the fault order differs between
// repetitions, and the same --seed gives the same orders.
std::uint64_t repetition_seed(std::uint64_t seed, std::size_t rep);

// What one pass of random faults timed.
struct FaultSamples {
	std::vector<double> us;	      // one per timed fault, in order
	std::size_t examined = 0;     // pages of the order looked at
	std::size_t already_back = 0; // of those, not away when their turn came: not timed
};
// Walk `order` and time `fault(page)` for each page `away(page)` says is
// really away (not in RAM) just before it is touched, until `n` faults are
// timed or the order ends.  Pages a fault brought back with another (fault
// around, a 2 MiB folio, swap readahead) are skipped, never timed as RAM
// reads.
FaultSamples sample_faults(const std::vector<std::size_t> &order, std::size_t n,
			   const std::function<bool(std::size_t)> &away,
			   const std::function<double(std::size_t)> &fault);

// Moved-page accounting through /proc/self/pagemap: an entry is away when
// its page is not present but the entry holds a swap entry, which is what a
// page swapped out (to zram) and a device-private page (dmirror's,
// pseudoscopic's) both look like.  Never-populated pages have neither bit.
bool pagemap_away(std::uint64_t raw);
std::uint64_t count_away(const std::vector<std::uint64_t> &pagemap);

// The pages a rate counts, from what the mover reported: the pages
// pagemap (or the driver's residency view) saw move, bounded by the
// driver's own count when it has one (pseudoscopic's migrated, its
// pages_to_ram counter around a fault sweep, dmirror's cpages).  A driver
// that counts a 2 MiB folio once (dmirror's HMM_DMIRROR_MIGRATE_TO_SYS
// with device THP on 7.x) gives `pages_per_count` = 512: each count
// stands for at most that many pages.  So a page counted by the driver
// but not seen moved, or seen away but not counted, is never in a rate.
std::uint64_t rate_pages(std::optional<std::uint64_t> driver_count, std::uint64_t pagemap_count,
			 std::uint64_t pages_per_count = 1);

// Measure every contender of the plan, in opt.repetitions interleaved
// rounds (memcpy, pseudoscopic, dmirror, zram, memcpy, ...).  Throws
// BenchFailure on wrong data or when nothing moved, and std::system_error
// (naming the ioctl, mmap or madvise and the errno) when a call fails.
BenchResults run_bench(const BenchOptions &opt, const BenchPlan &plan);

// One row of the ratio table: ours against a reference.
struct RatioRule {
	const char *label;
	const char *ours;
	const char *reference;
	bool higher_is_better;
};
const std::vector<RatioRule> &ratio_rules();

struct Ratio {
	std::string label;
	std::string ours;
	std::string reference;
	double ours_value = 0;	    // median over the repetitions
	double reference_value = 0; // median over the repetitions
	std::string unit;
	// ours / reference within each repetition (the two were measured
	// next to each other), NaN where the reference is zero.
	std::vector<double> per_repetition;
	// Median and spread of per_repetition; n is 0 when no repetition has a
	// non-zero reference.
	Spread spread;
	double ratio = 0; // spread.median; NaN when n is 0
	bool higher_is_better = true;

	// Whether pseudoscopic did better than the reference in this row (by
	// the median).
	[[nodiscard]] bool ours_better() const;
};
// The rules whose two measurements are both present, in rule order.
std::vector<Ratio> compute_ratios(const BenchResults &r);

// "ps-bench: 64M buffers, ..." with a newline: what the run was.
std::string format_header(const BenchResults &r);
// Per measurement a "bench: NAME MEDIAN UNIT" line and a
// "bench-spread: NAME MIN Q1 Q3 MAX UNIT N" line (one decimal; N
// repetitions).
std::string format_raw(const BenchResults &r);
// A table: NAME MEDIAN MIN MAX IQR UNIT PAGES MEASURES.
std::string format_measurements(const BenchResults &r);
// "ratios, ..." then, indented, memcpy's median rate and one line per
// ratio: "  LABEL  OURS UNIT vs REF  ratio R [MIN-MAX] (higher is better)",
// medians and the range of the per-repetition ratios.  Empty when there
// is nothing to compare.
std::string format_ratios(const BenchResults &r, const std::vector<Ratio> &ratios);
// Everything: the run, each contender (measured or skipped, and why),
// measurements by name, ratios.
nlohmann::json bench_json(const BenchResults &r, const std::vector<Ratio> &ratios);

} // namespace ps

// SPDX-License-Identifier: GPL-2.0-or-later
// ps-bench's logic: its command line, which contenders this machine can
// measure, the measurements (migration and fault throughput, fault
// latency) of pseudoscopic and of its references (memcpy, the kernel's
// test_hmm dmirror, zram swap), the checks of every byte, and the
// reports: a table, "bench: NAME VALUE UNIT" lines, ratios and JSON.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
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
	std::size_t samples = 2000;   // --samples: random faults timed (no more than the buffer's pages)
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

// One number.  Names are those of the "bench:" lines: "memcpy",
// "pseudoscopic_to_vram", "dmirror_fault_p99", ...
struct Measurement {
	std::string name;
	std::string what; // what was timed, for people
	double value = 0;
	std::string unit; // "MB/s" (10^6 bytes per second) or "us"
};

struct BenchResults {
	std::uint64_t size_bytes = 0;
	std::size_t samples = 0;
	std::uint64_t seed = 0;
	std::string device; // "" when pseudoscopic did not run
	std::vector<Contender> ran;
	std::vector<Skip> skipped;
	std::vector<Measurement> measurements;

	// The measurement called `name`, or nullptr.
	[[nodiscard]] const Measurement *find(std::string_view name) const;
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

// Measure every contender of the plan, one after the other.  Throws
// BenchFailure on wrong data and std::system_error (naming the ioctl,
// mmap or madvise and the errno) when a call fails.
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
	double ours_value = 0;
	double reference_value = 0;
	std::string unit;
	double ratio = 0; // ours / reference; NaN for a zero reference
	bool higher_is_better = true;

	// Whether pseudoscopic did better than the reference in this row.
	[[nodiscard]] bool ours_better() const;
};
// The rules whose two measurements are both present, in rule order.
std::vector<Ratio> compute_ratios(const BenchResults &r);

// "ps-bench: 64M buffers, ..." with a newline: what the run was.
std::string format_header(const BenchResults &r);
// One "bench: NAME VALUE UNIT" line per measurement (one decimal).
std::string format_raw(const BenchResults &r);
// A table: NAME VALUE UNIT MEASURES.
std::string format_measurements(const BenchResults &r);
// "ratios, ..." then, indented, memcpy's rate and one line per ratio:
// "  LABEL  OURS UNIT vs REF  ratio R (higher is better)".  Empty when
// there is nothing to compare.
std::string format_ratios(const BenchResults &r, const std::vector<Ratio> &ratios);
// Everything: the run, each contender (measured or skipped, and why),
// measurements by name, ratios.
nlohmann::json bench_json(const BenchResults &r, const std::vector<Ratio> &ratios);

} // namespace ps

// SPDX-License-Identifier: GPL-2.0-or-later
// ps-stress: threads and processes migrating, faulting, forking, remapping
// and discarding memory through pseudoscopic at once, every byte of every
// page checked against what was last written to it.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>
#include <random>
#include <sys/mman.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "pseudoscopic/devfile.hpp"
#include "pseudoscopic/tool_main.hpp"
#include "pseudoscopic/percentile.hpp"

namespace {

constexpr std::size_t page = 4096;
using clock_type = std::chrono::steady_clock;

struct Options {
	std::string device;
	int threads = 4;
	int procs = 1;
	double duration = 10;
	std::size_t size_mib = 16;
	std::uint64_t seed = 1;
	bool json = false;
	bool corrupt_one = false; // test of the checker itself
};

// Per-process results, in shared memory so the parent can sum them.
struct Totals {
	std::array<std::atomic<std::uint64_t>, 8> ops;
	std::atomic<std::uint64_t> pages_migrated;
	std::atomic<std::uint64_t> corrupt;
	std::atomic<std::uint64_t> errors;
	std::atomic<std::uint64_t> samples;
	std::array<double, 3> latency_us; // p50, p99, p99.9 of this process (written once)
};

enum Op { op_write, op_to_vram, op_to_ram, op_read, op_discard, op_fork, op_remap, op_count };
constexpr std::array<const char *, op_count> op_names = {"write", "to_vram", "to_ram", "read", "discard", "fork", "remap"};

std::uint64_t tag(std::uint64_t seed, std::uint64_t page_no, std::uint64_t gen, std::uint64_t word)
{
	std::uint64_t x = seed ^ (page_no * 0x9e3779b97f4a7c15ULL) ^ (gen << 32) ^ (word * 0xbf58476d1ce4e5b9ULL);
	x ^= x >> 31;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 29);
}

// One thread's private region: its own mapping so that remapping it never
// disturbs another thread.  gen[i] == 0 means "zero page expected".
class Region {
public:
	Region(std::size_t pages, std::uint64_t seed) : pages_(pages), seed_(seed), gen_(pages, 0)
	{
		void *p = ::mmap(nullptr, bytes(), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			throw std::system_error(errno, std::generic_category(), "mmap");
		base_ = static_cast<char *>(p);
	}
	Region(const Region &) = delete;
	Region &operator=(const Region &) = delete;
	~Region() { ::munmap(base_, bytes()); }

	[[nodiscard]] std::size_t bytes() const { return pages_ * page; }
	[[nodiscard]] std::size_t pages() const { return pages_; }
	[[nodiscard]] char *at(std::size_t i) const { return base_ + i * page; }

	void write(std::size_t i)
	{
		gen_[i]++;
		auto *w = reinterpret_cast<std::uint64_t *>(at(i));
		for (std::size_t k = 0; k < page / 8; k++)
			w[k] = tag(seed_, i, gen_[i], k);
	}
	// Number of wrong words in page i.
	[[nodiscard]] std::size_t check(std::size_t i) const
	{
		const auto *w = reinterpret_cast<const std::uint64_t *>(at(i));
		std::size_t bad = 0;
		for (std::size_t k = 0; k < page / 8; k++)
			bad += w[k] != (gen_[i] ? tag(seed_, i, gen_[i], k) : 0);
		return bad;
	}
	void discarded(std::size_t first, std::size_t n)
	{
		for (std::size_t i = first; i < first + n; i++)
			gen_[i] = 0;
	}
	// Grow by one page (the kernel may move the mapping) and shrink back.
	bool remap()
	{
		void *q = ::mremap(base_, bytes(), bytes() + page, MREMAP_MAYMOVE);
		if (q == MAP_FAILED)
			return false;
		void *r = ::mremap(q, bytes() + page, bytes(), 0);
		if (r == MAP_FAILED) {
			base_ = static_cast<char *>(q);
			return false;
		}
		base_ = static_cast<char *>(r);
		return true;
	}

private:
	std::size_t pages_;
	std::uint64_t seed_;
	std::vector<std::uint64_t> gen_;
	char *base_ = nullptr;
};

void worker(const Options &opt, const ps::DevFile &dev, Totals &t, int proc, int thread, std::size_t pages,
	    clock_type::time_point until, std::vector<double> &lat)
{
	const std::uint64_t seed = opt.seed * 1000003 + static_cast<std::uint64_t>(proc) * 1009 + thread;
	std::mt19937_64 rng(seed);
	Region r(pages, seed);
	auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };

	for (std::size_t i = 0; i < pages; i++)
		r.write(i);
	if (opt.corrupt_one && proc == 0 && thread == 0) {
		dev.migrate(r.at(0), page, PS_TO_VRAM);
		r.at(0)[100] ^= 1; // faults the page back, then breaks it
	}
	while (clock_type::now() < until) {
		const auto op = static_cast<Op>(pick(op_count));
		const std::size_t first = pick(pages), n = std::min<std::size_t>(1 + pick(64), pages - first);
		try {
			switch (op) {
			case op_write:
				r.write(first);
				break;
			case op_to_vram: {
				auto m = dev.migrate(r.at(first), n * page, PS_TO_VRAM);
				t.pages_migrated += m.migrated;
				// First touch of a page just moved: a timed fault.
				const auto t0 = clock_type::now();
				volatile char c = *r.at(first);
				(void)c;
				lat.push_back(std::chrono::duration<double, std::micro>(clock_type::now() - t0).count());
				break;
			}
			case op_to_ram:
				t.pages_migrated += dev.migrate(r.at(first), n * page, PS_TO_RAM).migrated;
				break;
			case op_read:
				for (std::size_t i = first; i < first + n; i++)
					t.corrupt += r.check(i) != 0;
				break;
			case op_discard:
				if (::madvise(r.at(first), n * page, MADV_DONTNEED))
					t.errors++;
				r.discarded(first, n);
				break;
			case op_fork: {
				if (thread != 0) // fork from one thread per process only
					continue;
				const pid_t pid = ::fork();
				if (pid == 0) {
					std::size_t bad = 0;
					for (std::size_t i = 0; i < pages; i++)
						bad += r.check(i) != 0;
					r.write(first); // COW: must not reach the parent
					::_exit(bad ? 1 : 0);
				}
				int st = 0;
				if (pid < 0 || ::waitpid(pid, &st, 0) < 0)
					t.errors++;
				else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
					t.corrupt++;
				t.corrupt += r.check(first) != 0;
				break;
			}
			case op_remap:
				if (!r.remap())
					t.errors++;
				break;
			case op_count:
				break;
			}
		} catch (const std::system_error &e) {
			t.errors++;
			(void)std::fprintf(stderr, "ps-stress: %s\n", e.what());
		}
		t.ops[op]++;
	}
	for (std::size_t i = 0; i < pages; i++)
		t.corrupt += r.check(i) != 0;
}

void run_process(const Options &opt, Totals &t, int proc)
{
	ps::DevFile dev(opt.device);
	const std::size_t pages =
		std::max<std::size_t>(16, opt.size_mib * 1024 * 1024 / page / static_cast<std::size_t>(opt.procs * opt.threads));
	const auto until = clock_type::now() + std::chrono::duration_cast<clock_type::duration>(
						       std::chrono::duration<double>(opt.duration));
	std::vector<std::vector<double>> lat(static_cast<std::size_t>(opt.threads));
	std::vector<std::thread> pool;
	pool.reserve(static_cast<std::size_t>(opt.threads));
	for (int i = 0; i < opt.threads; i++)
		pool.emplace_back(worker, std::cref(opt), std::cref(dev), std::ref(t), proc, i, pages, until,
				  std::ref(lat[static_cast<std::size_t>(i)]));
	for (auto &th : pool)
		th.join();
	std::vector<double> all;
	for (auto &l : lat)
		all.insert(all.end(), l.begin(), l.end());
	t.samples = all.size();
	t.latency_us[0] = ps::percentile(all, 50);
	t.latency_us[1] = ps::percentile(all, 99);
	t.latency_us[2] = ps::percentile(all, 99.9);
}

int run(int argc, char **argv)
{
	CLI::App app{"Stress pseudoscopic: migrations, faults, fork, remap and discard at once, every byte checked.",
		     "ps-stress"};
	Options opt;
	app.add_option("-d,--device", opt.device, "Device node (default: the first /dev/pseudoscopicN)");
	app.add_option("-t,--threads", opt.threads, "Threads per process")
		->capture_default_str()->check(CLI::Range(1, 256));
	app.add_option("-p,--procs", opt.procs, "Processes")
		->capture_default_str()->check(CLI::Range(1, 64));
	app.add_option("-D,--duration", opt.duration, "Seconds to run")
		->capture_default_str()->check(CLI::Range(0.1, 86400.0));
	app.add_option("-s,--size", opt.size_mib, "MiB of memory in play, over all threads")
		->capture_default_str()
		->check(CLI::Range(1, 1 << 20));
	app.add_option("--seed", opt.seed, "Seed of the random operation mix")
		->capture_default_str();
	app.add_flag("-J,--json", opt.json, "Print the summary as JSON");
	app.add_flag("--corrupt-one", opt.corrupt_one, "Flip one byte behind the checker's back (tests ps-stress)")
		->group("");
	app.footer("Exit status: 0 if every check passed, 1 on corruption or an unexpected error, 2 on usage errors.");
	try {
		app.parse(argc, argv);
	} catch (const CLI::ParseError &e) {
		return app.exit(e) == 0 ? 0 : 2;
	}
	if (opt.device.empty())
		opt.device = ps::default_node();
	if (opt.device.empty()) {
		(void)std::fprintf(stderr, "ps-stress: no /dev/pseudoscopicN (is a device bound?)\n");
		return 1;
	}
	(void)ps::DevFile(opt.device).info(); // fail early and clearly

	const std::size_t shared_len = sizeof(Totals) * static_cast<std::size_t>(opt.procs);
	void *shm = ::mmap(nullptr, shared_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED)
		throw std::system_error(errno, std::generic_category(), "mmap");
	auto *totals = static_cast<Totals *>(shm);
	// MAP_ANONYMOUS memory starts zeroed: every counter starts at 0.

	const auto start = clock_type::now();
	std::vector<pid_t> kids;
	for (int p = 0; p < opt.procs; p++) {
		const pid_t pid = ::fork();
		if (pid == 0) {
			try {
				run_process(opt, totals[p], p);
			} catch (const std::exception &e) {
				(void)std::fprintf(stderr, "ps-stress: process %d: %s\n", p, e.what());
				totals[p].errors++;
			}
			::_exit(0);
		}
		kids.push_back(pid);
	}
	std::uint64_t errors = 0;
	for (const pid_t pid : kids) {
		int st = 0;
		if (::waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			errors++;
	}
	const double secs = std::chrono::duration<double>(clock_type::now() - start).count();

	nlohmann::json j;
	std::uint64_t all_ops = 0, corrupt = 0, migrated = 0, samples = 0;
	std::array<std::uint64_t, op_count> per_op{};
	double p50 = 0, p99 = 0, p999 = 0;
	for (int p = 0; p < opt.procs; p++) {
		for (int o = 0; o < op_count; o++) {
			per_op[o] += totals[p].ops[o];
			all_ops += totals[p].ops[o];
		}
		corrupt += totals[p].corrupt;
		errors += totals[p].errors;
		migrated += totals[p].pages_migrated;
		samples += totals[p].samples;
		p50 = std::max(p50, totals[p].latency_us[0]);
		p99 = std::max(p99, totals[p].latency_us[1]);
		p999 = std::max(p999, totals[p].latency_us[2]);
	}
	::munmap(shm, shared_len);
	for (int o = 0; o < op_count; o++)
		j["ops"][op_names[o]] = per_op[o];
	j["seconds"] = secs;
	j["ops_per_second"] = static_cast<double>(all_ops) / secs;
	j["pages_migrated"] = migrated;
	j["corrupt_pages"] = corrupt;
	j["errors"] = errors;
	j["fault_latency_us"] = {{"samples", samples}, {"p50", p50}, {"p99", p99}, {"p99.9", p999}};
	if (opt.json) {
		fmt::print("{}\n", j.dump(2));
	} else {
		fmt::print("ps-stress: {} process(es) x {} thread(s), {} MiB, {:.1f} s on {}\n", opt.procs,
			   opt.threads, opt.size_mib, secs, opt.device);
		fmt::print("  operations   {} ({:.0f}/s)\n", all_ops, static_cast<double>(all_ops) / secs);
		for (int o = 0; o < op_count; o++)
			fmt::print("    {:<10} {}\n", op_names[o], per_op[o]);
		fmt::print("  pages moved  {}\n", migrated);
		fmt::print("  fault latency (us, worst process)  p50 {:.1f}  p99 {:.1f}  p99.9 {:.1f}  ({} samples)\n",
			   p50, p99, p999, samples);
		fmt::print("  corrupt pages {}, errors {}: {}\n", corrupt, errors,
			   corrupt || errors ? "FAILED" : "ok");
	}
	return corrupt || errors ? 1 : 0;
}

} // namespace

int main(int argc, char **argv)
{
	return ps::tool_main("ps-stress", run, argc, argv);
}

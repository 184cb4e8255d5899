// SPDX-License-Identifier: GPL-2.0-or-later
// ps-stress's operation mix, its threads and processes.
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>
#include <sys/mman.h>
#include <sys/wait.h>
#include <system_error>
#include <thread>
#include <unistd.h>

#include "pseudoscopic/devfile.hpp"
#include "pseudoscopic/percentile.hpp"
#include "pseudoscopic/stress.hpp"

namespace ps {

namespace {

using clock_type = std::chrono::steady_clock;

// One thread's mix over its region.
class Mix {
public:
	Mix(const StressThread &spec, const StressMigrate &migrate, StressTotals &t, std::vector<double> &lat)
		: spec_(spec), migrate_(migrate), t_(t), lat_(lat), rng_(spec.seed), r_(spec.pages, spec.page_size, spec.seed)
	{
	}

	void run();

private:
	void op(StressOp op, std::size_t first, std::size_t n);
	void move(std::size_t first, std::size_t n, std::uint32_t direction);
	void half_resident(std::size_t first, std::size_t n) { move(first, (n + 1) / 2, PS_TO_VRAM); }
	void fork_and_check(std::size_t first);
	void corrupt_one();
	std::size_t pick(std::size_t n) { return static_cast<std::size_t>(rng_() % n); }

	const StressThread &spec_;
	const StressMigrate &migrate_;
	StressTotals &t_;
	std::vector<double> &lat_;
	std::mt19937_64 rng_;
	TaggedRegion r_;
};

void Mix::run()
{
	const std::size_t pages = r_.pages();
	for (std::size_t i = 0; i < pages; i++)
		r_.write(i);
	if (spec_.corrupt_one)
		corrupt_one();
	while (clock_type::now() < spec_.until) {
		const auto o = static_cast<StressOp>(pick(stress_op_count));
		const std::size_t first = pick(pages);
		const std::size_t n = std::min<std::size_t>(1 + pick(64), pages - first);
		if (o == StressOp::fork && !spec_.may_fork)
			continue;
		try {
			op(o, first, n);
		} catch (const std::system_error &e) {
			t_.errors++;
			(void)std::fprintf(stderr, "ps-stress: %s: %s\n", stress_op_names.at(static_cast<std::size_t>(o)),
					   e.what());
		}
		t_.ops.at(static_cast<std::size_t>(o))++;
	}
	t_.corrupt += r_.check_range(0, pages);
}

void Mix::op(StressOp op, std::size_t first, std::size_t n)
{
	switch (op) {
	case StressOp::write:
		r_.write(first);
		break;
	case StressOp::to_vram: {
		move(first, n, PS_TO_VRAM);
		// First touch of a page just moved: a timed fault.
		const auto t0 = clock_type::now();
		const volatile char c = *r_.at(first);
		(void)c;
		lat_.push_back(std::chrono::duration<double, std::micro>(clock_type::now() - t0).count());
		break;
	}
	case StressOp::to_ram:
		move(first, n, PS_TO_RAM);
		break;
	case StressOp::read:
		t_.corrupt += r_.check_range(first, n);
		break;
	case StressOp::dontneed:
	case StressOp::free:
	case StressOp::pageout:
		half_resident(first, n);
		r_.advise(first, n,
			  op == StressOp::dontneed ? MADV_DONTNEED : op == StressOp::free ? MADV_FREE : MADV_PAGEOUT);
		t_.corrupt += r_.check_range(first, n);
		break;
	case StressOp::fork:
		fork_and_check(first);
		break;
	case StressOp::munmap:
		half_resident(first, n);
		r_.unmap_and_remap(first, n);
		break;
	case StressOp::mremap:
		half_resident(first, n);
		r_.move();
		t_.corrupt += r_.check_range(first, n); // the moved pages, at the new address
		break;
	case StressOp::count:
		break;
	}
}

// A migration of [first, first + n).  ENOMEM (the driver found no memory
// for its bookkeeping) is memory pressure, as skipped_no_space pages are:
// counted, not errors.
void Mix::move(std::size_t first, std::size_t n, std::uint32_t direction)
{
	try {
		const ps_migrate m = migrate_(r_.at(first), n * r_.page_size(), direction);
		t_.pages_migrated += m.migrated;
		t_.pages_no_space += m.skipped_no_space;
	} catch (const std::system_error &e) {
		if (e.code() != std::errc::not_enough_memory)
			throw;
		t_.enomem++;
	}
}

void Mix::fork_and_check(std::size_t first)
{
	const pid_t pid = ::fork();
	if (pid == 0) {
		const std::size_t bad = r_.check_range(0, r_.pages());
		r_.write(first); // copy-on-write: must not reach the parent
		::_exit(bad ? 1 : 0);
	}
	if (pid < 0)
		throw std::system_error(errno, std::generic_category(), "fork");
	int st = 0;
	if (::waitpid(pid, &st, 0) < 0)
		throw std::system_error(errno, std::generic_category(), "waitpid");
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		t_.corrupt++;
	t_.corrupt += r_.check_range(first, 1);
}

// The checker's own test: page 0 goes to VRAM, one byte of it is flipped
// (which faults it back) without the expected tags knowing, and it is
// checked at once, so that no later write can hide the damage.
void Mix::corrupt_one()
{
	move(0, 1, PS_TO_VRAM);
	r_.at(0)[100] ^= 1;
	t_.corrupt += r_.check_range(0, 1);
}

} // namespace

void stress_thread(const StressThread &spec, const StressMigrate &migrate, StressTotals &t,
		   std::vector<double> &latency_us)
{
	try {
		Mix(spec, migrate, t, latency_us).run();
	} catch (const std::exception &e) {
		t.errors++;
		(void)std::fprintf(stderr, "ps-stress: thread stopped: %s\n", e.what());
	}
}

namespace {

void run_process(const StressOptions &opt, StressTotals &t, int proc, std::size_t page_size)
{
	const DevFile dev(opt.device);
	const StressMigrate migrate = [&dev](const void *addr, std::size_t len, std::uint32_t direction) {
		return dev.migrate(addr, len, direction);
	};
	StressThread spec;
	spec.page_size = page_size;
	spec.pages = std::max<std::size_t>(16, opt.size_mib * 1024 * 1024 / page_size /
						       static_cast<std::size_t>(opt.procs * opt.threads));
	spec.until = clock_type::now() +
		     std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(opt.duration));
	std::vector<std::vector<double>> lat(static_cast<std::size_t>(opt.threads));
	std::vector<std::thread> pool;
	pool.reserve(static_cast<std::size_t>(opt.threads));
	for (int i = 0; i < opt.threads; i++) {
		spec.seed = opt.seed * 1000003 + static_cast<std::uint64_t>(proc) * 1009 + static_cast<std::uint64_t>(i);
		spec.may_fork = i == 0; // fork from one thread per process only
		spec.corrupt_one = opt.corrupt_one && proc == 0 && i == 0;
		pool.emplace_back(stress_thread, spec, std::cref(migrate), std::ref(t),
				  std::ref(lat[static_cast<std::size_t>(i)]));
	}
	for (auto &th : pool)
		th.join();
	std::vector<double> all;
	for (auto &l : lat)
		all.insert(all.end(), l.begin(), l.end());
	t.samples = all.size();
	t.latency_us[0] = percentile(all, 50);
	t.latency_us[1] = percentile(all, 99);
	t.latency_us[2] = percentile(all, 99.9);
}

} // namespace

StressSummary run_stress(const StressOptions &opt)
{
	StressSummary s;
	s.procs = opt.procs;
	s.threads = opt.threads;
	s.size_mib = opt.size_mib;
	s.device = opt.device;
	s.page_size = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));

	const std::size_t shared_len = sizeof(StressTotals) * static_cast<std::size_t>(opt.procs);
	void *shm = ::mmap(nullptr, shared_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED)
		throw std::system_error(errno, std::generic_category(), "mmap");
	// MAP_ANONYMOUS memory starts zeroed: every counter starts at 0.
	auto *totals = static_cast<StressTotals *>(shm);

	const auto start = clock_type::now();
	std::vector<pid_t> kids;
	for (int p = 0; p < opt.procs; p++) {
		const pid_t pid = ::fork();
		if (pid == 0) {
			try {
				run_process(opt, totals[p], p, s.page_size);
			} catch (const std::exception &e) {
				(void)std::fprintf(stderr, "ps-stress: process %d: %s\n", p, e.what());
				totals[p].errors++;
			}
			::_exit(0);
		}
		if (pid < 0) {
			(void)std::fprintf(stderr, "ps-stress: fork: %s\n", std::strerror(errno));
			s.errors++;
			continue;
		}
		kids.push_back(pid);
	}
	for (const pid_t pid : kids) {
		int st = 0;
		if (::waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			s.errors++;
	}
	s.seconds = std::chrono::duration<double>(clock_type::now() - start).count();
	for (int p = 0; p < opt.procs; p++)
		add_totals(s, totals[p]);
	::munmap(shm, shared_len);
	return s;
}

} // namespace ps

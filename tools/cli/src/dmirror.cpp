// SPDX-License-Identifier: GPL-2.0-or-later
#include "pseudoscopic/dmirror.hpp"

#include <cerrno>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <system_error>
#include <unistd.h>

namespace ps {

Dmirror::Dmirror(const std::string &path) : fd_(open_file(path, O_RDWR)) {}

int Dmirror::try_call(unsigned long request, hmm_dmirror_cmd &cmd, void *addr, std::size_t len, void *view) const
{
	const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
	cmd = hmm_dmirror_cmd{};
	cmd.addr = reinterpret_cast<std::uintptr_t>(addr);
	cmd.ptr = reinterpret_cast<std::uintptr_t>(view);
	cmd.npages = len / page;
	return ::ioctl(fd_.get(), request, &cmd) ? errno : 0;
}

hmm_dmirror_cmd Dmirror::call(unsigned long request, const char *name, void *addr, std::size_t len,
			      void *view) const
{
	hmm_dmirror_cmd cmd{};
	if (const int err = try_call(request, cmd, addr, len, view))
		throw std::system_error(err, std::generic_category(), name);
	return cmd;
}

hmm_dmirror_cmd Dmirror::migrate_to_dev(void *addr, std::size_t len, void *view) const
{
	// Migration is best effort: a page with an extra reference at that
	// moment (one still in another CPU's LRU batch, say) is skipped, and
	// test_hmm, reading the range
	// back from its device memory, then fails the call with ENOENT
	// (dmirror_do_read()).  The pages that moved stay moved; another call
	// moves the rest.  A few tries, then the error stands.
	constexpr int tries = 4;
	hmm_dmirror_cmd cmd{};
	int err = 0;
	for (int i = 0; i < tries; ++i) {
		err = try_call(HMM_DMIRROR_MIGRATE_TO_DEV, cmd, addr, len, view);
		if (err != ENOENT)
			break;
	}
	if (err)
		throw std::system_error(err, std::generic_category(), "HMM_DMIRROR_MIGRATE_TO_DEV");
	return cmd;
}

hmm_dmirror_cmd Dmirror::migrate_to_sys(void *addr, std::size_t len, void *view) const
{
	return call(HMM_DMIRROR_MIGRATE_TO_SYS, "HMM_DMIRROR_MIGRATE_TO_SYS", addr, len, view);
}

} // namespace ps

// SPDX-License-Identifier: GPL-2.0-or-later
#include "pseudoscopic/dmirror.hpp"

#include <cerrno>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <system_error>
#include <unistd.h>

namespace ps {

Dmirror::Dmirror(const std::string &path) : fd_(open_file(path, O_RDWR)) {}

hmm_dmirror_cmd Dmirror::call(unsigned long request, const char *name, void *addr, std::size_t len,
			      void *view) const
{
	const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
	hmm_dmirror_cmd cmd{};
	cmd.addr = reinterpret_cast<std::uintptr_t>(addr);
	cmd.ptr = reinterpret_cast<std::uintptr_t>(view);
	cmd.npages = len / page;
	if (::ioctl(fd_.get(), request, &cmd))
		throw std::system_error(errno, std::generic_category(), name);
	return cmd;
}

hmm_dmirror_cmd Dmirror::migrate_to_dev(void *addr, std::size_t len, void *view) const
{
	return call(HMM_DMIRROR_MIGRATE_TO_DEV, "HMM_DMIRROR_MIGRATE_TO_DEV", addr, len, view);
}

hmm_dmirror_cmd Dmirror::migrate_to_sys(void *addr, std::size_t len, void *view) const
{
	return call(HMM_DMIRROR_MIGRATE_TO_SYS, "HMM_DMIRROR_MIGRATE_TO_SYS", addr, len, view);
}

} // namespace ps

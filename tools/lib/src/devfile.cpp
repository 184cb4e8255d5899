// SPDX-License-Identifier: GPL-2.0-or-later
#include "pseudoscopic/devfile.hpp"

#include <cerrno>
#include <fcntl.h>
#include <filesystem>
#include <string>
#include <sys/ioctl.h>
#include <unistd.h>
#include <utility>

namespace ps {

namespace {
[[noreturn]] void fail(const std::string &what)
{
	throw std::system_error(errno, std::generic_category(), what);
}
} // namespace

DevFile::DevFile(const std::string &path) : fd_(::open(path.c_str(), O_RDWR | O_CLOEXEC)), path_(path)
{
	if (fd_ < 0)
		fail(path);
}

DevFile::DevFile(DevFile &&other) noexcept : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)) {}

DevFile &DevFile::operator=(DevFile &&other) noexcept
{
	if (this != &other) {
		if (fd_ >= 0)
			::close(fd_);
		fd_ = std::exchange(other.fd_, -1);
		path_ = std::move(other.path_);
	}
	return *this;
}

DevFile::~DevFile()
{
	if (fd_ >= 0)
		::close(fd_);
}

ps_info DevFile::info() const
{
	ps_info i{};
	if (::ioctl(fd_, PS_IOC_INFO, &i)) {
		// A driver of uapi version 3 or older knows only the 0xb5 numbers.
		if (errno == ENOTTY)
			fail(path_ + ": PS_IOC_INFO: the loaded driver predates uapi version " +
			     std::to_string(PS_UAPI_VERSION) + " (ioctl magic 0xb9); load the driver these tools came with");
		fail(path_ + ": PS_IOC_INFO");
	}
	return i;
}

ps_migrate DevFile::migrate(const void *addr, std::size_t len, std::uint32_t direction, std::uint32_t flags) const
{
	return migrate_at(reinterpret_cast<std::uintptr_t>(addr), len, direction, flags, -1);
}

ps_migrate DevFile::migrate_at(std::uint64_t start, std::uint64_t len, std::uint32_t direction, std::uint32_t flags,
			       int pidfd) const
{
	ps_migrate m{};
	m.start = start;
	m.length = len;
	m.direction = direction;
	m.flags = flags;
	if (pidfd >= 0) {
		m.flags |= PS_MIGRATE_PIDFD;
		m.pidfd = pidfd;
	}
	if (::ioctl(fd_, PS_IOC_MIGRATE, &m))
		fail(path_ + ": PS_IOC_MIGRATE");
	return m;
}

std::vector<std::uint8_t> DevFile::residency(const void *addr, std::size_t len, ps_residency *out) const
{
	return residency_at(reinterpret_cast<std::uintptr_t>(addr), len, -1, 0, out);
}

std::vector<std::uint8_t> DevFile::residency_at(std::uint64_t start, std::uint64_t len, int pidfd,
						std::uint32_t flags, ps_residency *out) const
{
	const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
	std::vector<std::uint8_t> states(len / page);
	ps_residency r{};
	r.start = start;
	r.length = len;
	r.states = reinterpret_cast<std::uintptr_t>(states.data());
	r.flags = flags;
	if (pidfd >= 0) {
		r.flags |= PS_RES_PIDFD;
		r.pidfd = pidfd;
	}
	if (::ioctl(fd_, PS_IOC_RESIDENCY, &r))
		fail(path_ + ": PS_IOC_RESIDENCY");
	if (out)
		*out = r;
	return states;
}

std::string default_node()
{
	for (int i = 0; i < 64; i++) {
		std::string p = "/dev/pseudoscopic" + std::to_string(i);
		std::error_code ec;
		if (std::filesystem::exists(p, ec))
			return p;
	}
	return "";
}

} // namespace ps

// SPDX-License-Identifier: GPL-2.0-or-later
// RAII access to /dev/pseudoscopicN and typed wrappers for its ioctls.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <system_error>
#include <vector>

#include <linux/pseudoscopic.h>

namespace ps {

class DevFile {
public:
	// Throws std::system_error naming the node on failure.
	explicit DevFile(const std::string &path);
	DevFile(const DevFile &) = delete;
	DevFile &operator=(const DevFile &) = delete;
	DevFile(DevFile &&other) noexcept;
	DevFile &operator=(DevFile &&other) noexcept;
	~DevFile();

	[[nodiscard]] ps_info info() const;
	// Moves [addr, addr + len); returns the kernel's counters.  Throws
	// std::system_error (with the errno) if the ioctl fails.
	ps_migrate migrate(const void *addr, std::size_t len, std::uint32_t direction,
			   std::uint32_t flags = 0) const;
	// One PS_RES_* byte per page; counts are filled in `out`.
	std::vector<std::uint8_t> residency(const void *addr, std::size_t len, ps_residency *out = nullptr) const;
	// The same for the process `pidfd` refers to (PS_MIGRATE_PIDFD,
	// PS_RES_PIDFD; uapi version 2), or for the caller if pidfd < 0.
	ps_migrate migrate_at(std::uint64_t start, std::uint64_t len, std::uint32_t direction, std::uint32_t flags,
			      int pidfd) const;
	// `flags` adds PS_RES_* flags such as PS_RES_SWAP (uapi version 3).
	std::vector<std::uint8_t> residency_at(std::uint64_t start, std::uint64_t len, int pidfd,
					       std::uint32_t flags = 0, ps_residency *out = nullptr) const;
	[[nodiscard]] const std::string &path() const { return path_; }

private:
	int fd_ = -1;
	std::string path_;
};

// The first device node that exists (/dev/pseudoscopic0, 1, ...), or "".
std::string default_node();

} // namespace ps

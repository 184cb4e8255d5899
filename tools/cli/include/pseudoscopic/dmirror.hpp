// SPDX-License-Identifier: GPL-2.0-or-later
// The kernel's HMM self-test driver (lib/test_hmm.c, /dev/hmm_dmirrorN),
// ps-bench's reference: its ioctl ABI, restated here because the tools
// are built without a kernel tree, and a file wrapper for the two
// migration calls.
#pragma once

#include <cstddef>
#include <cstdint>
#include <linux/ioctl.h>
#include <string>

#include "pseudoscopic/process.hpp"

namespace ps {

// The argument of every HMM_DMIRROR_* ioctl (five 64-bit words, in this
// order; the names are the kernel's).
struct hmm_dmirror_cmd {
	std::uint64_t addr;   // in: first byte of the caller's range
	std::uint64_t ptr;    // in: the caller's buffer for the device's copy
	std::uint64_t npages; // in: pages in the range
	std::uint64_t cpages; // out: pages handled (folios, with device THP)
	std::uint64_t faults; // out: device faults taken
};
static_assert(sizeof(hmm_dmirror_cmd) == 40, "the dmirror command is five 64-bit words");

// Request numbers: type 'H', read-write, numbered in the kernel's order.
inline constexpr unsigned long HMM_DMIRROR_READ = _IOWR('H', 0x00, hmm_dmirror_cmd);
inline constexpr unsigned long HMM_DMIRROR_WRITE = _IOWR('H', 0x01, hmm_dmirror_cmd);
inline constexpr unsigned long HMM_DMIRROR_MIGRATE_TO_DEV = _IOWR('H', 0x02, hmm_dmirror_cmd);
inline constexpr unsigned long HMM_DMIRROR_MIGRATE_TO_SYS = _IOWR('H', 0x03, hmm_dmirror_cmd);
inline constexpr unsigned long HMM_DMIRROR_SNAPSHOT = _IOWR('H', 0x04, hmm_dmirror_cmd);
inline constexpr unsigned long HMM_DMIRROR_EXCLUSIVE = _IOWR('H', 0x05, hmm_dmirror_cmd);
inline constexpr unsigned long HMM_DMIRROR_CHECK_EXCLUSIVE = _IOWR('H', 0x06, hmm_dmirror_cmd);
inline constexpr unsigned long HMM_DMIRROR_RELEASE = _IOWR('H', 0x07, hmm_dmirror_cmd);

// The first private-memory mirror test_hmm.ko creates.
inline constexpr const char *default_dmirror_node = "/dev/hmm_dmirror0";

// An open mirror.  The driver mirrors the address space of the process
// that opened it, so the calls act on the caller's memory.
class Dmirror {
public:
	// Throws std::system_error naming the node.
	explicit Dmirror(const std::string &path = default_dmirror_node);

	// Move [addr, addr + len) into the driver's device memory; the driver
	// also copies the range into `view` (len bytes, its "device view").
	// A call that left a page behind (ENOENT) is repeated, up to four in
	// all.  Throws std::system_error "HMM_DMIRROR_MIGRATE_TO_DEV: <errno text>".
	hmm_dmirror_cmd migrate_to_dev(void *addr, std::size_t len, void *view) const;
	// Move the range back to system memory (HMM_DMIRROR_MIGRATE_TO_SYS).
	hmm_dmirror_cmd migrate_to_sys(void *addr, std::size_t len, void *view) const;

private:
	// The ioctl; 0 or its errno.
	int try_call(unsigned long request, hmm_dmirror_cmd &cmd, void *addr, std::size_t len, void *view) const;
	hmm_dmirror_cmd call(unsigned long request, const char *name, void *addr, std::size_t len, void *view) const;

	UniqueFd fd_;
};

} // namespace ps

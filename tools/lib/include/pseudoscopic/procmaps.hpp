// SPDX-License-Identifier: GPL-2.0-or-later
// /proc/PID/maps: the mappings of a process, and choosing among them by
// name (ps-migrate --map) or kind (--all-anon).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace ps {

struct Mapping {
	std::uint64_t start = 0; // first byte
	std::uint64_t end = 0;	 // one past the last byte
	std::string perms;	 // "rw-p"
	std::uint64_t offset = 0;
	std::uint64_t inode = 0;
	std::string path; // "/usr/lib/libc.so.6", "[heap]", "" (anonymous)

	[[nodiscard]] bool writable() const { return perms.size() > 1 && perms[1] == 'w'; }
	[[nodiscard]] bool is_private() const { return perms.size() > 3 && perms[3] == 'p'; }
	// Not backed by a file: no path, [heap], [stack], [stack:TID], [anon:NAME].
	// The kernel's own [vdso], [vvar], [vsyscall] are not anonymous memory.
	[[nodiscard]] bool anonymous() const;
	[[nodiscard]] std::uint64_t bytes() const { return end - start; }
};

// Parse the text of a maps file.  Throws std::invalid_argument naming the
// line for anything that is not a maps line.
std::vector<Mapping> parse_maps(std::string_view text);

// Read and parse /proc/PID/maps (proc_root is "/proc" except in tests).
// Throws std::system_error with the errno (ESRCH, EACCES...) on failure.
std::vector<Mapping> read_maps(pid_t pid, const std::string &proc_root = "/proc");

// Whether `name` designates the mapping: the exact path ("[heap]",
// "/usr/lib/libc.so.6"), its basename ("libc.so.6"), or the basename up to
// a '.' or '-' ("libc" matches libc.so.6 and libc-2.36.so).
bool mapping_matches(const Mapping &m, std::string_view name);

// The candidates for --all-anon: private, writable, anonymous.
bool private_anon_writable(const Mapping &m);

} // namespace ps

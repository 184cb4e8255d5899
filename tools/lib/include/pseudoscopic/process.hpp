// SPDX-License-Identifier: GPL-2.0-or-later
// The target process of ps-migrate: an owned file descriptor, a pidfd,
// launching a command and waiting for it, and its anonymous RSS.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace ps {

// An owned file descriptor, closed on destruction.
class UniqueFd {
public:
	UniqueFd() = default;
	explicit UniqueFd(int fd) : fd_(fd) {}
	UniqueFd(const UniqueFd &) = delete;
	UniqueFd &operator=(const UniqueFd &) = delete;
	UniqueFd(UniqueFd &&other) noexcept;
	UniqueFd &operator=(UniqueFd &&other) noexcept;
	~UniqueFd();

	[[nodiscard]] int get() const { return fd_; }
	[[nodiscard]] bool valid() const { return fd_ >= 0; }

private:
	int fd_ = -1;
};

// Open `path` (flags as for open(2)); throws std::system_error naming it.
UniqueFd open_file(const std::string &path, int flags);

// A pidfd of a process (pidfd_open(2)).  Throws std::system_error with
// ESRCH when there is no such process.
class Pidfd {
public:
	explicit Pidfd(pid_t pid);
	[[nodiscard]] int get() const { return fd_.get(); }
	[[nodiscard]] pid_t pid() const { return pid_; }

private:
	UniqueFd fd_;
	pid_t pid_;
};

// Start argv[0] (searched in PATH) with argv as arguments in a child
// process.  Throws std::system_error if it cannot be started (fork fails,
// or exec does: the child's errno is passed back).
pid_t launch(const std::vector<std::string> &argv);

// Wait for the child; its exit status, or 128 + the signal that ended it
// (as shells report it).
int wait_exit_status(pid_t pid);

// Whether the child has already ended (without reaping it).
bool has_exited(pid_t pid);

// RssAnon of /proc/PID/status in bytes, nullopt if it cannot be read.
std::optional<std::uint64_t> rss_anon(pid_t pid, const std::string &proc_root = "/proc");
// The same from the text of a status file.
std::optional<std::uint64_t> parse_rss_anon(const std::string &status_text);

} // namespace ps

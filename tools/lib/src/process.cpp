// SPDX-License-Identifier: GPL-2.0-or-later
#include "pseudoscopic/process.hpp"

#include <array>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <system_error>
#include <unistd.h>
#include <utility>

#include "pseudoscopic/sysfs.hpp"

namespace ps {

UniqueFd::UniqueFd(UniqueFd &&other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

UniqueFd &UniqueFd::operator=(UniqueFd &&other) noexcept
{
	if (this != &other) {
		if (fd_ >= 0)
			::close(fd_);
		fd_ = std::exchange(other.fd_, -1);
	}
	return *this;
}

UniqueFd::~UniqueFd()
{
	if (fd_ >= 0)
		::close(fd_);
}

UniqueFd open_file(const std::string &path, int flags)
{
	UniqueFd fd(::open(path.c_str(), flags | O_CLOEXEC));
	if (!fd.valid())
		throw std::system_error(errno, std::generic_category(), path);
	return fd;
}

Pidfd::Pidfd(pid_t pid) : fd_(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0))), pid_(pid)
{
	if (!fd_.valid())
		throw std::system_error(errno, std::generic_category(), "pidfd_open(" + std::to_string(pid) + ")");
}

pid_t launch(const std::vector<std::string> &argv)
{
	if (argv.empty())
		throw std::system_error(EINVAL, std::generic_category(), "no command to launch");
	std::vector<char *> args;
	args.reserve(argv.size() + 1);
	for (const auto &a : argv)
		args.push_back(const_cast<char *>(a.c_str()));
	args.push_back(nullptr);
	// A close-on-exec pipe tells the parent whether exec succeeded: it
	// reads EOF on success, the child's errno on failure.
	std::array<int, 2> p{};
	if (::pipe2(p.data(), O_CLOEXEC))
		throw std::system_error(errno, std::generic_category(), "pipe2");
	const UniqueFd rd(p[0]);
	UniqueFd wr(p[1]);
	const pid_t pid = ::fork();
	if (pid < 0)
		throw std::system_error(errno, std::generic_category(), "fork");
	if (pid == 0) {
		::execvp(args[0], args.data());
		const int err = errno;
		(void)!::write(wr.get(), &err, sizeof(err));
		::_exit(127);
	}
	wr = UniqueFd();
	int err = 0;
	ssize_t n = 0;
	do {
		n = ::read(rd.get(), &err, sizeof(err));
	} while (n < 0 && errno == EINTR);
	if (n == sizeof(err)) {
		(void)wait_exit_status(pid);
		throw std::system_error(err, std::generic_category(), "cannot run '" + argv[0] + "'");
	}
	return pid;
}

int wait_exit_status(pid_t pid)
{
	int status = 0;
	pid_t r = 0;
	do {
		r = ::waitpid(pid, &status, 0);
	} while (r < 0 && errno == EINTR);
	if (r < 0)
		throw std::system_error(errno, std::generic_category(), "waitpid");
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

bool has_exited(pid_t pid)
{
	siginfo_t info{};
	if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT))
		return true;
	return info.si_pid == pid;
}

std::optional<std::uint64_t> parse_rss_anon(const std::string &status_text)
{
	const auto at = status_text.find("\nRssAnon:");
	if (at == std::string::npos)
		return std::nullopt;
	const auto b = status_text.find_first_not_of(" \t", at + 9);
	if (b == std::string::npos)
		return std::nullopt;
	std::uint64_t kb = 0;
	const char *first = status_text.data() + b;
	auto [p, ec] = std::from_chars(first, status_text.data() + status_text.size(), kb);
	const std::string_view rest(p, static_cast<std::size_t>(status_text.data() + status_text.size() - p));
	if (ec != std::errc() || p == first || !rest.starts_with(" kB"))
		return std::nullopt;
	return kb * 1024;
}

std::optional<std::uint64_t> rss_anon(pid_t pid, const std::string &proc_root)
{
	auto text = read_value(proc_root + "/" + std::to_string(pid) + "/status");
	return text ? parse_rss_anon("\n" + *text) : std::nullopt;
}

} // namespace ps

// SPDX-License-Identifier: GPL-2.0-or-later
#include "pseudoscopic/terminal.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <poll.h>
#include <string_view>
#include <termios.h>
#include <unistd.h>

namespace ps {

namespace {

volatile std::sig_atomic_t stop_requested = 0;

void on_signal(int /*sig*/)
{
	stop_requested = 1;
}

// The terminal's settings before the session, restored by the destructor.
termios saved_termios{};

// Write all of a control sequence (the terminal is ours; a short write is
// retried, a failing one given up).
void put(std::string_view seq)
{
	while (!seq.empty()) {
		const ssize_t n = write(STDOUT_FILENO, seq.data(), seq.size());
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		seq.remove_prefix(static_cast<std::size_t>(n));
	}
}

} // namespace

TerminalSession::TerminalSession(bool alternate)
{
	stop_requested = 0;
	struct sigaction sa {};
	sa.sa_handler = on_signal; // no SA_RESTART: poll() returns EINTR
	sigemptyset(&sa.sa_mask);
	for (const int sig : {SIGINT, SIGTERM, SIGHUP})
		sigaction(sig, &sa, nullptr);
	screen_ = alternate && isatty(STDOUT_FILENO) != 0;
	if (screen_) {
		(void)std::fflush(stdout);
		put("\033[?1049h\033[?25l"); // alternate screen, cursor hidden
	}
	if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved_termios) == 0) {
		termios raw = saved_termios;
		raw.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO);
		raw.c_cc[VMIN] = 0;
		raw.c_cc[VTIME] = 0;
		keys_ = tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
	}
}

TerminalSession::~TerminalSession()
{
	if (keys_)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_termios);
	if (screen_) {
		(void)std::fflush(stdout);
		put("\033[?25h\033[?1049l"); // cursor shown, main screen back
	}
	struct sigaction sa {};
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (const int sig : {SIGINT, SIGTERM, SIGHUP})
		sigaction(sig, &sa, nullptr);
}

bool TerminalSession::wait(std::chrono::duration<double> timeout)
{
	const auto end = std::chrono::steady_clock::now() + timeout;
	while (!stop_requested) {
		const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
		if (left.count() <= 0)
			return true;
		pollfd pfd{keys_ ? STDIN_FILENO : -1, POLLIN, 0};
		const int n = poll(&pfd, 1, static_cast<int>(left.count()));
		if (n > 0 && (pfd.revents & POLLIN)) {
			char c = 0;
			if (read(STDIN_FILENO, &c, 1) == 1 && (c == 'q' || c == 'Q'))
				return false;
		}
	}
	return false;
}

bool use_color()
{
	const char *no_color = std::getenv("NO_COLOR"); // NOLINT(concurrency-mt-unsafe): read once, at start
	return isatty(STDOUT_FILENO) != 0 && (!no_color || !*no_color);
}

} // namespace ps

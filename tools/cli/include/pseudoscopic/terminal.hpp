// SPDX-License-Identifier: GPL-2.0-or-later
// A full-screen session on a terminal, for ps-status --watch: the
// alternate screen with the cursor hidden, keys read one at a time without
// echo, and everything put back on exit, on an exception and on SIGINT,
// SIGTERM or SIGHUP (which end the session instead of the process).
#pragma once

#include <chrono>

namespace ps {

class TerminalSession {
public:
	// Enters the alternate screen when asked and stdout is a terminal,
	// raw key input when stdin is one; installs the signal handlers
	// either way.  (A dashboard of a set number of frames stays on the
	// main screen, where it remains readable after the exit.)
	explicit TerminalSession(bool alternate);
	~TerminalSession();
	TerminalSession(const TerminalSession &) = delete;
	TerminalSession &operator=(const TerminalSession &) = delete;
	TerminalSession(TerminalSession &&) = delete;
	TerminalSession &operator=(TerminalSession &&) = delete;

	// Wait up to `timeout`; false once the session should end: q pressed
	// or a signal arrived.
	bool wait(std::chrono::duration<double> timeout);

	// Whether the session drew on the alternate screen.
	[[nodiscard]] bool screen() const { return screen_; }

private:
	bool screen_ = false;
	bool keys_ = false;
};

// Whether colour may be used on stdout: a terminal, and NO_COLOR unset or
// empty (https://no-color.org).
bool use_color();

} // namespace ps

// SPDX-License-Identifier: GPL-2.0-or-later
// The edge of every tool: run it, turn escaping exceptions into a message
// naming the tool and exit status 1.
#pragma once

#include <cstdio>
#include <exception>

namespace ps {

template <typename Fn> int tool_main(const char *name, Fn &&fn, int argc, char **argv) noexcept
{
	try {
		return fn(argc, argv);
	} catch (const std::exception &e) {
		(void)std::fprintf(stderr, "%s: %s\n", name, e.what());
	} catch (...) {
		(void)std::fprintf(stderr, "%s: unexpected error\n", name);
	}
	return 1;
}

} // namespace ps

// SPDX-License-Identifier: GPL-2.0-or-later
// Human-readable sizes, the way util-linux prints them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ps {

// 268435456 -> "256M", 1536 -> "1.5K", 0 -> "0B" (binary units, like
// zramctl and lsblk).
std::string human_bytes(std::uint64_t bytes);

// "256M", "4G", "4096", "2MiB" -> bytes; nullopt for malformed input or
// overflow.
std::optional<std::uint64_t> parse_size(std::string_view text);

// A size given in MiB: a bare number is MiB ("64"), a suffixed one is
// converted ("1G" -> 1024, "512K" -> nullopt: not a whole MiB).
std::optional<std::uint64_t> parse_mib(std::string_view text);

} // namespace ps

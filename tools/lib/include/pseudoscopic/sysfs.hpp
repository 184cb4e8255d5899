// SPDX-License-Identifier: GPL-2.0-or-later
// Reading sysfs-style files: one value per file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace ps {

// Contents of a one-value file without the trailing newline, or nullopt if
// it cannot be read.
std::optional<std::string> read_value(const std::filesystem::path &file);

// The same, parsed as an unsigned or signed integer (decimal or 0x hex).
std::optional<std::uint64_t> read_u64(const std::filesystem::path &file);
std::optional<std::int64_t> read_s64(const std::filesystem::path &file);

} // namespace ps

// Log levels and the log handler the SDK writes through.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <smarter/export.hpp>

namespace smarter {

/// How much the SDK logs. `off` is the default unless SMARTER_LOG says otherwise.
enum class LogLevel { off = 0, error = 1, warn = 2, info = 3, debug = 4 };

/// Receives one finished log line (no trailing newline). Must be thread-safe.
using LogHandler = std::function<void(LogLevel level, std::string_view line)>;

/// Parses "off", "error", "warn", "info" or "debug" (any case); nullopt for anything else.
SMARTER_API std::optional<LogLevel> parse_log_level(std::string_view text) noexcept;

/// The handler used when a client is given none: writes "[smarter] LEVEL line" to stderr.
SMARTER_API LogHandler default_log_handler();

}  // namespace smarter

#include <smarter/logging.hpp>

#include <cstdio>
#include <mutex>

#include "text_util.hpp"

namespace smarter {

std::optional<LogLevel> parse_log_level(std::string_view text) noexcept {
  std::string value = detail::to_lower(detail::trim(text));
  if (value == "off") return LogLevel::off;
  if (value == "error") return LogLevel::error;
  if (value == "warn" || value == "warning") return LogLevel::warn;
  if (value == "info") return LogLevel::info;
  if (value == "debug") return LogLevel::debug;
  return std::nullopt;
}

LogHandler default_log_handler() {
  return [](LogLevel level, std::string_view line) {
    static std::mutex mutex;
    static constexpr char const* kNames[] = {"OFF", "ERROR", "WARN", "INFO", "DEBUG"};
    std::lock_guard<std::mutex> lock(mutex);
    std::fprintf(stderr, "[smarter] %s %.*s\n", kNames[static_cast<int>(level)], static_cast<int>(line.size()),
                 line.data());
  };
}

}  // namespace smarter

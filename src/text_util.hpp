// Small text helpers shared by the core (private).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "ascii.hpp"

namespace smarter::detail {

/// `text` cut to at most `max` characters, with "..." when cut.
std::string shorten(std::string_view text, std::size_t max);
/// A one-line summary of a text or HTML body: the <title> or the tag-free text, whitespace collapsed.
std::string summarize_text(std::string_view text, std::size_t max);
/// An environment variable; nullopt when unset, empty or blank.
std::optional<std::string> env_value(char const* name);
/// Percent-encodes everything except RFC 3986 unreserved characters.
std::string percent_encode(std::string_view text);
/// `value` as one percent-encoded URL path segment, so an id can never change the path it is put
/// in. An empty value, "." or ".." raises SmarterError naming `param` before any request is made.
std::string path_segment(char const* param, std::string const& value);
/// Replaces every occurrence of `secret` (when at least 4 characters long) with "<redacted>".
std::string redact(std::string text, std::string_view secret);

}  // namespace smarter::detail

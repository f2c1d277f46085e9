// Parsing JSON that came from the network, with a nesting limit (private).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <smarter/export.hpp>

namespace smarter::detail {

/// The default deepest nesting accepted in JSON from a server.
inline constexpr std::size_t kDefaultMaxJsonDepth = 512;

/// The outcome of parse_json.
struct JsonParse {
  /// Why a text was refused.
  enum class Failure { none, syntax, too_deep };
  nlohmann::json value;             ///< The parsed value (discarded on failure).
  Failure failure = Failure::none;  ///< What went wrong, if anything.
  std::string message;              ///< A short description of the failure.
  /// True when the text parsed.
  explicit operator bool() const noexcept { return failure == Failure::none; }
};

/// Parses `text` as one JSON document, refusing arrays and objects nested deeper than
/// `max_depth` before they are built (deep values crash recursive copies and dumps). Never throws
/// for bad input; std::bad_alloc is the only exception.
SMARTER_API JsonParse parse_json(std::string_view text, std::size_t max_depth);

/// `value` as JSON text; invalid UTF-8 in strings is replaced (U+FFFD) instead of throwing, for
/// messages and logs built from data the SDK does not control.
SMARTER_API std::string dump_lenient(nlohmann::json const& value, int indent = -1);

}  // namespace smarter::detail

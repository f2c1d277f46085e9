// Parsing JSON that came from the network, with a nesting limit (private).
#pragma once

#include <cstddef>
#include <functional>
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

/// Receives one element of a list's "data" array (moved out: the parser keeps no copy) and its
/// index.
using ListItemSink = std::function<void(nlohmann::json&& item, std::size_t index)>;

/// The outcome of parse_list.
struct ListParse : JsonParse {
  /// False when the text is not a list this parser can stream (a second top-level "data" key:
  /// a whole-document parse keeps the last one). Then nothing more was read and the caller
  /// parses the text whole with parse_json instead. `value` is then unset.
  bool streamed = true;
  std::size_t items = 0;  ///< How many elements of "data" were handed to the sink.
};

/// Parses a list response (`{"data": [...], ...}`) handing each element of the top-level "data"
/// array to `on_item` as soon as it is complete, so the elements are never all held as JSON at
/// once. `value` is the rest of the document, with "data" as an empty array when it was an
/// array (any other "data" value is kept as sent, for the caller to refuse). The same nesting
/// limit and failures as parse_json; an exception from `on_item` stops parsing and propagates.
SMARTER_API ListParse parse_list(std::string_view text, std::size_t max_depth, ListItemSink const& on_item);

/// `value` as JSON text; invalid UTF-8 in strings is replaced (U+FFFD) instead of throwing, for
/// messages and logs built from data the SDK does not control.
SMARTER_API std::string dump_lenient(nlohmann::json const& value, int indent = -1);

}  // namespace smarter::detail

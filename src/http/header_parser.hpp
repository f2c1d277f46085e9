// Response header lines as libcurl hands them over, one line per callback (private).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <smarter/export.hpp>
#include <smarter/http/headers.hpp>

namespace smarter::http::detail {

/// Collects the header lines of one response block at a time (a block is a status line, header
/// lines and a blank line; interim 1xx responses and followed redirects each have their own).
///
/// Work is linear in the bytes fed: an obsolete folded continuation line is appended to the
/// previous header in place, and never merges headers that share a name. Every byte of every
/// block counts against `max_bytes`, so a server cannot grow the header set without bound.
class SMARTER_API HeaderBlockParser {
 public:
  /// What a fed line was.
  enum class Line {
    status,        ///< The first line of a block (the status line).
    header,        ///< A header line (or a continuation of the previous one).
    end_of_block,  ///< The blank line that ends a block.
    ignored,       ///< A line that is neither (no colon, bad name, stray continuation).
    too_large,     ///< The byte budget is spent; the response must be refused.
  };

  /// A parser that refuses more than `max_bytes` of header data in total.
  explicit HeaderBlockParser(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  /// Consumes one raw line as received, terminator included.
  Line feed(std::string_view raw);

  /// Takes the headers of the current block and starts the next one.
  Headers take_block();
  /// Drops the current block (an interim or followed response) and starts the next one.
  void discard_block();

  /// Header bytes received so far, over all blocks.
  std::size_t bytes_seen() const noexcept { return bytes_; }
  /// The limit given at construction.
  std::size_t max_bytes() const noexcept { return max_bytes_; }
  /// True while a block has started (its status line arrived) and not yet ended.
  bool in_block() const noexcept { return in_block_; }

 private:
  std::size_t max_bytes_;
  std::size_t bytes_ = 0;
  bool in_block_ = false;
  std::vector<std::pair<std::string, std::string>> lines_;
};

/// True when `name` is an RFC 9110 token (the characters a header name or method may use).
SMARTER_API bool is_token(std::string_view name) noexcept;

}  // namespace smarter::http::detail

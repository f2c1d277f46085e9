// A streaming multipart/form-data parser for the fake server: parts are handed out as their
// bytes arrive, so a large upload never sits whole in memory. Written independently of the
// SDK's encoder so that tests check one against the other.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace smarter::testkit::detail {

/// The headers of one part that matter to a form handler.
struct FormPartInfo {
  std::string name;                     ///< The `name` parameter of Content-Disposition.
  std::optional<std::string> filename;  ///< The `filename` parameter, when present.
  std::optional<std::string> content_type;  ///< The part's Content-Type header, when present.
};

/// The body is not well-formed multipart/form-data.
class MultipartParseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The boundary parameter of a `multipart/form-data; boundary=...` Content-Type, or nullopt.
std::optional<std::string> boundary_from_content_type(std::string_view content_type);

/// Push parser: feed() the body in any pieces; callbacks fire as parts begin, fill and end.
class MultipartStreamParser {
 public:
  /// Receives parser events. Every callback is optional.
  struct Callbacks {
    std::function<void(FormPartInfo const&)> on_part_begin;
    std::function<void(char const*, std::size_t)> on_part_data;
    std::function<void()> on_part_end;
  };

  /// A parser for bodies delimited by `boundary`.
  MultipartStreamParser(std::string boundary, Callbacks callbacks);

  /// Consumes the next piece of the body. Throws MultipartParseError on malformed input.
  void feed(char const* data, std::size_t size);
  /// Declares the end of the body. Throws MultipartParseError when the closing boundary is missing.
  void finish() const;
  /// True once the closing boundary has been seen.
  bool done() const noexcept { return state_ == State::end; }

 private:
  enum class State { preamble, after_boundary, headers, body, end };
  void parse_headers(std::string_view block);
  void run();

  std::string delimiter_;  // "\r\n--" + boundary
  Callbacks callbacks_;
  std::string buffer_;
  State state_ = State::preamble;
};

}  // namespace smarter::testkit::detail

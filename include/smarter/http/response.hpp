// An HTTP response whose body is read as it arrives.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include <smarter/export.hpp>
#include <smarter/http/headers.hpp>

namespace smarter::http {

/// A response body pulled from the network piece by piece.
class SMARTER_API ResponseBody {
 public:
  virtual ~ResponseBody();
  /// Copies up to `max` bytes into `buffer`, waiting for them if needed; returns 0 at the end.
  /// Throws APIConnectionError or APITimeoutError when the transfer fails midway.
  virtual std::size_t read(char* buffer, std::size_t max) = 0;
  /// Stops the transfer; an unfinished connection is closed rather than reused. Idempotent.
  virtual void close() noexcept = 0;
};

/// A response body that is already in memory (for custom transports and tests).
class SMARTER_API StringBody final : public ResponseBody {
 public:
  /// Wraps `text` as a body.
  explicit StringBody(std::string text);
  std::size_t read(char* buffer, std::size_t max) override;
  void close() noexcept override;

 private:
  std::string text_;
  std::size_t offset_ = 0;
};

/// Status line and headers of a response, with its body still to be read.
struct SMARTER_API HttpResponse {
  int status_code = 0;               ///< HTTP status of the final response (after redirects).
  Headers headers{};                   ///< Headers of the final response.
  std::string url{};                   ///< Effective URL after redirects.
  std::unique_ptr<ResponseBody> body{};  ///< The body; never null for responses a transport returns.

  /// Reads the rest of the body into a string (at most `limit` bytes; more raises SmarterError).
  std::string read_all(std::size_t limit = static_cast<std::size_t>(-1));
};

}  // namespace smarter::http

// A fully read HTTP response, as returned by Smarter::request and carried by APIStatusError.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include <smarter/export.hpp>
#include <smarter/http/headers.hpp>

namespace smarter {

namespace detail {
class ResponseContext;
}  // namespace detail

/// Status, headers and body of a response that has been read to the end.
struct SMARTER_API RawResponse {
  int status_code = 0;       ///< HTTP status.
  http::Headers headers{};   ///< Response headers.
  std::string body{};          ///< Body bytes as received.
  std::string method{};        ///< Method of the request that produced this response.
  std::string url{};           ///< URL of the request (after redirects).
  int retries_taken = 0;     ///< Retries performed before this response (0 when the first attempt answered).
  std::chrono::milliseconds elapsed{0};  ///< Time across all attempts.
  /// Settings of the client that read this response (its JSON nesting limit, the secrets kept
  /// out of errors). Set by the client; empty for responses built by hand (defaults apply).
  std::shared_ptr<detail::ResponseContext const> context{};

  /// The body as text.
  std::string const& text() const { return body; }
  /// The body parsed as JSON; throws APIResponseValidationError when it is not JSON or is nested
  /// deeper than the client's limits.max_json_depth.
  nlohmann::json json() const;
  /// The `x-request-id` header, or nullopt.
  std::optional<std::string> request_id() const;
  /// The Content-Type media type without parameters, lower-cased (e.g. "application/json").
  std::string content_type() const;
  /// True for 2xx statuses.
  bool ok() const { return status_code >= 200 && status_code < 300; }
};

}  // namespace smarter

// An HTTP request as the transport sees it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <smarter/export.hpp>
#include <smarter/http/headers.hpp>

namespace smarter::http {

/// A request body that is pulled piece by piece, so uploads need not fit in memory.
class SMARTER_API BodySource {
 public:
  virtual ~BodySource();
  /// Total size in bytes when known up front (sent as Content-Length), else nullopt (chunked).
  virtual std::optional<std::uint64_t> size() const = 0;
  /// Copies up to `max` bytes into `buffer`; returns how many, 0 at the end. Throws on I/O errors.
  virtual std::size_t read(char* buffer, std::size_t max) = 0;
  /// Starts over from the first byte (for retries and redirects); false when not possible.
  virtual bool rewind() = 0;
};

/// Progress of one transfer attempt, reported to HttpRequest::on_progress.
/// Reported only when one of the values changed since the last report.
struct TransferProgress {
  std::uint64_t uploaded = 0;                   ///< Request body bytes sent so far.
  std::optional<std::uint64_t> upload_total{};    ///< Request body size when known.
  std::uint64_t downloaded = 0;                 ///< Response body bytes received so far.
  std::optional<std::uint64_t> download_total{};  ///< Response body size when the server declared it.

  /// True when every value equals `other`'s.
  bool operator==(TransferProgress const& other) const noexcept {
    return uploaded == other.uploaded && upload_total == other.upload_total && downloaded == other.downloaded &&
           download_total == other.download_total;
  }
  /// True when any value differs from `other`'s.
  bool operator!=(TransferProgress const& other) const noexcept { return !(*this == other); }
};

/// Time limits for one attempt. Unset means no limit of that kind.
struct TransferLimits {
  std::optional<std::chrono::milliseconds> total{};    ///< Whole attempt, from start to last body byte.
  std::optional<std::chrono::milliseconds> connect{};  ///< DNS, TCP and TLS handshake.
  std::optional<std::chrono::milliseconds> read{};     ///< Longest silence while waiting for response bytes.
  std::optional<std::chrono::milliseconds> write{};    ///< Longest stall while sending the request body.
  /// When false, `total` only bounds the wait for the response headers and a streamed body is
  /// governed by `read` alone (so a long server-sent-event stream is not cut off mid-answer).
  bool total_includes_body = true;
  /// The end of the whole call across all its attempts (the client's `deadline`): it bounds
  /// everything, a streamed body included, and fires as TimeoutKind::deadline.
  std::optional<std::chrono::steady_clock::time_point> deadline{};
};

/// One HTTP request. A transport performs exactly one exchange: it does not follow redirects
/// (the client decides that, see "Redirects" in the README).
struct HttpRequest {
  std::string method = "GET";  ///< Upper-case HTTP method.
  std::string url{};             ///< Absolute URL including the query string.
  Headers headers{};             ///< Headers to send exactly as given.
  std::string body{};            ///< In-memory body; ignored when `body_source` is set.
  std::shared_ptr<BodySource> body_source{};  ///< Streamed body, pulled while sending.
  TransferLimits limits{};       ///< Time limits for this attempt.
  /// May the transport send the request again by itself (libcurl does so once when a reused
  /// connection turns out dead before any response byte)? False for operations that are not
  /// idempotent: the first copy may have reached the server.
  bool allow_resend = true;
  /// Most bytes of response header lines accepted (all blocks together); more fails the attempt
  /// with APIResponseTooLargeError.
  std::size_t max_header_bytes = 256 * 1024;
  /// Called as bytes move; return false to abort the transfer (raises APIUserAbortError).
  std::function<bool(TransferProgress const&)> on_progress{};
};

}  // namespace smarter::http

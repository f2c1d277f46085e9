// The retry policy as pure functions: backoff, Retry-After parsing and the retry decision.
// Every input (time, randomness) is a parameter so the whole table is testable without sleeping.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <smarter/export.hpp>
#include <smarter/http/headers.hpp>

namespace smarter::detail {

/// Numbers that shape retries.
struct RetryPolicy {
  int max_retries = 2;           ///< Retries after the first attempt.
  double initial_delay = 0.5;    ///< Backoff before the first retry, seconds.
  double max_delay = 8.0;        ///< Longest backoff, seconds.
  double max_retry_after = 60.0; ///< Longest server-requested wait honoured, seconds.
};

/// Backoff before retry number `retries_taken + 1`: min(initial * 2^n, max) * (1 - 0.25 * random01),
/// so the jitter factor lies in (0.75, 1]. `random01` is uniform in [0, 1).
SMARTER_API double backoff_delay(int retries_taken, RetryPolicy const& policy, double random01) noexcept;

/// Parses an HTTP date (IMF-fixdate "Fri, 29 Sep 2023 16:26:57 GMT", RFC 850 or asctime form).
SMARTER_API std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text);

/// The wait a response asks for, in seconds: `retry-after-ms`, else `Retry-After` as seconds
/// (decimals allowed) or as an HTTP date relative to `now`. Nullopt when absent or unparseable
/// (including inf and nan). The value may be zero or negative.
SMARTER_API std::optional<double> parse_retry_after(http::Headers const& headers,
                                                    std::chrono::system_clock::time_point now);

/// What to do after a failed attempt.
struct RetryDecision {
  bool retry = false;                ///< Try again.
  double delay = 0.0;                ///< Seconds to wait first (when retrying).
  std::optional<double> retry_after; ///< Server-requested wait, when it sent a usable one.
  bool retry_after_too_long = false; ///< The server asked for more than the cap: fail at once.
  std::string reason;                ///< Why, for the log.
};

/// The decision for an HTTP error status. `retries_taken` counts retries already made.
/// Retried: `x-should-retry: true`, or 408, 409, 429, >= 500 unless `x-should-retry: false`.
/// An operation that is not idempotent is retried only when the server says `x-should-retry:
/// true`: it answered, so it received the request and may have acted on it.
/// A Retry-After in (0, cap] is waited exactly; above the cap the error surfaces at once;
/// zero, negative or unparseable values fall back to backoff.
SMARTER_API RetryDecision decide_status_retry(int status, http::Headers const& headers, int retries_taken,
                                              RetryPolicy const& policy,
                                              std::chrono::system_clock::time_point now, double random01,
                                              bool idempotent = true);

/// The decision for a connection failure or timeout (no complete HTTP response): retried with
/// backoff. An operation that is not idempotent is retried only when `request_sent` is false
/// (the request provably never reached the server: resolve, connect or TLS handshake failed).
SMARTER_API RetryDecision decide_connection_retry(int retries_taken, RetryPolicy const& policy, double random01,
                                                  bool idempotent = true, bool request_sent = true);

}  // namespace smarter::detail

// Client-wide and per-call options.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <smarter/export.hpp>
#include <smarter/http/curl_transport.hpp>
#include <smarter/http/request.hpp>
#include <smarter/http/transport.hpp>
#include <smarter/logging.hpp>

namespace smarter {

/// Time limits in seconds. A bare number sets the total limit of one attempt:
/// `Timeout(60.0).with_read(5.0).with_write(10.0).with_connect(2.0)`.
struct SMARTER_API Timeout {
  std::optional<double> total{};    ///< Whole attempt: connect, send, and receive the full response.
  std::optional<double> connect{};  ///< DNS, TCP and TLS handshake.
  std::optional<double> read{};     ///< Longest silence while receiving (also between streamed events).
  std::optional<double> write{};    ///< Longest stall while sending the request body.

  /// No limits at all.
  Timeout() = default;
  /// A total limit of `total_seconds` per attempt.
  Timeout(double total_seconds) : total(total_seconds) {}  // NOLINT(google-explicit-constructor): `.timeout = 30.0` reads well

  /// No limits at all (wait forever).
  static Timeout none() { return Timeout(); }
  /// A copy with the connect limit set.
  Timeout with_connect(double seconds) const { Timeout t = *this; t.connect = seconds; return t; }
  /// A copy with the read (idle) limit set.
  Timeout with_read(double seconds) const { Timeout t = *this; t.read = seconds; return t; }
  /// A copy with the write (stall) limit set.
  Timeout with_write(double seconds) const { Timeout t = *this; t.write = seconds; return t; }
  /// A copy with the total limit set.
  Timeout with_total(double seconds) const { Timeout t = *this; t.total = seconds; return t; }
};

/// Header changes: a value sets the header, nullopt removes it (even a built-in one).
using HeaderOverrides = std::vector<std::pair<std::string, std::optional<std::string>>>;
/// Query changes: a value sets the parameter, nullopt removes it.
using QueryOverrides = std::vector<std::pair<std::string, std::optional<std::string>>>;

/// How the API key is presented in the Authorization header.
enum class AuthScheme {
  token,   ///< `Authorization: Token <key>`, the Smarter platform's scheme (default).
  bearer,  ///< `Authorization: Bearer <key>`, for OpenAI-compatible servers.
};

/// Which generation of the Smarter platform API to speak (paths and kind names differ).
enum class PlatformGeneration {
  automatic,  ///< Find out once per client from the server, then remember (default).
  v0_13,      ///< `cli/chat/`, `example_manifest/`, `schema/`, kind `Chatbot`.
  v0_14,      ///< `cli/prompt/`, `example-manifest/`, `json-schema/`, kind `LLMClient`.
};

/// Retry tuning beyond the attempt count. Unset fields keep their defaults.
struct RetrySettings {
  std::optional<double> initial_delay{};    ///< First backoff, seconds (default 0.5).
  std::optional<double> max_delay{};        ///< Longest backoff, seconds (default 8).
  std::optional<double> max_retry_after{};  ///< Longest Retry-After honoured, seconds (default 60); above it the error surfaces at once.
};

/// Bounds on what a server may send back (see "Limits and safety" in the README). Unset fields
/// keep their defaults; each bound refuses the response with a typed error, never a crash.
struct ResponseLimits {
  std::optional<std::size_t> max_json_depth{};       ///< Deepest JSON nesting accepted; default 512.
  std::optional<std::size_t> max_header_bytes{};     ///< All response header lines together; default 256 KiB.
  std::optional<std::size_t> max_sse_line_bytes{};   ///< One server-sent-event line; default 1 MiB.
  std::optional<std::size_t> max_sse_event_bytes{};  ///< The data of one server-sent event; default 16 MiB.
};

/// Options of a Smarter client. Unset fields come from the environment, then the defaults.
struct SMARTER_API ClientOptions {
  std::optional<std::string> api_key{};      ///< Defaults to SMARTER_API_KEY; an explicit "" sends no key at all.
  std::optional<std::string> base_url{};     ///< Defaults to `environment`'s host, then SMARTER_BASE_URL, then SMARTER_ENVIRONMENT's host.
  std::optional<std::string> environment{};  ///< prod, alpha, beta or next; defaults to SMARTER_ENVIRONMENT, then prod.
  std::optional<Timeout> timeout{};          ///< Per-attempt limits; default 60 s total.
  std::optional<int> max_retries{};          ///< Retries after the first attempt; default 2.
  HeaderOverrides default_headers{};         ///< Headers for every request (beat built-ins, lose to per-call).
  QueryOverrides default_query{};            ///< Query parameters for every request.
  std::shared_ptr<http::Transport> http_client{};       ///< Transport to use; default is a CurlTransport.
  std::optional<http::HttpClientOptions> http_options{};  ///< Settings for the default transport.
  std::optional<AuthScheme> auth_scheme{};   ///< Token (default) or Bearer.
  RetrySettings retry{};                     ///< Backoff and Retry-After tuning.
  std::optional<double> deadline{};          ///< Overall limit for one call across all its attempts, seconds.
  std::optional<LogLevel> log_level{};       ///< Defaults to SMARTER_LOG, then off.
  LogHandler log_handler{};                  ///< Defaults to stderr.
  std::optional<PlatformGeneration> platform{};  ///< Platform API generation; default automatic.
  std::optional<std::string> client_uid{};   ///< Client id sent as `uid` when prompting; default: a stable id for this machine.
  std::optional<std::string> idempotency_header{};  ///< Header carrying the idempotency key; "" disables; default "Idempotency-Key".
  /// Largest response body read into memory, after decompression; default 64 MiB. Streams and
  /// downloads to a file or sink are not limited by it.
  std::optional<std::size_t> max_response_bytes{};
  ResponseLimits limits{};                   ///< Other bounds on responses.
  /// Follow redirects (default true) under the policy in the README: http and https only, never
  /// from https to http, credentials and caller headers dropped when the origin changes.
  std::optional<bool> follow_redirects{};
  std::optional<int> max_redirects{};        ///< Redirects followed per attempt before failing; default 10.
};

/// Options for one call; they win over the client's.
struct SMARTER_API RequestOptions {
  std::optional<Timeout> timeout{};        ///< Per-attempt limits for this call.
  std::optional<int> max_retries{};        ///< Retries for this call.
  HeaderOverrides extra_headers{};         ///< Headers to add, replace or (nullopt) remove.
  QueryOverrides extra_query{};            ///< Query parameters to add, replace or remove.
  nlohmann::json extra_body{};             ///< Object merged over the JSON body (its values win; null is sent as null).
  std::optional<std::string> idempotency_key{};  ///< Key for non-GET calls; generated when unset.
  std::optional<double> deadline{};        ///< Overall limit across attempts for this call, seconds.
  /// Progress of each attempt; return false to abort (APIUserAbortError).
  std::function<bool(http::TransferProgress const&)> on_progress{};
  std::optional<std::size_t> max_response_bytes{};  ///< Largest body read into memory for this call.
  std::optional<bool> follow_redirects{};  ///< Follow redirects for this call (see ClientOptions).
  /// Declares this call safe (true) or unsafe (false) to send twice, overriding what the
  /// operation declares; decides which failures are retried (see "Retries" in the README).
  std::optional<bool> idempotent{};
};

}  // namespace smarter

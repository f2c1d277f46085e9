// The shared request machinery behind every resource. Not part of the public API: resource
// classes and page templates use it, application code should call Smarter's methods instead.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <smarter/export.hpp>
#include <smarter/http/transport.hpp>
#include <smarter/logging.hpp>
#include <smarter/detail/response_context.hpp>
#include <smarter/options.hpp>
#include <smarter/raw_response.hpp>

namespace smarter::detail {

/// Whether an operation may be sent twice (see "Retries" in the README).
enum class Idempotency {
  by_method,      ///< GET, HEAD, OPTIONS, PUT and DELETE are; POST and PATCH only with a caller-given key.
  idempotent,     ///< Safe to repeat (reads, and writes that converge).
  not_idempotent, ///< Changes state or spends tokens each time: sent again only when it provably never arrived.
  with_key,       ///< Safe to repeat when an idempotency key is sent with it (OpenAI-shaped creates).
};

/// One logical API call as a resource describes it: a verb, a path, parameters and a body.
struct RequestSpec {
  std::string method = "GET";  ///< HTTP method.
  std::string path;            ///< Relative to the base URL (leading '/' optional), or an absolute URL.
  std::vector<std::pair<std::string, std::string>> query;  ///< Query parameters (appended in order).
  std::optional<nlohmann::json> json_body;  ///< JSON body; unset sends no body at all.
  /// A JSON body the caller keeps alive for the call (used instead of copying it into json_body).
  nlohmann::json const* json_body_ref = nullptr;
  std::shared_ptr<http::BodySource> body_source;  ///< Streamed body (multipart uploads, raw bytes).
  std::string content_type;    ///< Content-Type for `body_source`.
  http::Headers headers;       ///< Endpoint-specific headers (lose to client and per-call headers).
  RequestOptions options;      ///< The caller's per-call options.
  bool stream = false;         ///< Leave the body unread on success (server-sent events, downloads).
  Idempotency idempotency = Idempotency::by_method;  ///< What the operation promises about repeats.
};

/// A successful response whose body has not been read yet.
struct StreamedResponse {
  int status_code = 0;                      ///< HTTP status (2xx).
  http::Headers headers;                    ///< Response headers.
  std::unique_ptr<http::ResponseBody> body; ///< The body, to be pulled.
  std::string method;                       ///< Request method.
  std::string url;                          ///< Request URL.
  int retries_taken = 0;                    ///< Retries before this response.
  std::shared_ptr<ResponseContext const> context;  ///< Limits and secrets of the client.
  std::size_t max_sse_line_bytes = 1 << 20;   ///< Longest server-sent-event line accepted.
  std::size_t max_sse_event_bytes = 16 << 20; ///< Most data bytes in one server-sent event.
  /// Longest wait for the next complete line of the stream (the read limit), when limited.
  std::optional<std::chrono::milliseconds> line_idle_limit;
  /// The `x-request-id` header, or nullopt.
  std::optional<std::string> request_id() const { return headers.get("x-request-id"); }
  /// This response as a RawResponse whose body is `text` (e.g. one event's data) and status
  /// `status` (default: the stream's own), for the errors raised while reading it.
  SMARTER_API RawResponse as_raw(std::string text, std::optional<int> status = std::nullopt) const;
};

/// Fully resolved client configuration (environment and defaults applied).
struct ResolvedConfig {
  std::string api_key;
  std::string base_url;  ///< Always ends with exactly one '/'.
  Timeout timeout;
  int max_retries = 2;
  HeaderOverrides default_headers;
  QueryOverrides default_query;
  AuthScheme auth_scheme = AuthScheme::token;
  double initial_retry_delay = 0.5;
  double max_retry_delay = 8.0;
  double max_retry_after = 60.0;
  std::optional<double> deadline;
  LogLevel log_level = LogLevel::off;
  LogHandler log_handler;
  PlatformGeneration platform = PlatformGeneration::automatic;
  std::string client_uid;
  std::string idempotency_header = "Idempotency-Key";
  std::size_t max_response_bytes = 64 << 20;
  std::size_t max_json_depth = 512;
  bool follow_redirects = true;
  int max_redirects = 10;
  std::size_t max_header_bytes = 256 << 10;
  std::size_t max_sse_line_bytes = 1 << 20;
  std::size_t max_sse_event_bytes = 16 << 20;
};

/// Per-client state shared by a client and the copies made with with_options.
struct SharedState {
  /// Detected platform generation: 0 unknown, 13 or 14.
  std::atomic<int> detected_generation{0};
};

/// Builds requests, runs the retry loop, maps errors. Immutable after construction; thread-safe.
class SMARTER_API ClientCore {
 public:
  /// Resolves `options` against the environment and defaults.
  explicit ClientCore(ClientOptions const& options);
  /// A copy of `base` with `overrides` applied; transport and shared state are kept.
  ClientCore(ClientCore const& base, ClientOptions const& overrides);

  /// Performs `spec` with retries and reads the whole body. Throws the typed errors.
  RawResponse execute(RequestSpec const& spec) const;
  /// Performs `spec` with retries; returns once a 2xx status and headers arrived.
  StreamedResponse execute_streamed(RequestSpec const& spec) const;

  /// The resolved configuration.
  ResolvedConfig const& config() const noexcept { return config_; }
  /// The transport every attempt goes through.
  std::shared_ptr<http::Transport> const& transport() const noexcept { return transport_; }
  /// State shared with with_options copies.
  SharedState& shared_state() const noexcept { return *shared_; }
  /// Writes a log line when `level` is enabled (secrets redacted).
  void log(LogLevel level, std::string const& line) const;
  /// True when `level` would be logged.
  bool log_enabled(LogLevel level) const noexcept;
  /// The limits and secrets every response and error of this client carries.
  std::shared_ptr<ResponseContext const> const& context() const noexcept { return context_; }

 private:
  void finish_configuration();

  ResolvedConfig config_;
  std::shared_ptr<ResponseContext const> context_;
  std::shared_ptr<http::Transport> transport_;
  std::shared_ptr<SharedState> shared_;
};

}  // namespace smarter::detail

#include <smarter/detail/client_core.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <thread>

#include <fmt/format.h>

#include <smarter/detail/decode.hpp>
#include <smarter/detail/retry.hpp>
#include <smarter/errors.hpp>
#include <smarter/http/curl_transport.hpp>

#include "request_building.hpp"
#include "text_util.hpp"

namespace smarter::detail {

namespace {

using Clock = std::chrono::steady_clock;

constexpr char kRetryCountHeader[] = "x-smarter-retry-count";
constexpr std::size_t kMaxErrorBody = 1 << 20;  // error bodies are read whole, up to 1 MiB
constexpr std::size_t kLoggedBody = 1000;

double random_unit() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

// Limits and delays above this many seconds (about 31 years) mean "no limit": beyond it the
// clock arithmetic would overflow, and no caller means a wait that long.
constexpr double kNoLimitAbove = 1e9;

/// A time limit as the caller gave it: infinity and absurdly large values mean no limit; NaN and
/// negative values are refused before any request is made.
std::optional<double> checked_seconds(std::optional<double> value, char const* what) {
  if (!value) return std::nullopt;
  if (std::isnan(*value) || *value < 0) {
    throw SmarterError(fmt::format("{} must be a number of seconds >= 0 (got {})", what, *value));
  }
  if (*value > kNoLimitAbove) return std::nullopt;
  return value;
}

/// A delay setting (backoff, Retry-After cap): validated like a limit, "no limit" clamped to the
/// longest wait the clock can represent safely.
double checked_delay(std::optional<double> value, double fallback, char const* what) {
  return checked_seconds(value, what).value_or(value ? kNoLimitAbove : fallback);
}

Timeout checked_timeout(Timeout timeout) {
  timeout.total = checked_seconds(timeout.total, "timeout.total");
  timeout.connect = checked_seconds(timeout.connect, "timeout.connect");
  timeout.read = checked_seconds(timeout.read, "timeout.read");
  timeout.write = checked_seconds(timeout.write, "timeout.write");
  return timeout;
}

std::size_t checked_size(std::optional<std::size_t> value, std::size_t fallback, char const* what) {
  if (!value) return fallback;
  if (*value == 0) throw SmarterError(fmt::format("{} must be at least 1", what));
  return *value;
}

void apply_limits(ResolvedConfig& config, ResponseLimits const& limits) {
  config.max_json_depth = checked_size(limits.max_json_depth, config.max_json_depth, "limits.max_json_depth");
  config.max_header_bytes = checked_size(limits.max_header_bytes, config.max_header_bytes, "limits.max_header_bytes");
  config.max_sse_line_bytes =
      checked_size(limits.max_sse_line_bytes, config.max_sse_line_bytes, "limits.max_sse_line_bytes");
  config.max_sse_event_bytes =
      checked_size(limits.max_sse_event_bytes, config.max_sse_event_bytes, "limits.max_sse_event_bytes");
}

std::optional<std::chrono::milliseconds> to_millis(std::optional<double> seconds) {
  if (!seconds) return std::nullopt;
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::ceil(std::max(0.0, *seconds) * 1000.0)));
}

std::shared_ptr<http::Transport> make_default_transport(std::optional<http::HttpClientOptions> const& options) {
  return std::make_shared<http::CurlTransport>(options.value_or(http::HttpClientOptions{}));
}

bool is_retryable_transport_failure(APIConnectionError const& error) {
  // Certificate and configuration problems will fail the same way again.
  switch (error.curl_code()) {
    case 1: case 3: case 4: case 43: case 48: case 58: case 60: case 65: case 77:
      return false;
    default:
      return true;
  }
}

std::string format_headers(http::Headers const& headers, std::string_view api_key) {
  std::string out;
  for (auto const& [name, value] : headers) {
    bool secret = http::header_name_equals(name, "authorization") || http::header_name_equals(name, "api-key") ||
                  http::header_name_equals(name, "x-api-key") || http::header_name_equals(name, "cookie");
    out += fmt::format(" {}: {};", name, secret ? "<redacted>" : redact(value, api_key));
  }
  return out;
}

}  // namespace

// ---------------------------------------------------------------- configuration

ClientCore::ClientCore(ClientOptions const& options) : shared_(std::make_shared<SharedState>()) {
  std::optional<std::string> api_key = options.api_key;
  if (api_key && trim(*api_key).empty()) api_key.reset();
  if (!api_key) api_key = env_value("SMARTER_API_KEY");
  if (!api_key) {
    throw SmarterError(
        "The api_key client option must be set either by passing api_key to the client or by setting the "
        "SMARTER_API_KEY environment variable");
  }
  config_.api_key = std::string(trim(*api_key));

  if (options.base_url && !trim(*options.base_url).empty()) {
    config_.base_url = normalize_base_url(*options.base_url);
  } else if (auto env_url = env_value("SMARTER_BASE_URL")) {
    config_.base_url = normalize_base_url(*env_url);
  } else if (options.environment && !trim(*options.environment).empty()) {
    config_.base_url = base_url_for_environment(*options.environment);
  } else if (auto env_name = env_value("SMARTER_ENVIRONMENT")) {
    config_.base_url = base_url_for_environment(*env_name);
  } else {
    config_.base_url = base_url_for_environment("prod");
  }

  config_.timeout = checked_timeout(options.timeout.value_or(Timeout(60.0)));
  config_.max_retries = options.max_retries.value_or(2);
  if (config_.max_retries < 0) throw SmarterError("max_retries must be 0 or more (0 disables retries)");
  config_.default_headers = options.default_headers;
  config_.default_query = options.default_query;
  config_.auth_scheme = options.auth_scheme.value_or(AuthScheme::token);
  config_.initial_retry_delay = checked_delay(options.retry.initial_delay, 0.5, "retry.initial_delay");
  config_.max_retry_delay = checked_delay(options.retry.max_delay, 8.0, "retry.max_delay");
  config_.max_retry_after = checked_delay(options.retry.max_retry_after, 60.0, "retry.max_retry_after");
  config_.deadline = checked_seconds(options.deadline, "deadline");
  config_.max_response_bytes = checked_size(options.max_response_bytes, config_.max_response_bytes, "max_response_bytes");
  apply_limits(config_, options.limits);
  if (options.log_level) {
    config_.log_level = *options.log_level;
  } else if (auto env_log = env_value("SMARTER_LOG")) {
    config_.log_level = parse_log_level(*env_log).value_or(LogLevel::off);
  }
  config_.log_handler = options.log_handler ? options.log_handler : default_log_handler();
  config_.platform = options.platform.value_or(PlatformGeneration::automatic);
  config_.client_uid = options.client_uid.value_or(machine_client_id());
  config_.idempotency_header = options.idempotency_header.value_or("Idempotency-Key");

  transport_ = options.http_client ? options.http_client : make_default_transport(options.http_options);
}

ClientCore::ClientCore(ClientCore const& base, ClientOptions const& overrides)
    : config_(base.config_), transport_(base.transport_), shared_(base.shared_) {
  if (overrides.api_key && !trim(*overrides.api_key).empty()) config_.api_key = std::string(trim(*overrides.api_key));
  bool new_server = false;
  if (overrides.base_url && !trim(*overrides.base_url).empty()) {
    config_.base_url = normalize_base_url(*overrides.base_url);
    new_server = true;
  } else if (overrides.environment && !trim(*overrides.environment).empty()) {
    config_.base_url = base_url_for_environment(*overrides.environment);
    new_server = true;
  }
  if (overrides.timeout) config_.timeout = checked_timeout(*overrides.timeout);
  if (overrides.max_retries) {
    if (*overrides.max_retries < 0) throw SmarterError("max_retries must be 0 or more (0 disables retries)");
    config_.max_retries = *overrides.max_retries;
  }
  merge_overrides(config_.default_headers, overrides.default_headers, /*case_insensitive=*/true);
  merge_overrides(config_.default_query, overrides.default_query, /*case_insensitive=*/false);
  if (overrides.http_client) {
    transport_ = overrides.http_client;
  } else if (overrides.http_options) {
    transport_ = make_default_transport(overrides.http_options);
  }
  if (overrides.auth_scheme) config_.auth_scheme = *overrides.auth_scheme;
  if (overrides.retry.initial_delay) {
    config_.initial_retry_delay = checked_delay(overrides.retry.initial_delay, 0.5, "retry.initial_delay");
  }
  if (overrides.retry.max_delay) config_.max_retry_delay = checked_delay(overrides.retry.max_delay, 8.0, "retry.max_delay");
  if (overrides.retry.max_retry_after) {
    config_.max_retry_after = checked_delay(overrides.retry.max_retry_after, 60.0, "retry.max_retry_after");
  }
  if (overrides.deadline) config_.deadline = checked_seconds(overrides.deadline, "deadline");
  config_.max_response_bytes =
      checked_size(overrides.max_response_bytes, config_.max_response_bytes, "max_response_bytes");
  apply_limits(config_, overrides.limits);
  if (overrides.log_level) config_.log_level = *overrides.log_level;
  if (overrides.log_handler) config_.log_handler = overrides.log_handler;
  if (overrides.platform) {
    config_.platform = *overrides.platform;
    new_server = true;
  }
  if (overrides.client_uid) config_.client_uid = *overrides.client_uid;
  if (overrides.idempotency_header) config_.idempotency_header = *overrides.idempotency_header;
  // A different server may speak a different platform generation: detect it afresh.
  if (new_server) shared_ = std::make_shared<SharedState>();
}

bool ClientCore::log_enabled(LogLevel level) const noexcept {
  return level != LogLevel::off && static_cast<int>(level) <= static_cast<int>(config_.log_level);
}

void ClientCore::log(LogLevel level, std::string const& line) const {
  if (!log_enabled(level)) return;
  config_.log_handler(level, redact(line, config_.api_key));
}

// ---------------------------------------------------------------- the retry loop

namespace {

/// Everything one logical call needs across its attempts.
struct CallPlan {
  std::string method;
  std::string url;
  std::string body;
  std::shared_ptr<http::BodySource> body_source;
  http::Headers headers;  // without the per-attempt retry count
  bool set_retry_count = true;
  Timeout timeout;
  RetryPolicy policy;
  std::optional<Clock::time_point> deadline;
  std::optional<double> deadline_seconds;
  std::function<bool(http::TransferProgress const&)> on_progress;
  bool stream = false;
  std::size_t max_response_bytes = 0;
};

/// The JSON text of a request body. Text the caller gave that is not UTF-8 cannot be sent as
/// JSON; say so instead of letting the JSON library's exception escape.
std::string encode_body(nlohmann::json const& body) {
  try {
    return body.dump();
  } catch (nlohmann::json::type_error const& e) {
    throw SmarterError(fmt::format("The request body is not valid UTF-8 ({}); strings must be UTF-8 text",
                                   e.what()));
  }
}

CallPlan plan_call(ResolvedConfig const& config, RequestSpec const& spec) {
  CallPlan plan;
  RequestOptions const& options = spec.options;
  plan.method = spec.method;
  for (char& c : plan.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  plan.url = append_query(join_url(config.base_url, spec.path),
                          merge_query(spec.query, config.default_query, options.extra_query));

  http::Headers& headers = plan.headers;
  headers.set("Accept", "application/json");
  headers.set("User-Agent", user_agent());
  headers.set("Authorization",
              (config.auth_scheme == AuthScheme::bearer ? "Bearer " : "Token ") + config.api_key);
  if (options.extra_body.is_object() && !options.extra_body.empty()) {
    nlohmann::json body = spec.json_body ? *spec.json_body : nlohmann::json::object();
    merge_extra(body, options.extra_body);
    plan.body = encode_body(body);
    headers.set("Content-Type", "application/json");
  } else if (spec.json_body) {
    plan.body = encode_body(*spec.json_body);
    headers.set("Content-Type", "application/json");
  } else if (spec.body_source) {
    plan.body_source = spec.body_source;
    if (!spec.content_type.empty()) headers.set("Content-Type", spec.content_type);
  }
  if (plan.method != "GET" && plan.method != "HEAD" && !config.idempotency_header.empty()) {
    // One key per logical call, reused by every retry, so the server can drop duplicates.
    headers.set(config.idempotency_header, options.idempotency_key.value_or("smarter-cpp-retry-" + uuid4()));
  }
  for (auto const& [name, value] : spec.headers) headers.set(name, value);
  apply_header_overrides(headers, config.default_headers);
  apply_header_overrides(headers, options.extra_headers);
  // A caller-given (or removed) retry count wins over ours.
  for (auto const* overrides : {&config.default_headers, &options.extra_headers}) {
    for (auto const& entry : *overrides) {
      if (http::header_name_equals(entry.first, kRetryCountHeader)) plan.set_retry_count = false;
    }
  }

  plan.timeout = options.timeout ? checked_timeout(*options.timeout) : config.timeout;
  plan.policy.max_retries = options.max_retries.value_or(config.max_retries);
  if (plan.policy.max_retries < 0) throw SmarterError("max_retries must be 0 or more (0 disables retries)");
  plan.policy.initial_delay = config.initial_retry_delay;
  plan.policy.max_delay = config.max_retry_delay;
  plan.policy.max_retry_after = config.max_retry_after;
  plan.deadline_seconds = options.deadline ? checked_seconds(options.deadline, "deadline") : config.deadline;
  if (plan.deadline_seconds) {
    plan.deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                       std::chrono::duration<double>(*plan.deadline_seconds));
  }
  plan.on_progress = options.on_progress;
  plan.stream = spec.stream;
  plan.max_response_bytes = checked_size(options.max_response_bytes, config.max_response_bytes, "max_response_bytes");
  return plan;
}

http::Request attempt_request(ResolvedConfig const& config, CallPlan const& plan, int retries_taken,
                              bool& limited_by_deadline) {
  http::Request request;
  request.method = plan.method;
  request.url = plan.url;
  request.headers = plan.headers;
  if (plan.set_retry_count) request.headers.set(kRetryCountHeader, std::to_string(retries_taken));
  request.body = plan.body;
  request.body_source = plan.body_source;
  request.on_progress = plan.on_progress;
  request.max_header_bytes = config.max_header_bytes;
  request.limits.total = to_millis(plan.timeout.total);
  request.limits.connect = to_millis(plan.timeout.connect);
  request.limits.read = to_millis(plan.timeout.read);
  request.limits.write = to_millis(plan.timeout.write);
  if (plan.stream) {
    // A stream may legitimately run longer than the total limit; silence is what must be bounded.
    request.limits.total_includes_body = false;
    if (!request.limits.read) request.limits.read = request.limits.total;
  }
  limited_by_deadline = false;
  if (plan.deadline) {
    auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(*plan.deadline - Clock::now());
    if (!request.limits.total || remaining < *request.limits.total) {
      request.limits.total = std::max(remaining, std::chrono::milliseconds(1));
      request.limits.total_includes_body = true;
      limited_by_deadline = true;
    }
  }
  return request;
}

RawResponse to_raw(ResolvedConfig const& config, http::Response& response, CallPlan const& plan, std::string body,
                   int retries_taken, Clock::time_point started) {
  RawResponse raw;
  raw.status_code = response.status_code;
  raw.headers = std::move(response.headers);
  raw.body = std::move(body);
  raw.method = plan.method;
  raw.url = response.url.empty() ? plan.url : response.url;
  raw.retries_taken = retries_taken;
  raw.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  raw.max_json_depth = config.max_json_depth;
  return raw;
}

/// The Content-Length the server declared, when it is a plain number.
std::optional<std::uint64_t> declared_length(http::Headers const& headers) {
  auto value = headers.get("Content-Length");
  if (!value || value->empty() || value->size() > 19) return std::nullopt;
  std::uint64_t n = 0;
  for (char c : *value) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return n;
}

/// Reads a whole body into one buffer, refusing more than `limit` bytes (after decompression).
/// Returns false when the body was longer than `limit` (what was read stays in `out`).
bool read_body(http::ResponseBody& body, std::size_t limit, std::optional<std::uint64_t> size_hint,
               std::string& out) {
  constexpr std::size_t kStep = 64 * 1024;
  if (size_hint && *size_hint <= limit) out.reserve(static_cast<std::size_t>(*size_hint));
  for (;;) {
    std::size_t const used = out.size();
    // One byte more than the limit may be read: that is how a body just over it is told apart.
    std::size_t const room = std::min(kStep, limit - used + 1);
    out.resize(used + room);
    std::size_t const n = body.read(out.data() + used, room);
    out.resize(used + n);
    if (n == 0) return true;
    if (out.size() > limit) {
      out.resize(limit);
      return false;
    }
  }
}

/// The body of a 2xx response, read whole within the call's size limit.
std::string read_success_body(http::Response& response, CallPlan const& plan) {
  auto refuse = [&](std::string const& why) {
    response.body->close();
    throw APIResponseTooLargeError(why, plan.method, plan.url, response.status_code, plan.max_response_bytes);
  };
  auto const declared = declared_length(response.headers);
  if (declared && *declared > plan.max_response_bytes) {
    refuse(fmt::format("Response body of {} bytes (Content-Length) exceeds the limit of {} bytes "
                       "(max_response_bytes)", *declared, plan.max_response_bytes));
  }
  std::string body;
  if (!read_body(*response.body, plan.max_response_bytes, declared, body)) {
    refuse(fmt::format("Response body exceeds the limit of {} bytes (max_response_bytes)", plan.max_response_bytes));
  }
  return body;
}

/// The body of an error response: at most kMaxErrorBody bytes are kept, so a huge or broken
/// error body still yields the typed error for its status.
std::string read_error_body(http::Response& response) {
  std::string body;
  bool complete = false;
  try {
    complete = read_body(*response.body, kMaxErrorBody, std::nullopt, body);
  } catch (APIError const&) {
    // The status is what matters; keep what arrived before the connection failed.
  }
  if (!complete) body += "...";
  response.body->close();
  return body;
}

}  // namespace

/// Runs the attempts of one call until `on_success` accepts a 2xx response. Failures while
/// `on_success` reads the response count like any other failure of the attempt.
template <class OnSuccess>
static auto run_with_retries(ClientCore const& core, CallPlan const& plan, OnSuccess on_success)
    -> decltype(on_success(std::declval<http::Response&>(), 0, Clock::now())) {
  ResolvedConfig const& config = core.config();
  auto const started = Clock::now();
  int retries_taken = 0;
  for (;;) {
    if (plan.deadline && Clock::now() >= *plan.deadline) {
      throw APITimeoutError(fmt::format("Request exceeded its deadline of {} s", *plan.deadline_seconds),
                            plan.method, plan.url, TimeoutKind::deadline);
    }
    bool limited_by_deadline = false;
    http::Request request = attempt_request(config, plan, retries_taken, limited_by_deadline);
    if (retries_taken > 0 && plan.body_source && !plan.body_source->rewind()) {
      throw APIConnectionError("Cannot retry: the request body cannot be re-read", plan.method, plan.url);
    }
    auto const attempt_started = Clock::now();
    auto elapsed_ms = [&attempt_started] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - attempt_started).count();
    };
    if (core.log_enabled(LogLevel::debug)) {
      core.log(LogLevel::debug, fmt::format("request {} {} headers:{} body: {}", plan.method, plan.url,
                                            format_headers(request.headers, config.api_key),
                                            plan.body_source ? "<streamed>" : shorten(plan.body, kLoggedBody)));
    }

    RetryDecision decision;
    try {
      http::Response response = core.transport()->send(request);
      core.log(LogLevel::info, fmt::format("{} {} -> {} ({} ms, retry {})", plan.method, plan.url,
                                           response.status_code, elapsed_ms(), retries_taken));
      if (core.log_enabled(LogLevel::debug)) {
        core.log(LogLevel::debug, fmt::format("response headers:{}", format_headers(response.headers, config.api_key)));
      }
      if (response.status_code >= 200 && response.status_code < 300) {
        return on_success(response, retries_taken, started);
      }

      std::string body = read_error_body(response);
      RawResponse raw = to_raw(config, response, plan, std::move(body), retries_taken, started);
      if (core.log_enabled(LogLevel::debug)) {
        core.log(LogLevel::debug, fmt::format("response body: {}", shorten(raw.body, kLoggedBody)));
      }
      decision = decide_status_retry(raw.status_code, raw.headers, retries_taken, plan.policy,
                                     std::chrono::system_clock::now(), random_unit());
      if (decision.retry && reads_as_not_found(raw)) {
        // A missing resource will still be missing; don't retry the platform's 503 "not ready".
        decision.retry = false;
        decision.reason = "the resource does not exist";
      }
      if (!decision.retry) {
        core.log(LogLevel::debug, fmt::format("not retrying: {}", decision.reason));
        throw_status_error(std::move(raw), decision.retry_after);
      }
      if (plan.deadline && Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                              std::chrono::duration<double>(decision.delay)) >= *plan.deadline) {
        core.log(LogLevel::info, "not retrying: the wait would pass the call's deadline");
        throw_status_error(std::move(raw), decision.retry_after);
      }
    } catch (APITimeoutError const& error) {
      core.log(LogLevel::info, fmt::format("{} {} -> {} ({} ms, retry {})", plan.method, plan.url, error.what(),
                                           elapsed_ms(), retries_taken));
      if (limited_by_deadline && error.kind() == TimeoutKind::total) {
        throw APITimeoutError(fmt::format("Request exceeded its deadline of {} s", *plan.deadline_seconds),
                              plan.method, plan.url, TimeoutKind::deadline, error.curl_code(), error.cause());
      }
      decision = decide_connection_retry(retries_taken, plan.policy, random_unit());
      if (!decision.retry) throw;
    } catch (APIConnectionError const& error) {
      core.log(LogLevel::info, fmt::format("{} {} -> {} ({} ms, retry {})", plan.method, plan.url, error.what(),
                                           elapsed_ms(), retries_taken));
      if (!is_retryable_transport_failure(error)) throw;
      decision = decide_connection_retry(retries_taken, plan.policy, random_unit());
      if (!decision.retry) throw;
    }

    if (plan.deadline) {
      auto remaining = std::chrono::duration<double>(*plan.deadline - Clock::now()).count();
      if (decision.delay >= remaining) {
        throw APITimeoutError(fmt::format("Request exceeded its deadline of {} s", *plan.deadline_seconds),
                              plan.method, plan.url, TimeoutKind::deadline);
      }
    }
    core.log(LogLevel::info, fmt::format("retrying {} {} in {:.3f} s ({})", plan.method, plan.url, decision.delay,
                                         decision.reason));
    std::this_thread::sleep_for(std::chrono::duration<double>(std::min(decision.delay, kNoLimitAbove)));
    ++retries_taken;
  }
}

RawResponse ClientCore::execute(RequestSpec const& spec) const {
  CallPlan plan = plan_call(config_, spec);
  RawResponse raw = run_with_retries(*this, plan, [&](http::Response& response, int retries_taken,
                                                       Clock::time_point started) {
    std::string body = read_success_body(response, plan);
    return to_raw(config_, response, plan, std::move(body), retries_taken, started);
  });
  if (log_enabled(LogLevel::debug)) log(LogLevel::debug, fmt::format("response body: {}", shorten(raw.body, kLoggedBody)));
  return raw;
}

StreamedResponse ClientCore::execute_streamed(RequestSpec const& spec) const {
  CallPlan plan = plan_call(config_, spec);
  plan.stream = true;
  return run_with_retries(*this, plan, [&](http::Response& response, int retries_taken, Clock::time_point) {
    StreamedResponse out;
    out.status_code = response.status_code;
    out.headers = std::move(response.headers);
    out.body = std::move(response.body);
    out.method = plan.method;
    out.url = response.url.empty() ? plan.url : response.url;
    out.retries_taken = retries_taken;
    out.max_json_depth = config_.max_json_depth;
    out.max_sse_line_bytes = config_.max_sse_line_bytes;
    out.max_sse_event_bytes = config_.max_sse_event_bytes;
    out.line_idle_limit = to_millis(plan.timeout.read ? plan.timeout.read : plan.timeout.total);
    return out;
  });
}

}  // namespace smarter::detail

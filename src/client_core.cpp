#include <smarter/detail/client_core.hpp>

#include <algorithm>
#include <cmath>
#include <exception>
#include <random>
#include <thread>

#include <fmt/format.h>

#include <smarter/detail/decode.hpp>
#include <smarter/detail/retry.hpp>
#include <smarter/errors.hpp>
#include <smarter/http/curl_transport.hpp>

#include "async/fiber_loop.hpp"
#include "http/header_parser.hpp"
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

std::string format_headers(http::Headers const& headers, ResponseContext const& context) {
  std::string out;
  for (auto const& [name, value] : context.redact_headers(headers, /*credentials=*/true)) {
    out += fmt::format(" {}: {};", name, value);
  }
  return out;
}

/// Refuses header text that would change the request's framing: names must be RFC 9110
/// tokens; values may not hold CR, LF, NUL or other control characters (HTAB aside).
void check_header(std::string const& name, std::string const& value) {
  if (!http::detail::is_token(name)) {
    throw SmarterError("Invalid HTTP header name '" + shorten(name, 60) +
                       "': a name is letters, digits and !#$%&'*+-.^_`|~ only");
  }
  for (unsigned char c : value) {
    if ((c < 0x20 && c != '\t') || c == 0x7F) {
      // The value is not shown: it may be a credential.
      throw SmarterError("Invalid value for HTTP header '" + name +
                         "': it contains a line break or another control character");
    }
  }
}

/// Everything the caller configured that is a secret: the API key and the values of
/// credential-like default headers and query parameters. None of it may show in errors or logs.
std::vector<std::string> configured_secrets(ResolvedConfig const& config) {
  std::vector<std::string> secrets{config.api_key};
  for (auto const& [name, value] : config.default_headers) {
    if (value && is_credential_header(name)) secrets.push_back(*value);
  }
  for (auto const& [name, value] : config.default_query) {
    if (value && is_credential_parameter(name)) {
      secrets.push_back(*value);
      secrets.push_back(percent_encode(*value));  // as it appears in a URL
    }
  }
  return secrets;
}

void check_api_key(std::string const& key) {
  for (unsigned char c : key) {
    if (c < 0x20 || c == 0x7F) {
      throw SmarterError("The API key contains a control character (a line break or NUL?); check how it was read");
    }
  }
}

}  // namespace

// ---------------------------------------------------------------- configuration

ClientCore::ClientCore(ClientOptions const& options) : shared_(std::make_shared<SharedState>()) {
  // An explicit empty key means "no key": no Authorization header is sent (for the platform's
  // unauthenticated calls, e.g. example manifests and schemas). Unset means SMARTER_API_KEY.
  std::optional<std::string> api_key = options.api_key;
  if (!api_key) api_key = env_value("SMARTER_API_KEY");
  if (!api_key) {
    throw SmarterError(
        "The api_key client option must be set either by passing api_key to the client or by setting the "
        "SMARTER_API_KEY environment variable (an explicit empty api_key sends no key)");
  }
  config_.api_key = std::string(trim(*api_key));

  // Explicit options beat the environment: base_url, then environment, then SMARTER_BASE_URL,
  // then SMARTER_ENVIRONMENT.
  if (options.base_url && !trim(*options.base_url).empty()) {
    config_.base_url = normalize_base_url(*options.base_url);
  } else if (options.environment && !trim(*options.environment).empty()) {
    config_.base_url = base_url_for_environment(*options.environment);
  } else if (auto env_url = env_value("SMARTER_BASE_URL")) {
    config_.base_url = normalize_base_url(*env_url);
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
  // The machine id is only worked out when no id was given.
  config_.client_uid = options.client_uid ? *options.client_uid : machine_client_id();
  config_.idempotency_header = options.idempotency_header.value_or("Idempotency-Key");
  config_.follow_redirects = options.follow_redirects.value_or(true);
  config_.max_redirects = options.max_redirects.value_or(10);

  transport_ = options.http_client ? options.http_client : make_default_transport(options.http_options);
  finish_configuration();
}

void ClientCore::finish_configuration() {
  check_api_key(config_.api_key);
  if (config_.max_redirects < 0) throw SmarterError("max_redirects must be 0 or more");
  for (auto const& [name, value] : config_.default_headers) {
    if (value) check_header(name, *value);
  }
  if (!config_.idempotency_header.empty() && !http::detail::is_token(config_.idempotency_header)) {
    throw SmarterError("idempotency_header must be a header name (an RFC 9110 token)");
  }
  context_ = std::make_shared<ResponseContext const>(configured_secrets(config_), config_.max_json_depth);
}

ClientCore::ClientCore(ClientCore const& base, ClientOptions const& overrides)
    : config_(base.config_), transport_(base.transport_), shared_(base.shared_) {
  if (overrides.api_key) config_.api_key = std::string(trim(*overrides.api_key));
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
  if (overrides.follow_redirects) config_.follow_redirects = *overrides.follow_redirects;
  if (overrides.max_redirects) config_.max_redirects = *overrides.max_redirects;
  // A different server may speak a different platform generation: detect it afresh.
  if (new_server) shared_ = std::make_shared<SharedState>();
  finish_configuration();
}

bool ClientCore::log_enabled(LogLevel level) const noexcept {
  return level != LogLevel::off && static_cast<int>(level) <= static_cast<int>(config_.log_level);
}

void ClientCore::log(LogLevel level, std::string const& line) const {
  if (!log_enabled(level)) return;
  config_.log_handler(level, context_->redact(line));
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
  std::vector<std::string> caller_headers;  // names from default_headers/extra_headers
  bool idempotent = true;
  bool follow_redirects = true;
  int max_redirects = 10;
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

bool method_is_idempotent(std::string const& method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS" || method == "PUT" || method == "DELETE";
}

/// Whether this call may be sent twice: the caller's word, else the operation's.
bool resolve_idempotency(RequestSpec const& spec, CallPlan const& plan, std::string const& idempotency_header) {
  if (spec.options.idempotent) return *spec.options.idempotent;
  switch (spec.idempotency) {
    case Idempotency::idempotent: return true;
    case Idempotency::not_idempotent: return false;
    case Idempotency::with_key: return !idempotency_header.empty() && plan.headers.contains(idempotency_header);
    case Idempotency::by_method: break;
  }
  // A POST or PATCH is safe to repeat only when the caller gave it a key the server dedupes on.
  return method_is_idempotent(plan.method) || spec.options.idempotency_key.has_value();
}

CallPlan plan_call(ResolvedConfig const& config, RequestSpec const& spec) {
  CallPlan plan;
  RequestOptions const& options = spec.options;
  plan.method = spec.method;
  for (char& c : plan.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (!http::detail::is_token(plan.method)) {
    throw SmarterError("Invalid HTTP method '" + shorten(spec.method, 40) + "': a method is a single token, e.g. GET");
  }
  plan.url = append_query(join_url(config.base_url, spec.path),
                          merge_query(spec.query, config.default_query, options.extra_query));
  for (unsigned char c : plan.url) {
    if (c <= 0x20 || c == 0x7F) {
      throw SmarterError("Invalid request path: it contains a space or a control character");
    }
  }

  http::Headers& headers = plan.headers;
  headers.set("Accept", "application/json");
  headers.set("User-Agent", user_agent());
  if (!config.api_key.empty()) {
    headers.set("Authorization", (config.auth_scheme == AuthScheme::bearer ? "Bearer " : "Token ") + config.api_key);
  }
  nlohmann::json const* json_body = spec.json_body ? &*spec.json_body : spec.json_body_ref;
  if (options.extra_body.is_object() && !options.extra_body.empty()) {
    nlohmann::json body = json_body != nullptr ? *json_body : nlohmann::json::object();
    merge_extra(body, options.extra_body);
    plan.body = encode_body(body);
    headers.set("Content-Type", "application/json");
  } else if (json_body != nullptr) {
    plan.body = encode_body(*json_body);
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
  for (auto const* overrides : {&config.default_headers, &options.extra_headers}) {
    for (auto const& [name, value] : *overrides) {
      // A caller-given (or removed) retry count wins over ours.
      if (http::header_name_equals(name, kRetryCountHeader)) plan.set_retry_count = false;
      if (value) plan.caller_headers.push_back(name);
    }
  }
  for (auto const& [name, value] : headers) check_header(name, value);

  plan.idempotent = resolve_idempotency(spec, plan, config.idempotency_header);
  plan.follow_redirects = options.follow_redirects.value_or(config.follow_redirects);
  plan.max_redirects = config.max_redirects;
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

/// The request every attempt of the call sends (each attempt only updates its retry count). The
/// plan's body moves into it: it is encoded once and never copied on the way down.
http::HttpRequest call_request(ResolvedConfig const& config, CallPlan& plan) {
  http::HttpRequest request;
  request.method = plan.method;
  request.url = plan.url;
  request.headers = std::move(plan.headers);
  request.body = std::move(plan.body);
  request.body_source = plan.body_source;
  request.on_progress = plan.on_progress;
  request.max_header_bytes = config.max_header_bytes;
  request.allow_resend = plan.idempotent;
  request.limits.total = to_millis(plan.timeout.total);
  request.limits.connect = to_millis(plan.timeout.connect);
  request.limits.read = to_millis(plan.timeout.read);
  request.limits.write = to_millis(plan.timeout.write);
  request.limits.deadline = plan.deadline;
  if (plan.stream) {
    // A stream may legitimately run longer than the total limit; silence is what must be bounded
    // (and the deadline, which bounds every byte).
    request.limits.total_includes_body = false;
    if (!request.limits.read) request.limits.read = request.limits.total;
  }
  return request;
}

RawResponse to_raw(ClientCore const& core, http::HttpResponse& response, CallPlan const& plan, std::string body,
                   int retries_taken, Clock::time_point started) {
  RawResponse raw;
  raw.status_code = response.status_code;
  raw.headers = std::move(response.headers);
  raw.body = std::move(body);
  raw.method = plan.method;
  raw.url = response.url.empty() ? plan.url : response.url;
  raw.retries_taken = retries_taken;
  raw.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  raw.context = core.context();
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
  // The buffer grows by what is expected (the declared length, one byte more to see the end),
  // else geometrically: a small body costs a small buffer, never a 64 KiB one.
  std::size_t step = size_hint && *size_hint < limit ? static_cast<std::size_t>(*size_hint) + 1 : 16 * 1024;
  for (;;) {
    std::size_t const used = out.size();
    // One byte more than the limit may be read: that is how a body just over it is told apart.
    std::size_t const room = std::min(step, limit - used + 1);
    out.resize(used + room);
    std::size_t const n = body.read(out.data() + used, room);
    out.resize(used + n);
    if (n == 0) return true;
    if (out.size() > limit) {
      out.resize(limit);
      return false;
    }
    step = std::min<std::size_t>(std::max<std::size_t>(step, out.size()), 1 << 20);
  }
}

/// The body of a 2xx response, read whole within the call's size limit.
std::string read_success_body(http::HttpResponse& response, CallPlan const& plan) {
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

/// The body of an error response: at most `limit` bytes are kept, so a huge or broken error
/// body still yields the typed error for its status.
std::string read_error_body(http::HttpResponse& response, std::size_t limit = kMaxErrorBody) {
  std::string body;
  bool complete = false;
  try {
    complete = read_body(*response.body, limit, std::nullopt, body);
  } catch (APIError const&) {
    // The status is what matters; keep what arrived before the connection failed.
  }
  if (!complete) body += "...";
  response.body->close();
  return body;
}

/// Headers that must not follow a redirect to another origin: credentials, and everything the
/// caller added (it may hold a key, e.g. default_headers = {{"x-api-key", ...}}).
void drop_origin_bound_headers(http::Headers& headers, CallPlan const& plan) {
  for (char const* name : {"Authorization", "Proxy-Authorization", "Cookie"}) headers.remove(name);
  for (std::string const& name : plan.caller_headers) headers.remove(name);
}

/// One attempt: sends the request and follows redirects under the policy. Returns the final
/// response; a redirect that is refused, or one too many, raises the 3xx as an APIStatusError.
http::HttpResponse send_following_redirects(ClientCore const& core, CallPlan const& plan,
                                            http::HttpRequest const& first, int retries_taken,
                                            Clock::time_point started) {
  std::optional<http::HttpRequest> redirected;  // copied from `first` only when a redirect is followed
  for (int hops = 0;; ++hops) {
    http::HttpRequest const& request = redirected ? *redirected : first;
    http::HttpResponse response = core.transport()->send(request);
    if (!plan.follow_redirects) return response;
    RedirectDecision const redirect =
        decide_redirect(request.method, request.url, response.status_code, response.headers.get("Location"),
                        !request.body.empty() || request.body_source != nullptr);
    if (redirect.action == RedirectDecision::Action::not_a_redirect) return response;
    std::string refusal = redirect.reason;
    if (redirect.action == RedirectDecision::Action::follow && hops >= plan.max_redirects) {
      refusal = fmt::format("more than {} redirects (max_redirects)", plan.max_redirects);
    }
    if (redirect.action == RedirectDecision::Action::follow && redirect.keep_body && request.body_source &&
        refusal.empty() && !request.body_source->rewind()) {
      refusal = "the request body cannot be read again";
    }
    if (!refusal.empty()) {
      std::string body = read_error_body(response, 64 * 1024);
      RawResponse raw = to_raw(core, response, plan, std::move(body), retries_taken, started);
      raw.url = request.url;
      std::string message = describe_error_response(raw) + " (redirect not followed: " + refusal + ")";
      core.log(LogLevel::info, fmt::format("{} {} -> {}: redirect not followed: {}", request.method, request.url,
                                           raw.status_code, refusal));
      throw_status_error(message, std::move(raw));
    }
    // Read a small redirect body to the end so its connection can be reused.
    read_error_body(response, 64 * 1024);
    core.log(LogLevel::info, fmt::format("{} {} -> {}: following to {} {}{}", request.method, request.url,
                                         response.status_code, redirect.method, redirect.url,
                                         redirect.cross_origin ? " (another origin: credentials dropped)" : ""));
    http::HttpRequest next = request;
    if (redirect.cross_origin) drop_origin_bound_headers(next.headers, plan);
    if (!redirect.keep_body) {
      next.body.clear();
      next.body_source.reset();
      next.headers.remove("Content-Type");
    }
    next.method = redirect.method;
    next.url = redirect.url;
    redirected = std::move(next);
  }
}

}  // namespace

/// Runs the attempts of one call until `on_success` accepts a 2xx response. Failures while
/// `on_success` reads the response count like any other failure of the attempt.
template <class OnSuccess>
static auto run_with_retries(ClientCore const& core, CallPlan& plan, OnSuccess on_success)
    -> decltype(on_success(std::declval<http::HttpResponse&>(), 0, Clock::now())) {
  ResolvedConfig const& config = core.config();
  auto const started = Clock::now();
  auto deadline_error = [&] {
    return APITimeoutError(fmt::format("Request exceeded its deadline of {} s", *plan.deadline_seconds),
                           plan.method, plan.url, TimeoutKind::deadline);
  };
  int retries_taken = 0;
  http::HttpRequest request = call_request(config, plan);
  for (;;) {
    if (plan.deadline && Clock::now() >= *plan.deadline) throw deadline_error();
    if (plan.set_retry_count) request.headers.set(kRetryCountHeader, std::to_string(retries_taken));
    if (retries_taken > 0 && plan.body_source && !plan.body_source->rewind()) {
      throw APIConnectionError("Cannot retry: the request body cannot be re-read", plan.method, plan.url);
    }
    auto const attempt_started = Clock::now();
    auto elapsed_ms = [&attempt_started] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - attempt_started).count();
    };
    if (core.log_enabled(LogLevel::debug)) {
      core.log(LogLevel::debug, fmt::format("request {} {} headers:{} body: {}", plan.method,
                                            core.context()->redact_url(plan.url),
                                            format_headers(request.headers, *core.context()),
                                            plan.body_source ? "<streamed>" : shorten(request.body, kLoggedBody)));
    }

    RetryDecision decision;
    try {
      http::HttpResponse response = send_following_redirects(core, plan, request, retries_taken, started);
      if (core.log_enabled(LogLevel::info)) {
        core.log(LogLevel::info, fmt::format("{} {} -> {} ({} ms, retry {})", plan.method,
                                             core.context()->redact_url(plan.url), response.status_code,
                                             elapsed_ms(), retries_taken));
      }
      if (core.log_enabled(LogLevel::debug)) {
        core.log(LogLevel::debug, fmt::format("response headers:{}", format_headers(response.headers, *core.context())));
      }
      if (response.status_code >= 200 && response.status_code < 300) {
        return on_success(response, retries_taken, started);
      }

      std::string body = read_error_body(response);
      RawResponse raw = to_raw(core, response, plan, std::move(body), retries_taken, started);
      if (core.log_enabled(LogLevel::debug)) {
        core.log(LogLevel::debug, fmt::format("response body: {}", shorten(raw.body, kLoggedBody)));
      }
      decision = decide_status_retry(raw.status_code, raw.headers, retries_taken, plan.policy,
                                     std::chrono::system_clock::now(), random_unit(), plan.idempotent);
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
      core.log(LogLevel::info, fmt::format("{} {} -> {} ({} ms, retry {})", plan.method,
                                           core.context()->redact_url(plan.url), error.what(), elapsed_ms(),
                                           retries_taken));
      if (error.kind() == TimeoutKind::deadline) throw deadline_error();
      decision = decide_connection_retry(retries_taken, plan.policy, random_unit(), plan.idempotent,
                                         error.request_sent());
      if (!decision.retry) throw;
    } catch (APIConnectionError const& error) {
      core.log(LogLevel::info, fmt::format("{} {} -> {} ({} ms, retry {})", plan.method,
                                           core.context()->redact_url(plan.url), error.what(), elapsed_ms(),
                                           retries_taken));
      if (!is_retryable_transport_failure(error)) throw;
      decision = decide_connection_retry(retries_taken, plan.policy, random_unit(), plan.idempotent,
                                         error.request_sent());
      if (!decision.retry) throw;
    }

    if (plan.deadline) {
      auto remaining = std::chrono::duration<double>(*plan.deadline - Clock::now()).count();
      if (decision.delay >= remaining) throw deadline_error();
    }
    core.log(LogLevel::info, fmt::format("retrying {} {} in {:.3f} s ({})", plan.method,
                                         core.context()->redact_url(plan.url), decision.delay, decision.reason));
    // Within an asynchronous call the wait parks the call on its loop's timer instead.
    if (!fibers::sleep(std::min(decision.delay, kNoLimitAbove))) {
      std::this_thread::sleep_for(std::chrono::duration<double>(std::min(decision.delay, kNoLimitAbove)));
    }
    ++retries_taken;
  }
}

RawResponse StreamedResponse::as_raw(std::string text, std::optional<int> status) const {
  RawResponse raw;
  raw.status_code = status.value_or(status_code);
  raw.headers = headers;
  raw.body = std::move(text);
  raw.method = method;
  raw.url = url;
  raw.retries_taken = retries_taken;
  raw.context = context;
  return raw;
}

RawResponse ClientCore::execute(RequestSpec const& spec) const {
  CallPlan plan = plan_call(config_, spec);
  try {
    RawResponse raw = run_with_retries(*this, plan, [&](http::HttpResponse& response, int retries_taken,
                                                         Clock::time_point started) {
      std::string body = read_success_body(response, plan);
      return to_raw(*this, response, plan, std::move(body), retries_taken, started);
    });
    if (log_enabled(LogLevel::debug)) {
      log(LogLevel::debug, fmt::format("response body: {}", shorten(raw.body, kLoggedBody)));
    }
    return raw;
  } catch (APIError const&) {
    context_->rethrow_redacted();
  }
}

StreamedResponse ClientCore::execute_streamed(RequestSpec const& spec) const {
  CallPlan plan = plan_call(config_, spec);
  plan.stream = true;
  try {
    return run_with_retries(*this, plan, [&](http::HttpResponse& response, int retries_taken, Clock::time_point) {
      StreamedResponse out;
      out.status_code = response.status_code;
      out.headers = std::move(response.headers);
      out.body = std::move(response.body);
      out.method = plan.method;
      out.url = response.url.empty() ? plan.url : response.url;
      out.retries_taken = retries_taken;
      out.context = context_;
      out.max_sse_line_bytes = config_.max_sse_line_bytes;
      out.max_sse_event_bytes = config_.max_sse_event_bytes;
      out.line_idle_limit = to_millis(plan.timeout.read ? plan.timeout.read : plan.timeout.total);
      return out;
    });
  } catch (APIError const&) {
    context_->rethrow_redacted();
  }
}

}  // namespace smarter::detail

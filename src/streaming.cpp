// Server-sent-event decoding and the OpenAI stream conventions ([DONE], error payloads).
#include <smarter/streaming.hpp>

#include <array>
#include <cctype>
#include <string>
#include <utility>

#include <fmt/format.h>

#include <smarter/detail/response_context.hpp>

#include "json_parse.hpp"
#include "text_util.hpp"

namespace smarter {

APIStreamError::APIStreamError(std::string const& message, std::string method, std::string url,
                               nlohmann::json error, std::optional<std::string> request_id)
    : APIError(message, std::move(method), std::move(url)),
      error_(std::make_shared<nlohmann::json const>(std::move(error))),
      request_id_(std::move(request_id)) {}

namespace {
std::optional<std::string> string_member(nlohmann::json const& object, char const* key) {
  if (!object.is_object()) return std::nullopt;
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}
}  // namespace

std::optional<std::string> APIStreamError::type() const { return string_member(*error_, "type"); }
std::optional<std::string> APIStreamError::code() const { return string_member(*error_, "code"); }

nlohmann::json ServerSentEvent::json(std::size_t max_depth) const {
  detail::JsonParse parsed = detail::parse_json(data, max_depth);
  if (!parsed) throw SmarterError("server-sent event data is not JSON: " + parsed.message);
  return std::move(parsed.value);
}

namespace detail {

// ------------------------------------------------------------------------------ SseDecoder

std::vector<ServerSentEvent> SseDecoder::feed(std::string_view bytes) {
  std::vector<ServerSentEvent> out;
  std::size_t pos = 0;
  if (skip_lf_ && !bytes.empty()) {
    // A CR ended the previous chunk; an LF opening this one completes the same CRLF.
    if (bytes.front() == '\n') pos = 1;
    skip_lf_ = false;
  }
  while (pos < bytes.size()) {
    std::size_t end = bytes.find_first_of("\r\n", pos);
    if (end == std::string_view::npos) {
      append_to_line(bytes.substr(pos));
      break;
    }
    append_to_line(bytes.substr(pos, end - pos));
    ++lines_completed_;
    process_line(line_, out);
    line_.clear();
    pos = end + 1;
    if (bytes[end] == '\r') {
      if (pos < bytes.size()) {
        if (bytes[pos] == '\n') ++pos;
      } else {
        skip_lf_ = true;
      }
    }
  }
  return out;
}

void SseDecoder::append_to_line(std::string_view bytes) {
  if (bytes.size() > max_line_bytes_ - line_.size()) {
    throw LimitExceeded("a server-sent-event line exceeds " + std::to_string(max_line_bytes_) +
                        " bytes (limits.max_sse_line_bytes)");
  }
  line_.append(bytes);
}

std::vector<ServerSentEvent> SseDecoder::finish() {
  std::vector<ServerSentEvent> out;
  if (!line_.empty()) {
    process_line(line_, out);
    line_.clear();
  }
  dispatch(out);
  skip_lf_ = false;
  return out;
}

void SseDecoder::process_line(std::string_view line, std::vector<ServerSentEvent>& out) {
  if (line.empty()) {
    dispatch(out);
    return;
  }
  if (line.front() == ':') return;  // comment (often a keep-alive)
  std::string_view field = line;
  std::string_view value;
  if (auto colon = line.find(':'); colon != std::string_view::npos) {
    field = line.substr(0, colon);
    value = line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  }
  if (field == "event") {
    event_ = std::string(value);
    pending_ = true;
  } else if (field == "data") {
    event_bytes_ += value.size() + 1;
    if (event_bytes_ > max_event_bytes_) {
      throw LimitExceeded("a server-sent event's data exceeds " + std::to_string(max_event_bytes_) +
                          " bytes (limits.max_sse_event_bytes)");
    }
    data_.emplace_back(value);
    pending_ = true;
  } else if (field == "id") {
    // The spec ignores ids containing NUL.
    if (value.find('\0') == std::string_view::npos) {
      last_id_ = std::string(value);
      pending_ = true;
    }
  } else if (field == "retry") {
    bool digits = !value.empty() && value.size() < 18;
    for (char c : value) digits = digits && std::isdigit(static_cast<unsigned char>(c));
    if (digits) {
      retry_ = std::stol(std::string(value));
      pending_ = true;
    }
  }
  // Other fields are ignored, as the spec says.
}

void SseDecoder::dispatch(std::vector<ServerSentEvent>& out) {
  if (!pending_) return;
  ServerSentEvent event;
  event.event = std::move(event_);
  event.data.reserve(event_bytes_);
  for (std::size_t i = 0; i < data_.size(); ++i) {
    if (i) event.data += '\n';
    event.data += data_[i];
  }
  event.id = last_id_;  // the last event id persists across events
  event.retry = retry_;
  out.push_back(std::move(event));
  event_.reset();
  data_.clear();
  retry_.reset();
  pending_ = false;
  event_bytes_ = 0;
}

// ------------------------------------------------------------------------------ EventSource

EventSource::EventSource(StreamedResponse response)
    : response_(std::move(response)),
      decoder_(response_.max_sse_line_bytes, response_.max_sse_event_bytes),
      last_line_at_(std::chrono::steady_clock::now()) {
  if (!response_.body) {
    eof_ = true;
    closed_ = true;
  }
}

EventSource::~EventSource() { close(); }

void EventSource::close() noexcept {
  finished_ = true;
  if (closed_) return;
  closed_ = true;
  if (response_.body) response_.body->close();
}

void EventSource::drain(std::size_t max_bytes) noexcept {
  if (closed_) return;
  try {
    std::array<char, 4096> buffer{};
    std::size_t total = 0;
    while (total <= max_bytes) {
      std::size_t n = response_.body->read(buffer.data(), buffer.size());
      if (n == 0) {
        // Fully read: the transport may hand the connection to the next request.
        eof_ = true;
        closed_ = true;
        response_.body->close();
        return;
      }
      total += n;
    }
  } catch (...) {
    // A failing drain only costs the connection; the stream's result is already complete.
  }
  close();
}

std::optional<ServerSentEvent> EventSource::next_event() {
  std::array<char, 16 * 1024> buffer{};
  while (true) {
    if (pending_index_ < pending_.size()) return std::move(pending_[pending_index_++]);
    pending_.clear();
    pending_index_ = 0;
    if (eof_ || closed_) return std::nullopt;
    std::size_t n = 0;
    try {
      n = response_.body->read(buffer.data(), buffer.size());
      if (n == 0) {
        eof_ = true;
        pending_ = decoder_.finish();
        closed_ = true;
        response_.body->close();
      } else {
        pending_ = decoder_.feed(std::string_view(buffer.data(), n));
        check_line_progress();
      }
    } catch (SseDecoder::LimitExceeded const& e) {
      close();
      throw APIStreamError(std::string("Stream refused: ") + e.what(), response_.method,
                           response_.context ? response_.context->redact_url(response_.url) : response_.url,
                           nlohmann::json{{"message", e.what()}, {"type", "stream_limit_exceeded"}},
                           response_.request_id());
    } catch (...) {
      close();
      if (response_.context) response_.context->rethrow_redacted();
      throw;
    }
  }
}

void EventSource::check_line_progress() {
  auto const now = std::chrono::steady_clock::now();
  if (decoder_.lines_completed() != lines_seen_) {
    lines_seen_ = decoder_.lines_completed();
    last_line_at_ = now;
    return;
  }
  // Bytes keep coming but no line completes: a trickle must not hold the stream open forever.
  auto const limit = response_.line_idle_limit;
  if (limit && now - last_line_at_ > *limit) {
    throw APITimeoutError(fmt::format("Request timed out (read: no complete line of the stream for {:g} s)",
                                      static_cast<double>(limit->count()) / 1000.0),
                          response_.method, response_.url, TimeoutKind::read);
  }
}

namespace {

// The HTTP status an in-stream error's code or type stands for; 0 when none is implied.
int implied_status(nlohmann::json const& error) {
  struct Entry {
    char const* name;
    int status;
  };
  static constexpr std::array<Entry, 24> kStatuses{{
      {"invalid_request_error", 400}, {"bad_request", 400},          {"invalid_request", 400},
      {"authentication_error", 401},  {"invalid_api_key", 401},      {"unauthorized", 401},
      {"permission_error", 403},      {"permission_denied", 403},    {"forbidden", 403},
      {"not_found_error", 404},       {"not_found", 404},            {"model_not_found", 404},
      {"conflict", 409},              {"conflict_error", 409},       {"unprocessable_entity", 422},
      {"rate_limit_error", 429},      {"rate_limit_exceeded", 429},  {"insufficient_quota", 429},
      {"server_error", 500},          {"api_error", 500},            {"internal_error", 500},
      {"internal_server_error", 500}, {"overloaded_error", 529},     {"service_unavailable", 503},
  }};
  if (!error.is_object()) return 0;
  // A numeric status or code wins; then the code (more specific), then the type.
  for (char const* key : {"status", "status_code", "code"}) {
    auto it = error.find(key);
    if (it != error.end() && it->is_number_integer()) {
      std::int64_t const status = it->get<std::int64_t>();
      if (status >= 400 && status <= 599) return static_cast<int>(status);
    }
  }
  for (char const* key : {"code", "type"}) {
    auto it = error.find(key);
    if (it == error.end() || !it->is_string()) continue;
    auto const& text = it->get_ref<std::string const&>();
    for (auto const& entry : kStatuses)
      if (text == entry.name) return entry.status;
  }
  return 0;
}

bool truthy(nlohmann::json const& value) {
  if (value.is_null()) return false;
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_string()) return !value.get_ref<std::string const&>().empty();
  if (value.is_object() || value.is_array()) return !value.empty();
  return true;
}

}  // namespace

void EventSource::raise_error(nlohmann::json const& error, ServerSentEvent const& event) {
  close();
  std::string message = "An error occurred during streaming";
  if (auto text = string_member(error, "message"); text && !text->empty()) message = *text;
  if (event.event && *event.event != "error") message += " (event: " + *event.event + ")";

  int status = implied_status(error);
  if (status == 0) {
    if (!response_.context) {
      throw APIStreamError(message, response_.method, response_.url, error, response_.request_id());
    }
    // Whatever the server echoed back, the error shows nothing of the client's secrets.
    ResponseContext const& context = *response_.context;
    nlohmann::json shown = parse_json(context.redact(dump_lenient(error)), kDefaultMaxJsonDepth).value;
    throw APIStreamError(context.redact(message), response_.method, context.redact_url(response_.url),
                         std::move(shown), response_.request_id());
  }

  // Raised as the class an HTTP error with this status would give, with the message every status
  // error has; the response carries the stream's headers and the error payload, with the status
  // the error implies.
  throw_status_error(fmt::format("Error code: {} - {}", status, message),
                     response_.as_raw(dump_lenient(nlohmann::json{{"error", error}}), status));
}

std::optional<nlohmann::json> EventSource::next() {
  while (true) {
    if (finished_) return std::nullopt;
    std::optional<ServerSentEvent> event = next_event();
    if (!event) return std::nullopt;
    if (event->data.rfind("[DONE]", 0) == 0) {
      finished_ = true;  // nothing after [DONE] is yielded, even if already received
      drain(kMaxDrainBytes);
      return std::nullopt;
    }
    bool error_event = event->event && *event->event == "error";
    if (event->data.empty()) {
      if (error_event) raise_error(nlohmann::json::object(), *event);
      continue;  // e.g. a `event: ping` with no data
    }
    JsonParse parsed = parse_json(event->data, response_.context ? response_.context->max_json_depth() : kDefaultMaxJsonDepth);
    if (!parsed) {
      if (error_event) raise_error(nlohmann::json{{"message", shorten(event->data, 300)}}, *event);
      close();
      throw_validation_error(response_.as_raw(event->data), DecodeError("", parsed.failure == JsonParse::Failure::too_deep
                                                      ? parsed.message + " (limits.max_json_depth)"
                                                      : "server-sent event data is not JSON"));
    }
    nlohmann::json payload = std::move(parsed.value);
    if (payload.is_object()) {
      auto error = payload.find("error");
      if (error != payload.end() && truthy(*error)) {
        raise_error(error->is_object() ? *error : nlohmann::json{{"message", dump_lenient(*error)}}, *event);
      }
      // The Responses API sends {"type": "error", "message": ..., "code": ...} at top level.
      auto type = payload.find("type");
      if (error_event || (type != payload.end() && type->is_string() && *type == "error"))
        raise_error(payload, *event);
    } else if (error_event) {
      raise_error(nlohmann::json{{"message", event->data}}, *event);
    }
    return payload;
  }
}

}  // namespace detail
}  // namespace smarter

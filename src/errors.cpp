#include <smarter/errors.hpp>

#include <algorithm>
#include <cctype>
#include <utility>

#include <fmt/format.h>

#include <smarter/detail/response_context.hpp>

#include "json_parse.hpp"
#include "text_util.hpp"

namespace smarter {

namespace {

constexpr std::size_t kMaxDetail = 300;

char const* reason_phrase(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 402: return "Payment Required";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return status >= 500 ? "Server Error" : "Error";
  }
}

std::string string_field(nlohmann::json const& object, char const* key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

// The human part of a JSON error body, for every shape the platform and OpenAI-style servers send.
std::string detail_from_json(nlohmann::json const& body) {
  if (!body.is_object()) return detail::shorten(detail::dump_lenient(body), kMaxDetail);
  if (body.empty()) return {};
  auto error = body.find("error");
  if (error != body.end()) {
    if (error->is_string()) return error->get<std::string>();
    if (error->is_object()) {
      // Smarter journal envelope: {"error": {"description", "errorClass", ...}}.
      std::string description = string_field(*error, "description");
      std::string error_class = string_field(*error, "errorClass");
      if (!description.empty()) {
        return error_class.empty() ? description : fmt::format("{} ({})", description, error_class);
      }
      // OpenAI style: {"error": {"message", "type", "code"}}.
      std::string message = string_field(*error, "message");
      std::string type = string_field(*error, "type");
      if (!message.empty()) return type.empty() ? message : fmt::format("{} ({})", message, type);
      if (!error_class.empty()) return error_class;
      return detail::shorten(detail::dump_lenient(*error), kMaxDetail);
    }
  }
  for (char const* key : {"message", "detail", "description"}) {
    std::string text = string_field(body, key);
    if (!text.empty()) return text;
  }
  return detail::shorten(detail::dump_lenient(body), kMaxDetail);
}

/// An error body as JSON, when it is JSON within the depth limit. A body nested deeper is
/// treated as text: the status still yields its typed error, with a short message.
std::optional<nlohmann::json> try_parse(std::string const& text, std::size_t max_depth) {
  if (text.empty()) return std::nullopt;
  detail::JsonParse parsed = detail::parse_json(text, max_depth);
  if (!parsed) return std::nullopt;
  return std::move(parsed.value);
}

std::size_t depth_limit(RawResponse const& response) {
  return response.context ? response.context->max_json_depth() : detail::kDefaultMaxJsonDepth;
}

// An error shows nothing of the client's secrets, whatever the server echoed back.
std::string shown_message(std::string const& message, RawResponse const& response) {
  return response.context ? response.context->redact(message) : message;
}

std::string shown_url(RawResponse const& response) {
  return response.context ? response.context->redact_url(response.url) : response.url;
}

RawResponse without_secrets(RawResponse response) {
  if (!response.context) return response;
  detail::ResponseContext const& context = *response.context;
  response.url = context.redact_url(response.url);
  response.body = context.redact(std::move(response.body));
  response.headers = context.redact_headers(response.headers, /*credentials=*/false);
  return response;
}

bool contains_lower(std::string const& text, char const* needle) {
  return detail::to_lower(text).find(needle) != std::string::npos;
}

}  // namespace

namespace detail {

bool reads_as_not_found(RawResponse const& response) {
  if (response.status_code == 404) return true;
  auto body = try_parse(response.body, depth_limit(response));
  if (!body || !body->is_object()) return false;
  auto error = body->find("error");
  if (error == body->end()) return false;
  std::string text;
  if (error->is_string()) {
    text = error->get<std::string>();
  } else if (error->is_object()) {
    text = string_field(*error, "errorClass") + " " + string_field(*error, "description");
  }
  return contains_lower(text, "not found") || contains_lower(text, "notfound") ||
         contains_lower(text, "does not exist") || contains_lower(text, "doesnotexist");
}

}  // namespace detail

SmarterError::SmarterError(std::string const& message) : std::runtime_error(message) {}

APIError::APIError(std::string const& message, std::string method, std::string url)
    : SmarterError(message), method_(std::move(method)), url_(std::move(url)) {}

APIConnectionError::APIConnectionError(std::string const& message, std::string method, std::string url,
                                       int curl_code, std::string cause, bool request_sent)
    : APIError(message, std::move(method), std::move(url)),
      curl_code_(curl_code),
      cause_(std::move(cause)),
      request_sent_(request_sent) {}

APITimeoutError::APITimeoutError(std::string const& message, std::string method, std::string url,
                                 TimeoutKind kind, int curl_code, std::string cause, bool request_sent)
    : APIConnectionError(message, std::move(method), std::move(url), curl_code, std::move(cause), request_sent),
      kind_(kind) {}

APIResponseTooLargeError::APIResponseTooLargeError(std::string const& message, std::string method, std::string url,
                                                   int status_code, std::size_t limit)
    : APIError(message, std::move(method), std::move(url)), status_code_(status_code), limit_(limit) {}

APIResponseValidationError::APIResponseValidationError(std::string const& message, RawResponse response)
    : APIError(shown_message(message, response), response.method, shown_url(response)),
      response_(std::make_shared<RawResponse const>(without_secrets(std::move(response)))) {}

APIStatusError::APIStatusError(RawResponse response, std::optional<double> retry_after)
    : APIStatusError(describe_error_response(response), response, retry_after) {}

APIStatusError::APIStatusError(std::string const& message, RawResponse response, std::optional<double> retry_after)
    : APIError(shown_message(message, response), response.method, shown_url(response)),
      response_(std::make_shared<RawResponse const>(without_secrets(std::move(response)))),
      body_(std::make_shared<nlohmann::json const>(
          try_parse(response_->body, depth_limit(*response_)).value_or(nlohmann::json()))),
      retry_after_(retry_after) {}

std::optional<std::string> APIStatusError::request_id() const {
  if (auto id = response_->request_id()) return id;
  // The Smarter platform identifies each response by its journal key instead of a header.
  if (body_->is_object()) {
    auto metadata = body_->find("metadata");
    if (metadata != body_->end()) {
      std::string key = string_field(*metadata, "key");
      if (!key.empty()) return key;
    }
  }
  return std::nullopt;
}

std::optional<std::string> APIStatusError::code() const {
  if (!body_->is_object()) return std::nullopt;
  auto error = body_->find("error");
  if (error == body_->end() || !error->is_object()) return std::nullopt;
  for (char const* key : {"errorClass", "code", "type"}) {
    std::string value = string_field(*error, key);
    if (!value.empty()) return value;
  }
  return std::nullopt;
}

std::string describe_error_response(RawResponse const& response) {
  std::string detail;
  if (auto json = try_parse(response.body, depth_limit(response))) {
    detail = detail_from_json(*json);
  } else {
    detail = detail::summarize_text(response.body, kMaxDetail);
  }
  if (detail.empty()) detail = reason_phrase(response.status_code);
  return fmt::format("Error code: {} - {}", response.status_code, detail);
}

void throw_status_error(RawResponse response, std::optional<double> retry_after) {
  if (response.status_code != 404 && response.status_code >= 400 && detail::reads_as_not_found(response)) {
    // The platform's chatbot broker reports a missing chatbot as 503 "not ready"; callers should
    // still be able to catch it as not found. status_code() keeps what the server sent.
    std::string message = "Not found: " + describe_error_response(response);
    throw NotFoundError(message, std::move(response), retry_after);
  }
  std::string message = describe_error_response(response);
  throw_status_error(message, std::move(response), retry_after);
}

void throw_status_error(std::string const& message, RawResponse response, std::optional<double> retry_after) {
  switch (response.status_code) {
    case 400: throw BadRequestError(message, std::move(response), retry_after);
    case 401: throw AuthenticationError(message, std::move(response), retry_after);
    case 403: throw PermissionDeniedError(message, std::move(response), retry_after);
    case 404: throw NotFoundError(message, std::move(response), retry_after);
    case 409: throw ConflictError(message, std::move(response), retry_after);
    case 422: throw UnprocessableEntityError(message, std::move(response), retry_after);
    case 429: throw RateLimitError(message, std::move(response), retry_after);
    default: break;
  }
  if (response.status_code >= 500) throw InternalServerError(message, std::move(response), retry_after);
  throw APIStatusError(message, std::move(response), retry_after);
}

}  // namespace smarter

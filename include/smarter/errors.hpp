// The exception hierarchy of the SDK.
//
//   SmarterError
//   └── APIError
//       ├── APIConnectionError            no HTTP response (DNS, refused, reset, TLS, ...)
//       │   └── APITimeoutError           a time limit fired
//       ├── APIUserAbortError             a progress callback asked to stop
//       ├── APIResponseTooLargeError      the response passed a size limit
//       ├── APIResponseValidationError    a 2xx body that does not decode
//       └── APIStatusError                a 4xx/5xx response
//           ├── BadRequestError           400
//           ├── AuthenticationError       401
//           ├── PermissionDeniedError     403
//           ├── NotFoundError             404
//           ├── ConflictError             409
//           ├── UnprocessableEntityError  422
//           ├── RateLimitError            429
//           └── InternalServerError       >= 500
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include <smarter/export.hpp>
#include <smarter/raw_response.hpp>

namespace smarter {

/// Root of every exception the SDK throws (configuration errors included).
class SMARTER_API SmarterError : public std::runtime_error {
 public:
  /// Creates an error with a readable message.
  explicit SmarterError(std::string const& message);
};

/// An error raised while making a request.
class SMARTER_API APIError : public SmarterError {
 public:
  /// Creates an error about the request `method url`.
  APIError(std::string const& message, std::string method, std::string url);
  /// Method of the failed request.
  std::string const& method() const noexcept { return method_; }
  /// URL of the failed request.
  std::string const& url() const noexcept { return url_; }

 private:
  std::string method_;
  std::string url_;
};

/// No usable HTTP response arrived: name resolution, connect, TLS, reset, truncated body.
class SMARTER_API APIConnectionError : public APIError {
 public:
  /// `curl_code` is the transport's error number (0 when not from libcurl); `cause` its text;
  /// `request_sent` false only when the request provably never left the client.
  APIConnectionError(std::string const& message, std::string method, std::string url,
                     int curl_code = 0, std::string cause = {}, bool request_sent = true);
  /// The underlying transport error code (a CURLcode for the default transport), or 0.
  int curl_code() const noexcept { return curl_code_; }
  /// The underlying transport's own description of the failure.
  std::string const& cause() const noexcept { return cause_; }
  /// False when the request provably never reached the server (name resolution, connect or TLS
  /// handshake failed); true when it may have, so the server may have acted on it.
  bool request_sent() const noexcept { return request_sent_; }

 private:
  int curl_code_;
  std::string cause_;
  bool request_sent_;
};

/// Which limit a timeout hit.
enum class TimeoutKind { total, connect, read, write, deadline };

/// A time limit fired before the response was complete.
class SMARTER_API APITimeoutError : public APIConnectionError {
 public:
  /// Creates a timeout error of the given kind.
  APITimeoutError(std::string const& message, std::string method, std::string url, TimeoutKind kind,
                  int curl_code = 0, std::string cause = {}, bool request_sent = true);
  /// The limit that fired.
  TimeoutKind kind() const noexcept { return kind_; }

 private:
  TimeoutKind kind_;
};

/// The caller stopped the transfer (a progress callback returned false). Never retried.
class SMARTER_API APIUserAbortError : public APIError {
 public:
  using APIError::APIError;
};

/// The response passed one of the client's size limits (body or header bytes). Never retried:
/// the same request would bring the same response.
class SMARTER_API APIResponseTooLargeError : public APIError {
 public:
  /// `status_code` is the response's status (0 when the headers were not complete); `limit` the
  /// bound that was passed, in bytes.
  APIResponseTooLargeError(std::string const& message, std::string method, std::string url, int status_code,
                           std::size_t limit);
  /// The HTTP status of the refused response, or 0 when its headers were refused.
  int status_code() const noexcept { return status_code_; }
  /// The limit that was passed, in bytes.
  std::size_t limit() const noexcept { return limit_; }

 private:
  int status_code_;
  std::size_t limit_;
};

/// A 2xx response whose body does not have the expected shape.
class SMARTER_API APIResponseValidationError : public APIError {
 public:
  /// `response` is the offending response; `message` names the field.
  APIResponseValidationError(std::string const& message, RawResponse response);
  /// The response that failed to decode.
  RawResponse const& response() const noexcept { return *response_; }
  /// Its status code.
  int status_code() const noexcept { return response_->status_code; }

 private:
  std::shared_ptr<RawResponse const> response_;
};

/// The server answered with a 4xx or 5xx status.
class SMARTER_API APIStatusError : public APIError {
 public:
  /// Builds the error for `response`; the message is derived from its body.
  explicit APIStatusError(RawResponse response, std::optional<double> retry_after = std::nullopt);
  /// Builds the error with an explicit message.
  APIStatusError(std::string const& message, RawResponse response,
                 std::optional<double> retry_after = std::nullopt);

  /// The HTTP status code.
  int status_code() const noexcept { return response_->status_code; }
  /// The whole response: headers and body text.
  RawResponse const& response() const noexcept { return *response_; }
  /// The body parsed as JSON, or null when it is not JSON.
  nlohmann::json const& body() const noexcept { return *body_; }
  /// The `x-request-id` header (or the platform's journal key), when present.
  std::optional<std::string> request_id() const;
  /// The server's error code/class when the body names one (e.g. "invalid_api_key",
  /// "SmarterAPIV1CLIViewErrorNotAuthenticated").
  std::optional<std::string> code() const;
  /// The wait the server asked for (Retry-After), in seconds, when it sent one that parses.
  std::optional<double> retry_after() const noexcept { return retry_after_; }

 private:
  std::shared_ptr<RawResponse const> response_;
  std::shared_ptr<nlohmann::json const> body_;
  std::optional<double> retry_after_;
};

/// 400 Bad Request.
class SMARTER_API BadRequestError : public APIStatusError {
 public:
  using APIStatusError::APIStatusError;
};
/// 401 Unauthorized.
class SMARTER_API AuthenticationError : public APIStatusError {
 public:
  using APIStatusError::APIStatusError;
};
/// 403 Forbidden (the Smarter platform also reports a bad API key this way).
class SMARTER_API PermissionDeniedError : public APIStatusError {
 public:
  using APIStatusError::APIStatusError;
};
/// 404 Not Found.
class SMARTER_API NotFoundError : public APIStatusError {
 public:
  using APIStatusError::APIStatusError;
};
/// 409 Conflict.
class SMARTER_API ConflictError : public APIStatusError {
 public:
  using APIStatusError::APIStatusError;
};
/// 422 Unprocessable Entity.
class SMARTER_API UnprocessableEntityError : public APIStatusError {
 public:
  using APIStatusError::APIStatusError;
};
/// 429 Too Many Requests.
class SMARTER_API RateLimitError : public APIStatusError {
 public:
  using APIStatusError::APIStatusError;
};
/// 500 and above.
class SMARTER_API InternalServerError : public APIStatusError {
 public:
  using APIStatusError::APIStatusError;
};

/// Builds a readable one-line message for an error response: "Error code: 404 - <detail>".
/// Understands the Smarter journal envelope, OpenAI-style and plain error bodies, text and HTML.
SMARTER_API std::string describe_error_response(RawResponse const& response);

namespace detail {
/// True for a 404, or an error body that says the resource does not exist (the platform reports
/// some missing resources with other statuses, e.g. 503 from its chatbot broker).
SMARTER_API bool reads_as_not_found(RawResponse const& response);
}  // namespace detail

/// Throws the APIStatusError subclass that matches `response.status_code`; an error body that
/// says the resource does not exist is a NotFoundError whatever the status.
[[noreturn]] SMARTER_API void throw_status_error(RawResponse response,
                                                 std::optional<double> retry_after = std::nullopt);
/// Throws the APIStatusError subclass for `response.status_code` with the given message (used for
/// errors that arrive inside a stream, whose message comes from the event, not the body).
[[noreturn]] SMARTER_API void throw_status_error(std::string const& message, RawResponse response,
                                                 std::optional<double> retry_after = std::nullopt);

}  // namespace smarter

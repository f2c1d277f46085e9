// What a response remembers of the client that read it: limits, and the secrets that must never
// show in an error or a log line. Internal: the client sets it; applications do not need it.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <smarter/export.hpp>
#include <smarter/http/headers.hpp>

namespace smarter::detail {

/// Client settings that travel with each response and each error built from one.
class SMARTER_API ResponseContext {
 public:
  /// A context with the default limits and nothing to redact.
  ResponseContext() = default;
  /// A context that keeps `secrets` (the API key, credential values the caller configured) out
  /// of everything it redacts, and accepts JSON nested up to `max_json_depth`.
  ResponseContext(std::vector<std::string> secrets, std::size_t max_json_depth);

  /// Deepest JSON nesting accepted in bodies and events.
  std::size_t max_json_depth() const noexcept { return max_json_depth_; }

  /// `text` with every secret replaced by "<redacted>".
  std::string redact(std::string text) const;
  /// `url` without secrets, user name and password, and with the values of credential-like query
  /// parameters (key, token, secret, password, signature, ...) replaced by "<redacted>".
  std::string redact_url(std::string const& url) const;
  /// Headers with secrets replaced; with `credentials` also every credential-like header value
  /// (Authorization, Cookie, Set-Cookie, Proxy-Authorization, *-Key, *-Token, ...), for logs.
  http::Headers redact_headers(http::Headers const& headers, bool credentials) const;
  /// Rethrows the exception being handled; a connection-level error (whose message and URL come
  /// from the transport) is rebuilt without secrets. Errors built from a response redact
  /// themselves and pass through unchanged. Call only inside a catch block.
  [[noreturn]] void rethrow_redacted() const;

 private:
  std::vector<std::string> secrets_;
  std::size_t max_json_depth_ = 512;
};

/// True for header names whose values are credentials (logs show them as "<redacted>").
SMARTER_API bool is_credential_header(std::string_view name) noexcept;
/// True for query parameter names whose values are credentials.
SMARTER_API bool is_credential_parameter(std::string_view name) noexcept;

}  // namespace smarter::detail

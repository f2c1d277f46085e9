#include <smarter/detail/response_context.hpp>

#include <algorithm>

#include <smarter/errors.hpp>

#include "http/url.hpp"
#include "text_util.hpp"

namespace smarter::detail {

namespace {

constexpr char kRedacted[] = "<redacted>";

bool contains_any(std::string const& lowered, std::initializer_list<char const*> needles) {
  return std::any_of(needles.begin(), needles.end(),
                     [&](char const* needle) { return lowered.find(needle) != std::string::npos; });
}

}  // namespace

ResponseContext::ResponseContext(std::vector<std::string> secrets, std::size_t max_json_depth)
    : secrets_(std::move(secrets)), max_json_depth_(max_json_depth) {
  secrets_.erase(std::remove(secrets_.begin(), secrets_.end(), std::string()), secrets_.end());
  // Longest first, so a secret that contains another is replaced whole.
  std::sort(secrets_.begin(), secrets_.end(),
            [](std::string const& a, std::string const& b) { return a.size() > b.size(); });
}

std::string ResponseContext::redact(std::string text) const {
  for (std::string const& secret : secrets_) {
    std::size_t pos = 0;
    while ((pos = text.find(secret, pos)) != std::string::npos) {
      text.replace(pos, secret.size(), kRedacted);
      pos += sizeof kRedacted - 1;  // never rescans the replacement
    }
  }
  return text;
}

std::string ResponseContext::redact_url(std::string const& url) const {
  std::string out = redact(http::detail::without_userinfo(url));
  std::size_t const query = out.find('?');
  if (query == std::string::npos) return out;
  std::size_t const fragment = out.find('#', query);
  std::string rebuilt = out.substr(0, query + 1);
  std::string_view params(out.data() + query + 1, (fragment == std::string::npos ? out.size() : fragment) - query - 1);
  bool first = true;
  while (!params.empty()) {
    std::size_t const amp = params.find('&');
    std::string_view const pair = params.substr(0, amp);
    params = amp == std::string_view::npos ? std::string_view() : params.substr(amp + 1);
    if (!first) rebuilt += '&';
    first = false;
    std::size_t const eq = pair.find('=');
    if (eq != std::string_view::npos && is_credential_parameter(pair.substr(0, eq))) {
      rebuilt.append(pair.substr(0, eq + 1));
      rebuilt += kRedacted;
    } else {
      rebuilt.append(pair);
    }
  }
  if (fragment != std::string::npos) rebuilt += out.substr(fragment);
  return rebuilt;
}

http::Headers ResponseContext::redact_headers(http::Headers const& headers, bool credentials) const {
  http::Headers out;
  for (auto const& [name, value] : headers) {
    out.add(name, credentials && is_credential_header(name) ? std::string(kRedacted) : redact(value));
  }
  return out;
}

void ResponseContext::rethrow_redacted() const {
  try {
    throw;
  } catch (APITimeoutError const& e) {
    throw APITimeoutError(redact(e.what()), e.method(), redact_url(e.url()), e.kind(), e.curl_code(),
                          redact(e.cause()), e.request_sent());
  } catch (APIConnectionError const& e) {
    throw APIConnectionError(redact(e.what()), e.method(), redact_url(e.url()), e.curl_code(), redact(e.cause()),
                             e.request_sent());
  } catch (APIUserAbortError const& e) {
    throw APIUserAbortError(redact(e.what()), e.method(), redact_url(e.url()));
  } catch (APIResponseTooLargeError const& e) {
    throw APIResponseTooLargeError(redact(e.what()), e.method(), redact_url(e.url()), e.status_code(), e.limit());
  }
}

bool is_credential_header(std::string_view name) noexcept {
  std::string const lowered = to_lower(name);
  if (lowered == "idempotency-key" || lowered == "x-idempotency-key") return false;  // a request id, not a secret
  return lowered == "authorization" || lowered == "proxy-authorization" || lowered == "cookie" ||
         lowered == "set-cookie" ||
         contains_any(lowered, {"key", "token", "secret", "password", "auth", "session", "signature", "credential"});
}

bool is_credential_parameter(std::string_view name) noexcept {
  std::string const lowered = to_lower(name);
  return contains_any(lowered, {"key", "token", "secret", "pass", "pwd", "auth", "sig", "session", "credential",
                                "cookie"});
}

}  // namespace smarter::detail

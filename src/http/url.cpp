#include "http/url.hpp"

#include <curl/curl.h>

#include <memory>
#include "ascii.hpp"

namespace smarter::http::detail {

namespace {

struct UrlHandleDeleter {
  void operator()(CURLU* handle) const noexcept { curl_url_cleanup(handle); }
};
using UrlHandle = std::unique_ptr<CURLU, UrlHandleDeleter>;

// Unsupported schemes parse too, so that a redirect to ftp:// is reported as such.
constexpr unsigned kParseFlags = CURLU_NON_SUPPORT_SCHEME;

std::optional<std::string> get_part(CURLU* handle, CURLUPart part, unsigned flags = 0) {
  char* value = nullptr;
  if (curl_url_get(handle, part, &value, flags) != CURLUE_OK || value == nullptr) return std::nullopt;
  std::string out(value);
  curl_free(value);
  return out;
}

}  // namespace

std::optional<UrlParts> parse_url(std::string_view url) {
  UrlHandle handle(curl_url());
  if (!handle) return std::nullopt;
  std::string const text(url);
  if (text.find('\0') != std::string::npos) return std::nullopt;
  if (curl_url_set(handle.get(), CURLUPART_URL, text.c_str(), kParseFlags) != CURLUE_OK) return std::nullopt;
  UrlParts parts;
  parts.scheme = smarter::detail::to_lower(get_part(handle.get(), CURLUPART_SCHEME).value_or(""));
  parts.host = smarter::detail::to_lower(get_part(handle.get(), CURLUPART_HOST).value_or(""));
  if (parts.scheme.empty() || parts.host.empty()) return std::nullopt;
  if (auto port = get_part(handle.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT)) {
    parts.port = std::strtol(port->c_str(), nullptr, 10);
  }
  parts.has_userinfo = get_part(handle.get(), CURLUPART_USER).has_value() ||
                       get_part(handle.get(), CURLUPART_PASSWORD).has_value() ||
                       get_part(handle.get(), CURLUPART_OPTIONS).has_value();
  parts.has_query = get_part(handle.get(), CURLUPART_QUERY).has_value();
  parts.has_fragment = get_part(handle.get(), CURLUPART_FRAGMENT).has_value();
  return parts;
}

std::optional<std::string> resolve_url(std::string_view base, std::string_view reference) {
  UrlHandle handle(curl_url());
  if (!handle) return std::nullopt;
  std::string const base_text(base);
  std::string const reference_text(reference);
  if (base_text.find('\0') != std::string::npos || reference_text.find('\0') != std::string::npos) return std::nullopt;
  if (curl_url_set(handle.get(), CURLUPART_URL, base_text.c_str(), kParseFlags) != CURLUE_OK) return std::nullopt;
  // Setting a URL on a handle that holds one resolves it as a reference relative to that one.
  if (curl_url_set(handle.get(), CURLUPART_URL, reference_text.c_str(), kParseFlags) != CURLUE_OK) {
    return std::nullopt;
  }
  return get_part(handle.get(), CURLUPART_URL);
}

std::string without_userinfo(std::string_view url) {
  auto const scheme_end = url.find("://");
  std::size_t const authority = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  std::size_t const authority_end = url.find_first_of("/?#", authority);
  std::string_view const host_part = url.substr(authority, authority_end == std::string_view::npos
                                                                ? std::string_view::npos
                                                                : authority_end - authority);
  auto const at = host_part.rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  return std::string(url.substr(0, authority)) + "<redacted>@" + std::string(url.substr(authority + at + 1));
}

}  // namespace smarter::http::detail

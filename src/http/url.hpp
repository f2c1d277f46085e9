// Absolute http(s) URLs as libcurl parses them (private): where a request really goes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <smarter/export.hpp>

namespace smarter::http::detail {

/// The parts of an absolute URL that decide where a request goes, as libcurl reads them.
struct UrlParts {
  std::string scheme;          ///< Lower-case scheme, e.g. "https" (any scheme, supported or not).
  std::string host;            ///< Lower-case host name or address.
  long port = 0;               ///< Explicit port, else the scheme's default (0 when it has none).
  bool has_userinfo = false;   ///< A user name or password is embedded.
  bool has_query = false;      ///< A query ("?...") is present.
  bool has_fragment = false;   ///< A fragment ("#...") is present.

  /// True for http and https.
  bool is_http() const noexcept { return scheme == "http" || scheme == "https"; }
  /// Same scheme, host and port (RFC 6454 origin).
  bool same_origin(UrlParts const& other) const noexcept {
    return scheme == other.scheme && host == other.host && port == other.port;
  }
};

/// Parses an absolute URL; nullopt when libcurl cannot parse it.
SMARTER_API std::optional<UrlParts> parse_url(std::string_view url);

/// Resolves `reference` (absolute, or relative as a Location header may be) against `base`, per
/// RFC 3986; nullopt when the result is not a parseable URL.
SMARTER_API std::optional<std::string> resolve_url(std::string_view base, std::string_view reference);

/// `url` with any user name and password replaced by "<redacted>", for messages.
SMARTER_API std::string without_userinfo(std::string_view url);

}  // namespace smarter::http::detail

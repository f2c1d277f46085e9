// Pure pieces of request construction: URL joining, query merging, header overrides (private).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <smarter/export.hpp>
#include <smarter/http/headers.hpp>
#include <smarter/options.hpp>

namespace smarter::detail {

/// A checked base URL with exactly one trailing '/'. Throws SmarterError unless it is an
/// absolute http:// or https:// URL without user name, password, query or fragment.
SMARTER_API std::string normalize_base_url(std::string_view url);
/// Joins `path` under `base_url` (which ends in '/'); a path that starts with http:// or
/// https:// is an absolute URL and is returned unchanged.
SMARTER_API std::string join_url(std::string_view base_url, std::string_view path);
/// The base URL for a SMARTER_ENVIRONMENT value: prod, alpha, beta or next. Throws SmarterError otherwise.
SMARTER_API std::string base_url_for_environment(std::string_view environment);

/// Query parameters in order, duplicates allowed (arrays).
using QueryParams = std::vector<std::pair<std::string, std::string>>;
/// Merges query sources: request params, then client defaults for keys the request does not
/// set, then per-call extras which replace (or with nullopt remove) every earlier value of a key.
SMARTER_API QueryParams merge_query(QueryParams const& params, QueryOverrides const& defaults,
                                    QueryOverrides const& extra);
/// Appends `query` to `url` (keeping a query already in the URL), percent-encoding keys and values.
SMARTER_API std::string append_query(std::string url, QueryParams const& query);
/// Applies header overrides: a value replaces every header of that name, nullopt removes it.
SMARTER_API void apply_header_overrides(http::Headers& headers, HeaderOverrides const& overrides);
/// Merges `overrides` into `base` per key (case-insensitive for headers when `case_insensitive`).
SMARTER_API void merge_overrides(std::vector<std::pair<std::string, std::optional<std::string>>>& base,
                                 std::vector<std::pair<std::string, std::optional<std::string>>> const& overrides,
                                 bool case_insensitive);
/// What to do with a response to a request that may be a redirect.
struct RedirectDecision {
  /// not_a_redirect: the response is final; follow: send the request again to `url`; refuse:
  /// stop and report the redirect response as an error, for `reason`.
  enum class Action { not_a_redirect, follow, refuse };
  Action action = Action::not_a_redirect;
  std::string url;            ///< Absolute target (follow).
  std::string method;         ///< Method to use at the target (follow).
  bool keep_body = false;     ///< Send the request body again (follow).
  bool cross_origin = false;  ///< The target's scheme, host or port differs (follow).
  std::string reason;         ///< Why the redirect is refused (refuse).
};

/// The redirect policy (RFC 9110 15.4): 301/302/303/307/308 with a Location are followed to
/// http and https targets only, never from https to http. 303 (and 301/302 after a POST) become
/// GET without a body; otherwise method and body are kept, which is allowed only on the same
/// origin: a cross-origin redirect that would re-send a body or an unsafe method is refused.
SMARTER_API RedirectDecision decide_redirect(std::string_view method, std::string_view url, int status,
                                             std::optional<std::string> const& location, bool has_body);

/// `User-Agent` value: "smarter-cpp/<version> (<os>; <arch>) libcurl/<version>".
SMARTER_API std::string user_agent();
/// A random UUID version 4 string, from the kernel's CSPRNG (getrandom, read a block at a time per
/// thread; a forked child never repeats its parent's).
SMARTER_API std::string uuid4();
/// The default client id sent as `uid` with prompts: 32 hex digits, an HMAC-SHA-256 keyed by this
/// machine's id (/etc/machine-id, else host name and MAC address) over the user, so it is stable
/// per machine and user and reveals neither.
SMARTER_API std::string machine_client_id();

}  // namespace smarter::detail

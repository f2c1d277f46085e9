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

/// `url` with exactly one trailing '/'.
SMARTER_API std::string normalize_base_url(std::string_view url);
/// Joins `path` under `base_url` (which ends in '/'); an absolute URL is returned unchanged.
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
/// `User-Agent` value: "smarter-cpp/<version> (<os>; <arch>) libcurl/<version>".
SMARTER_API std::string user_agent();
/// A random UUID version 4 string.
SMARTER_API std::string uuid4();
/// A stable id for this machine, as the platform's CLI makes one: "<hostname>-<first MAC address>".
SMARTER_API std::string machine_client_id();

}  // namespace smarter::detail

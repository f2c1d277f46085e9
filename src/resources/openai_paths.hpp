// Private helpers shared by the OpenAI-shaped resources (chat, responses, fine-tuning).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <smarter/detail/client_core.hpp>
#include <smarter/errors.hpp>

#include "text_util.hpp"

namespace smarter::resources::openai {

/// Appends `name=value` to a query when the value is set.
template <class T>
void add_query(std::vector<std::pair<std::string, std::string>>& query, char const* name,
               std::optional<T> const& value) {
  if (!value) return;
  if constexpr (std::is_same_v<T, std::string>)
    query.emplace_back(name, *value);
  else
    query.emplace_back(name, std::to_string(*value));
}

/// A GET of a cursor-paginated list: `after`, `limit` and `order` in the query when set.
inline detail::RequestSpec cursor_list(std::string path, std::optional<std::string> const& after,
                                       std::optional<int> limit, std::optional<std::string> const& order,
                                       RequestOptions const& options) {
  detail::RequestSpec spec;
  spec.method = "GET";
  spec.path = std::move(path);
  add_query(spec.query, "after", after);
  add_query(spec.query, "limit", limit);
  add_query(spec.query, "order", order);
  spec.options = options;
  return spec;
}

/// Appends a metadata filter as `metadata[key]=value` pairs (the form OpenAI's lists take).
inline void add_metadata_query(std::vector<std::pair<std::string, std::string>>& query,
                               std::optional<std::map<std::string, std::string>> const& metadata) {
  if (!metadata) return;
  for (auto const& [key, value] : *metadata) query.emplace_back("metadata[" + key + "]", value);
}

/// A POST that is safe to repeat (it converges: setting, counting, cancelling, granting), so it
/// is retried like a GET.
inline detail::RequestSpec repeatable_post(std::string path, std::optional<nlohmann::json> body,
                                           RequestOptions const& options) {
  detail::RequestSpec spec;
  spec.method = "POST";
  spec.idempotency = detail::Idempotency::idempotent;
  spec.path = std::move(path);
  spec.json_body = std::move(body);
  spec.options = options;
  return spec;
}

}  // namespace smarter::resources::openai

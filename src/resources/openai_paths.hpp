// Private helpers shared by the OpenAI-shaped resources (chat, responses, fine-tuning).
#pragma once

#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <smarter/errors.hpp>

namespace smarter::resources::openai {

/// `value` as one percent-encoded path segment, so an id can never change the path it is put
/// in. An empty value raises SmarterError naming `param` before any request is made.
inline std::string path_segment(char const* param, std::string const& value) {
  if (value.empty())
    throw SmarterError(std::string("Expected a non-empty value for `") + param + "` but received ''");
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '_' || c == '.' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

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

}  // namespace smarter::resources::openai

// Private decoding helpers shared by the platform model files.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <smarter/detail/decode.hpp>

namespace smarter::detail {

/// Reads a list of strings; missing or null gives an empty list.
inline void read_string_list(nlohmann::json const& j, std::initializer_list<char const*> keys,
                             std::vector<std::string>& out) {
  std::optional<std::vector<std::string>> value;
  read_optional_any(j, keys, value);
  out = value ? std::move(*value) : std::vector<std::string>{};
}

/// Reads a field that should be text but may arrive as a number (e.g. error.status).
inline void read_text(nlohmann::json const& j, char const* key, std::optional<std::string>& out) {
  out.reset();
  if (!j.is_object()) return;
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return;
  out = it->is_string() ? it->get<std::string>() : it->dump();
}

/// The raw JSON at `key`, or null.
inline nlohmann::json raw_field(nlohmann::json const& j, char const* key) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(key);
  return it == j.end() ? nlohmann::json(nullptr) : *it;
}

}  // namespace smarter::detail

// Private helpers for the OpenAI-shaped model files (chat, responses, fine-tuning).
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include <smarter/detail/decode.hpp>

namespace smarter::detail::openai {

// Nested models and lists use read_model, read_model_required and read_model_list from
// smarter/detail/decode.hpp.
using detail::read_model;
using detail::read_model_list;
using detail::read_model_required;

/// Keeps any JSON value at `key` as is (missing or null gives nullopt).
inline void read_json(nlohmann::json const& j, char const* key, std::optional<nlohmann::json>& out) {
  out.reset();
  if (!j.is_object()) return;
  auto it = j.find(key);
  if (it != j.end() && !it->is_null()) out = *it;
}

/// Writes a variant as whichever alternative it holds.
template <class... Ts>
nlohmann::json variant_to_json(std::variant<Ts...> const& value) {
  return std::visit([](auto const& alternative) { return nlohmann::json(alternative); }, value);
}

/// Writes an optional field only when set (for values that need to_json via ADL).
template <class T>
void write_if(nlohmann::json& j, char const* key, std::optional<T> const& value) {
  if (value) j[key] = *value;
}

/// Writes an optional variant only when set.
template <class... Ts>
void write_if(nlohmann::json& j, char const* key, std::optional<std::variant<Ts...>> const& value) {
  if (value) j[key] = variant_to_json(*value);
}

}  // namespace smarter::detail::openai

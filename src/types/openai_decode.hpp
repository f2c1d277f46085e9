// Private helpers for the OpenAI-shaped model files (chat, responses, fine-tuning).
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include <smarter/detail/decode.hpp>

namespace smarter::detail::openai {

/// Decodes a nested value at `key` with its ADL from_json (keeping its JSON when it is a Model).
/// Missing or null leaves `out` unchanged; errors name the path.
template <class T>
void read_nested(nlohmann::json const& j, char const* key, T& out) {
  if (!j.is_object()) return;
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return;
  try {
    out = decode_value<T>(*it);
  } catch (DecodeError const& e) {
    throw e.with_prefix(std::string("/") + key);
  }
}

/// Like read_nested, into an optional (reset when missing or null).
template <class T>
void read_nested(nlohmann::json const& j, char const* key, std::optional<T>& out) {
  out.reset();
  T value;
  if (!j.is_object()) return;
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return;
  read_nested(j, key, value);
  out = std::move(value);
}

/// A nested value that must be present.
template <class T>
void read_nested_required(nlohmann::json const& j, char const* key, T& out) {
  if (!j.is_object()) throw DecodeError("", "expected an object");
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) throw DecodeError(std::string("/") + key, "required field is missing");
  read_nested(j, key, out);
}

/// Decodes each element of the array at `key`; missing or null gives an empty list.
template <class T>
void read_list(nlohmann::json const& j, char const* key, std::vector<T>& out, bool required = false) {
  out.clear();
  if (!j.is_object()) throw DecodeError("", "expected an object");
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    if (required) throw DecodeError(std::string("/") + key, "required field is missing");
    return;
  }
  if (!it->is_array()) throw DecodeError(std::string("/") + key, "expected an array");
  out.reserve(it->size());
  for (std::size_t i = 0; i < it->size(); ++i) {
    try {
      out.push_back(decode_value<T>((*it)[i]));
    } catch (DecodeError const& e) {
      throw e.with_prefix(std::string("/") + key + "/" + std::to_string(i));
    }
  }
}

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

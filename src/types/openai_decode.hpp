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

// Optional fields (variants included) are written with write_optional from decode.hpp.
using detail::write_optional;

}  // namespace smarter::detail::openai

// Private helpers for the OpenAI-shaped model files (chat, responses, fine-tuning).
#pragma once

#include <memory>
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

/// The from_json of a codec type whose decode_from is written by hand: decodes a copy of `j`,
/// which the model and its nested models then share (as SMARTER_DEFINE_CODEC's from_json does).
template <class T>
void decode_copy(nlohmann::json const& j, T& out) {
  auto const document = std::make_shared<nlohmann::json const>(j);
  decode_from(DecodeSource{&document, document.get()}, out);
}

}  // namespace smarter::detail::openai

// Private decoding helpers shared by the platform model files.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include <smarter/detail/decode.hpp>

namespace smarter::detail {

/// Reads a field that should be text but may arrive as a number (e.g. error.status).
inline void read_text(nlohmann::json const& j, char const* key, std::optional<std::string>& out) {
  out.reset();
  if (!j.is_object()) return;
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return;
  out = it->is_string() ? it->get<std::string>() : it->dump();
}

}  // namespace smarter::detail

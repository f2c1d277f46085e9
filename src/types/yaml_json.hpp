// YAML -> JSON conversion for manifests. Private and header-only so both the SDK and the fake
// server (which must not link the SDK) can use it; only compiled where SMARTER_HAVE_YAML is set.
#pragma once

#if defined(SMARTER_HAVE_YAML)

#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <regex>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

namespace smarter::detail::yaml {

/// Resolves a plain (unquoted) scalar the way PyYAML's safe_load does for the types manifests
/// use, so a file reads the same here as on the platform: null, bools (incl. yes/no/on/off),
/// integers, floats; anything else stays a string (e.g. "0.1.0").
inline nlohmann::json resolve_plain_scalar(std::string const& text) {
  static std::regex const kInt(R"(^[-+]?(0|[1-9][0-9_]*)$)");
  static std::regex const kHex(R"(^[-+]?0x[0-9a-fA-F_]+$)");
  static std::regex const kFloat(R"(^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$)");
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") return nullptr;
  if (text == "true" || text == "True" || text == "TRUE" || text == "yes" || text == "Yes" ||
      text == "YES" || text == "on" || text == "On" || text == "ON") {
    return true;
  }
  if (text == "false" || text == "False" || text == "FALSE" || text == "no" || text == "No" ||
      text == "NO" || text == "off" || text == "Off" || text == "OFF") {
    return false;
  }
  std::string digits;
  for (char c : text) {
    if (c != '_') digits += c;
  }
  if (std::regex_match(text, kInt) || std::regex_match(text, kHex)) {
    errno = 0;
    char* end = nullptr;
    long long value = std::strtoll(digits.c_str(), &end, 0);
    if (errno == 0 && end && *end == '\0') return static_cast<std::int64_t>(value);
    return text;  // Too large for an integer: keep the text rather than lose digits.
  }
  if (std::regex_match(text, kFloat)) return std::strtod(digits.c_str(), nullptr);
  if (text == ".inf" || text == ".Inf" || text == ".INF" || text == "+.inf") {
    return std::numeric_limits<double>::infinity();
  }
  if (text == "-.inf" || text == "-.Inf" || text == "-.INF") return -std::numeric_limits<double>::infinity();
  return text;
}

/// Converts a yaml-cpp node (mappings, sequences, scalars, aliases resolved) to JSON.
inline nlohmann::json to_json(YAML::Node const& node) {
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      return nullptr;
    case YAML::NodeType::Scalar: {
      std::string const& tag = node.Tag();
      // "!" marks a quoted scalar: always a string. Explicit core tags are honoured.
      if (tag == "!" || tag == "tag:yaml.org,2002:str") return node.Scalar();
      return resolve_plain_scalar(node.Scalar());
    }
    case YAML::NodeType::Sequence: {
      nlohmann::json array = nlohmann::json::array();
      for (auto const& item : node) array.push_back(to_json(item));
      return array;
    }
    case YAML::NodeType::Map: {
      nlohmann::json object = nlohmann::json::object();
      for (auto const& item : node) {
        std::string key = item.first.IsScalar() ? item.first.Scalar() : YAML::Dump(item.first);
        object[key] = to_json(item.second);
      }
      return object;
    }
  }
  return nullptr;
}

/// Parses YAML text (its first document) into JSON. Throws std::runtime_error on bad YAML.
inline nlohmann::json parse(std::string_view text) {
  try {
    return to_json(YAML::Load(std::string(text)));
  } catch (YAML::Exception const& e) {
    throw std::runtime_error(std::string("invalid YAML: ") + e.what());
  }
}

}  // namespace smarter::detail::yaml

#endif  // SMARTER_HAVE_YAML

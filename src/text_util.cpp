#include "text_util.hpp"

#include <cctype>
#include <cstdlib>

#include <smarter/errors.hpp>

namespace smarter::detail {

std::string shorten(std::string_view text, std::size_t max) {
  if (text.size() <= max) return std::string(text);
  return std::string(text.substr(0, max)) + "...";
}

std::string summarize_text(std::string_view text, std::size_t max) {
  std::string lower = to_lower(text);
  auto title_start = lower.find("<title>");
  auto title_end = lower.find("</title>");
  if (title_start != std::string::npos && title_end != std::string::npos && title_end > title_start) {
    text = text.substr(title_start + 7, title_end - title_start - 7);
  }
  std::string out;
  bool in_tag = false;
  bool pending_space = false;
  for (char c : text) {
    if (c == '<') { in_tag = true; pending_space = true; continue; }
    if (c == '>' && in_tag) { in_tag = false; continue; }
    if (in_tag) continue;
    if (std::isspace(static_cast<unsigned char>(c))) { pending_space = true; continue; }
    if (pending_space && !out.empty()) out += ' ';
    pending_space = false;
    out += c;
  }
  return shorten(out, max);
}

std::optional<std::string> env_value(char const* name) {
  char const* raw = std::getenv(name);
  if (raw == nullptr) return std::nullopt;
  std::string_view value = trim(raw);
  if (value.empty()) return std::nullopt;
  return std::string(value);
}

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0x0F];
    }
  }
  return out;
}

std::string path_segment(char const* param, std::string const& value) {
  if (value.empty()) {
    throw SmarterError(std::string("Expected a non-empty value for `") + param + "` but received ''");
  }
  // '.' is unreserved, so these would pass encoding unchanged and then climb the path.
  if (value == "." || value == "..") {
    throw SmarterError(std::string("`") + param + "` cannot be '" + value + "': it would change the request's path");
  }
  return percent_encode(value);
}

std::string redact(std::string text, std::string_view secret) {
  if (secret.size() < 4) return text;
  std::size_t pos = 0;
  while ((pos = text.find(secret, pos)) != std::string::npos) {
    text.replace(pos, secret.size(), "<redacted>");
    pos += 10;
  }
  return text;
}

}  // namespace smarter::detail

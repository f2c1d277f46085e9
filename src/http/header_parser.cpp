#include "http/header_parser.hpp"

namespace smarter::http::detail {

namespace {

bool is_blank(char c) noexcept { return c == ' ' || c == '\t'; }

std::string_view trim_blanks(std::string_view s) noexcept {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

std::string_view strip_terminator(std::string_view s) noexcept {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

bool is_token(std::string_view name) noexcept {
  if (name.empty()) return false;
  for (char c : name) {
    bool const ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '!' || c == '#' || c == '$' || c == '%' || c == '&' || c == '\'' || c == '*' ||
                    c == '+' || c == '-' || c == '.' || c == '^' || c == '_' || c == '`' || c == '|' ||
                    c == '~';
    if (!ok) return false;
  }
  return true;
}

HeaderBlockParser::Line HeaderBlockParser::feed(std::string_view raw) {
  if (raw.size() > max_bytes_ - std::min(bytes_, max_bytes_)) {
    bytes_ = max_bytes_ + 1;
    return Line::too_large;
  }
  bytes_ += raw.size();
  std::string_view const line = strip_terminator(raw);
  if (!in_block_) {
    if (line.empty()) return Line::ignored;  // stray blank line between blocks
    in_block_ = true;
    lines_.clear();
    return Line::status;
  }
  if (trim_blanks(line).empty()) {
    in_block_ = false;
    return Line::end_of_block;
  }
  if (is_blank(line.front())) {
    // An obsolete folded line continues the previous header (RFC 9110 5.5 allows a space for it).
    if (lines_.empty()) return Line::ignored;
    std::string& value = lines_.back().second;
    std::string_view const more = trim_blanks(line);
    if (!value.empty()) value += ' ';
    value.append(more.data(), more.size());
    return Line::header;
  }
  auto const colon = line.find(':');
  if (colon == std::string_view::npos) return Line::ignored;
  std::string_view const name = line.substr(0, colon);
  if (!is_token(name)) return Line::ignored;
  lines_.emplace_back(std::string(name), std::string(trim_blanks(line.substr(colon + 1))));
  return Line::header;
}

Headers HeaderBlockParser::take_block() {
  Headers headers;
  for (auto& [name, value] : lines_) headers.add(std::move(name), std::move(value));
  lines_.clear();
  in_block_ = false;
  return headers;
}

void HeaderBlockParser::discard_block() {
  lines_.clear();
  in_block_ = false;
}

}  // namespace smarter::http::detail

#include "fake_files_multipart.hpp"

#include <algorithm>
#include <cctype>
#include <utility>
#include <vector>
#include "ascii.hpp"

namespace smarter::testkit::detail {

namespace {

constexpr std::size_t kMaxHeaderBlock = 16 * 1024;

// Undoes the browser-style escaping of quoted Content-Disposition values. Only the exact
// sequences the WHATWG multipart/form-data parser replaces (and the SDK writes) are decoded:
// `%22`, `%0D`, `%0A`, upper-case. A lower-case `%0a` is text the sender did not escape.
std::string unescape_disposition(std::string_view value) {
  std::string out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    std::string_view rest = value.substr(i);
    if (rest.size() >= 3 && rest[0] == '%') {
      std::string_view const code = rest.substr(1, 2);
      if (code == "22") { out += '"'; i += 2; continue; }
      if (code == "0D") { out += '\r'; i += 2; continue; }
      if (code == "0A") { out += '\n'; i += 2; continue; }
    }
    if (rest[0] == '\\' && rest.size() >= 2) {
      out += rest[1];
      ++i;
      continue;
    }
    out += rest[0];
  }
  return out;
}

// Splits `form-data; name="a"; filename="b"` into lower-cased keys and unquoted values.
std::vector<std::pair<std::string, std::string>> disposition_params(std::string_view value) {
  std::vector<std::pair<std::string, std::string>> params;
  std::size_t i = value.find(';');
  while (i != std::string_view::npos && i < value.size()) {
    ++i;
    while (i < value.size() && value[i] == ' ') ++i;
    std::size_t eq = value.find('=', i);
    if (eq == std::string_view::npos) break;
    std::string key = smarter::detail::to_lower(smarter::detail::trim(value.substr(i, eq - i)));
    std::size_t pos = eq + 1;
    std::string raw;
    if (pos < value.size() && value[pos] == '"') {
      std::size_t close = pos + 1;
      while (close < value.size() && value[close] != '"') close += (value[close] == '\\') ? 2 : 1;
      if (close >= value.size()) throw MultipartParseError("unterminated quoted parameter");
      raw = unescape_disposition(value.substr(pos + 1, close - pos - 1));
      i = value.find(';', close);
    } else {
      std::size_t end = value.find(';', pos);
      raw = std::string(smarter::detail::trim(value.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos)));
      i = end;
    }
    params.emplace_back(std::move(key), std::move(raw));
  }
  return params;
}

}  // namespace

std::optional<std::string> boundary_from_content_type(std::string_view content_type) {
  std::string lowered = smarter::detail::to_lower(content_type);
  if (lowered.rfind("multipart/form-data", 0) != 0) return std::nullopt;
  std::size_t at = lowered.find("boundary=");
  if (at == std::string::npos) return std::nullopt;
  std::string_view value = content_type.substr(at + 9);
  value = value.substr(0, value.find(';'));
  value = smarter::detail::trim(value);
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
  if (value.empty()) return std::nullopt;
  return std::string(value);
}

MultipartStreamParser::MultipartStreamParser(std::string boundary, Callbacks callbacks)
    : delimiter_("\r\n--" + boundary), callbacks_(std::move(callbacks)), buffer_("\r\n") {
  // The leading CRLF makes the first boundary look like every later one.
}

void MultipartStreamParser::feed(char const* data, std::size_t size) {
  if (state_ == State::end) return;  // The epilogue is ignored.
  buffer_.append(data, size);
  run();
}

void MultipartStreamParser::finish() const {
  if (state_ != State::end) throw MultipartParseError("the body ended before the closing boundary");
}

void MultipartStreamParser::run() {
  // Each pass consumes input or returns for more; the buffer shrinks or we stop.
  while (state_ != State::end) {
    switch (state_) {
      case State::preamble: {
        std::size_t at = buffer_.find(delimiter_);
        if (at == std::string::npos) {
          if (buffer_.size() > delimiter_.size()) buffer_.erase(0, buffer_.size() - delimiter_.size());
          return;
        }
        buffer_.erase(0, at + delimiter_.size());
        state_ = State::after_boundary;
        break;
      }
      case State::after_boundary: {
        // Transport padding (spaces, tabs) may follow a boundary before its CRLF.
        std::size_t skip = 0;
        while (skip < buffer_.size() && (buffer_[skip] == ' ' || buffer_[skip] == '\t')) ++skip;
        if (buffer_.size() < skip + 2) return;
        if (buffer_.compare(skip, 2, "--") == 0) {
          buffer_.clear();
          state_ = State::end;
          return;
        }
        if (buffer_.compare(skip, 2, "\r\n") != 0) throw MultipartParseError("garbage after a boundary");
        buffer_.erase(0, skip + 2);
        state_ = State::headers;
        break;
      }
      case State::headers: {
        if (buffer_.size() < 2) return;
        if (buffer_.compare(0, 2, "\r\n") == 0) throw MultipartParseError("part without headers");
        std::size_t at = buffer_.find("\r\n\r\n");
        if (at == std::string::npos) {
          if (buffer_.size() > kMaxHeaderBlock) throw MultipartParseError("part headers too long");
          return;
        }
        parse_headers(std::string_view(buffer_).substr(0, at));
        buffer_.erase(0, at + 4);
        state_ = State::body;
        break;
      }
      case State::body: {
        std::size_t at = buffer_.find(delimiter_);
        if (at == std::string::npos) {
          // Keep a tail that could be the start of a delimiter split across pieces.
          std::size_t keep = std::min(buffer_.size(), delimiter_.size() - 1);
          std::size_t emit = buffer_.size() - keep;
          if (emit > 0 && callbacks_.on_part_data) callbacks_.on_part_data(buffer_.data(), emit);
          buffer_.erase(0, emit);
          return;
        }
        if (at > 0 && callbacks_.on_part_data) callbacks_.on_part_data(buffer_.data(), at);
        if (callbacks_.on_part_end) callbacks_.on_part_end();
        buffer_.erase(0, at + delimiter_.size());
        state_ = State::after_boundary;
        break;
      }
      case State::end:
        return;
    }
  }
}

void MultipartStreamParser::parse_headers(std::string_view block) {
  FormPartInfo info;
  bool has_disposition = false;
  std::size_t start = 0;
  while (start < block.size()) {
    std::size_t end = block.find("\r\n", start);
    if (end == std::string_view::npos) end = block.size();
    std::string_view line = block.substr(start, end - start);
    start = end + 2;
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) throw MultipartParseError("malformed part header");
    std::string name = smarter::detail::to_lower(smarter::detail::trim(line.substr(0, colon)));
    std::string_view value = smarter::detail::trim(line.substr(colon + 1));
    if (name == "content-disposition") {
      if (smarter::detail::to_lower(value).rfind("form-data", 0) != 0) throw MultipartParseError("part is not form-data");
      has_disposition = true;
      for (auto& [key, param] : disposition_params(value)) {
        if (key == "name") info.name = std::move(param);
        if (key == "filename") info.filename = std::move(param);
      }
    } else if (name == "content-type") {
      info.content_type = std::string(value);
    }
  }
  if (!has_disposition) throw MultipartParseError("part without Content-Disposition");
  if (callbacks_.on_part_begin) callbacks_.on_part_begin(info);
}

}  // namespace smarter::testkit::detail

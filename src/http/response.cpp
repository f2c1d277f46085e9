// In-memory response bodies and whole-body reads.
#include <smarter/http/response.hpp>

#include <algorithm>
#include <cstring>
#include <string>

#include <smarter/errors.hpp>

namespace smarter::http {

ResponseBody::~ResponseBody() = default;

StringBody::StringBody(std::string text) : text_(std::move(text)) {}

std::size_t StringBody::read(char* buffer, std::size_t max) {
  std::size_t const n = std::min(max, text_.size() - offset_);
  if (n > 0) {
    std::memcpy(buffer, text_.data() + offset_, n);
    offset_ += n;
  }
  return n;
}

void StringBody::close() noexcept {
  offset_ = text_.size();
}

std::string HttpResponse::read_all(std::size_t limit) {
  std::string out;
  if (!body) {
    return out;
  }
  constexpr std::size_t kChunk = 64 * 1024;
  char chunk[kChunk];
  for (;;) {
    std::size_t const n = body->read(chunk, kChunk);
    if (n == 0) {
      break;
    }
    if (n > limit - out.size()) {
      body->close();
      throw SmarterError("Response body is larger than the limit of " + std::to_string(limit) +
                         " bytes");
    }
    out.append(chunk, n);
  }
  return out;
}

}  // namespace smarter::http

#include <smarter/detail/multipart.hpp>

#include <smarter/errors.hpp>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <optional>
#include <random>
#include <stdexcept>
#include <system_error>
#include <utility>

namespace smarter::detail {

namespace {

constexpr std::size_t kMaxBoundaryLength = 70;  // RFC 2046 section 5.1.1.

bool is_boundary_char(char c) {
  // RFC 2046 bchars without the space (a trailing space would be stripped by some parsers).
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return std::strchr("'()+_,-./:=?", c) != nullptr && c != '\0';
}

// Header values must not be able to start a new header line.
std::string without_line_breaks(std::string value) {
  value.erase(std::remove_if(value.begin(), value.end(), [](char c) { return c == '\r' || c == '\n'; }),
              value.end());
  return value;
}

std::string disposition(std::string const& name) {
  return "Content-Disposition: form-data; name=\"" + escape_disposition_value(name) + "\"";
}

// One piece of the body: literal text, or the content of a file part.
struct Segment {
  std::string text;
  std::shared_ptr<FileInput const> file;
  std::optional<std::uint64_t> size;  // For file segments: fixed when the body is created.
};

// Reads the body segment by segment. File content is pulled straight into the transport's buffer.
class MultipartBody final : public http::BodySource {
 public:
  explicit MultipartBody(std::vector<Segment> segments) : segments_(std::move(segments)) {
    std::optional<std::uint64_t> total = 0;
    for (auto const& segment : segments_) {
      std::optional<std::uint64_t> size = segment.file ? segment.size : segment.text.size();
      // One part of unknown size (a stream without a size) makes the whole body chunked.
      total = (total && size) ? std::optional<std::uint64_t>(*total + *size) : std::nullopt;
      bool is_stream = segment.file && segment.file->kind() == FileInput::Kind::stream;
      // Remember where each stream starts so a retry can send the same bytes again.
      stream_starts_.push_back(is_stream ? segment.file->stream()->tellg() : std::streampos(-1));
    }
    total_ = total;
  }

  std::optional<std::uint64_t> size() const override { return total_; }

  std::size_t read(char* buffer, std::size_t max) override {
    std::size_t written = 0;
    // Bounded: each pass either fills the buffer, or finishes the current segment.
    while (written < max && index_ < segments_.size()) {
      Segment const& segment = segments_[index_];
      std::size_t got = segment.file ? read_file(segment, buffer + written, max - written)
                                     : read_text(segment, buffer + written, max - written);
      if (got == 0) {
        next_segment();
        continue;
      }
      written += got;
    }
    return written;
  }

  bool rewind() override {
    for (std::size_t i = 0; i < segments_.size(); ++i) {
      auto const& file = segments_[i].file;
      if (!file || file->kind() != FileInput::Kind::stream) continue;
      if (stream_starts_[i] == std::streampos(-1)) return false;
      auto& stream = *file->stream();
      stream.clear();
      stream.seekg(stream_starts_[i]);
      if (!stream) return false;
    }
    index_ = 0;
    offset_ = 0;
    reader_.reset();
    return true;
  }

 private:
  std::size_t read_text(Segment const& segment, char* out, std::size_t max) {
    std::size_t n = std::min<std::size_t>(max, segment.text.size() - static_cast<std::size_t>(offset_));
    std::memcpy(out, segment.text.data() + offset_, n);
    offset_ += n;
    return n;
  }

  std::size_t read_file(Segment const& segment, char* out, std::size_t max) {
    FileInput const& file = *segment.file;
    if (segment.size && offset_ >= *segment.size) return 0;
    std::size_t want = max;
    if (segment.size) want = static_cast<std::size_t>(std::min<std::uint64_t>(want, *segment.size - offset_));
    std::size_t got = 0;
    switch (file.kind()) {
      case FileInput::Kind::bytes:
        std::memcpy(out, file.bytes().data() + offset_, want);
        got = want;
        break;
      case FileInput::Kind::path: {
        if (!reader_) {
          reader_ = std::make_unique<std::ifstream>(file.path(), std::ios::binary);
          if (!*reader_) {
            throw FileInputError("Cannot upload '" + file.path().string() + "': the file cannot be opened",
                                 file.path());
          }
        }
        reader_->read(out, static_cast<std::streamsize>(want));
        got = static_cast<std::size_t>(reader_->gcount());
        if (got == 0) {
          // The size was announced as Content-Length: sending less would hang or corrupt the upload.
          throw FileInputError("Cannot upload '" + file.path().string() +
                                   "': the file became shorter while it was being sent",
                               file.path());
        }
        break;
      }
      case FileInput::Kind::stream: {
        auto& stream = *file.stream();
        stream.read(out, static_cast<std::streamsize>(want));
        got = static_cast<std::size_t>(stream.gcount());
        if (got == 0 && segment.size) {
          throw FileInputError("Cannot upload stream '" + file.filename() +
                                   "': it ended before its announced size",
                               {});
        }
        if (got == 0 && stream.bad()) {
          throw FileInputError("Cannot upload stream '" + file.filename() + "': read error", {});
        }
        break;
      }
    }
    offset_ += got;
    return got;
  }

  void next_segment() {
    ++index_;
    offset_ = 0;
    reader_.reset();
  }

  std::vector<Segment> segments_;
  std::vector<std::streampos> stream_starts_;
  std::optional<std::uint64_t> total_;
  std::size_t index_ = 0;
  std::uint64_t offset_ = 0;
  std::unique_ptr<std::ifstream> reader_;
};

}  // namespace

std::string make_multipart_boundary() {
  static constexpr char kHex[] = "0123456789abcdef";
  std::random_device device;
  std::string boundary = "smarter-boundary-";
  for (int i = 0; i < 32; ++i) boundary += kHex[device() & 0xf];
  return boundary;
}

std::string escape_disposition_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '"': out += "%22"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      // A lone backslash would escape the closing quote for RFC 9110 readers (Python, Go,
      // Django): a quoted-pair keeps the value's bytes and the quoted-string well-formed.
      case '\\': out += "\\\\"; break;
      default: out += c;
    }
  }
  return out;
}

MultipartForm::MultipartForm() : boundary_(make_multipart_boundary()) {}

MultipartForm::MultipartForm(std::string boundary) : boundary_(std::move(boundary)) {
  if (boundary_.empty() || boundary_.size() > kMaxBoundaryLength ||
      !std::all_of(boundary_.begin(), boundary_.end(), is_boundary_char)) {
    throw SmarterError("invalid multipart boundary: '" + boundary_ + "'");
  }
}

void MultipartForm::add_field(std::string const& name, std::string value) {
  Part part;
  part.header = disposition(name) + "\r\n\r\n";
  part.value = std::move(value);
  parts_.push_back(std::move(part));
}

void MultipartForm::add_bool(std::string const& name, bool value) { add_field(name, value ? "true" : "false"); }

void MultipartForm::add_json(std::string const& name, nlohmann::json const& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded:
      return;
    case nlohmann::json::value_t::object:
      for (auto const& [key, item] : value.items()) add_json(name + "[" + key + "]", item);
      return;
    case nlohmann::json::value_t::array:
      for (auto const& item : value) add_json(name + "[]", item);
      return;
    case nlohmann::json::value_t::string:
      add_field(name, value.get<std::string>());
      return;
    case nlohmann::json::value_t::boolean:
      add_bool(name, value.get<bool>());
      return;
    default:
      add_field(name, value.dump());
      return;
  }
}

void MultipartForm::add_file(std::string const& name, FileInput file) {
  std::string filename = file.filename().empty() ? std::string("upload") : file.filename();
  std::string media_type = without_line_breaks(file.media_type());
  if (media_type.empty()) media_type = "application/octet-stream";
  Part part;
  part.header = disposition(name) + "; filename=\"" + escape_disposition_value(filename) + "\"\r\n" +
                "Content-Type: " + media_type + "\r\n\r\n";
  part.is_file = true;
  part.file = std::make_shared<FileInput const>(std::move(file));
  parts_.push_back(std::move(part));
}

std::string MultipartForm::content_type() const { return "multipart/form-data; boundary=" + boundary_; }

std::shared_ptr<http::BodySource> MultipartForm::body() const {
  std::vector<Segment> segments;
  std::string pending;  // Literal text not yet stored, so adjacent text joins into one segment.
  for (auto const& part : parts_) {
    pending += "--" + boundary_ + "\r\n" + part.header;
    if (!part.is_file) {
      pending += part.value;
    } else {
      segments.push_back(Segment{std::move(pending), nullptr, std::nullopt});
      pending.clear();
      Segment content;
      content.file = part.file;
      content.size = part.file->size();
      if (part.file->kind() == FileInput::Kind::path) {
        // The file may have changed since from_path: announce what is there now.
        std::error_code ec;
        auto now = std::filesystem::file_size(part.file->path(), ec);
        if (ec) {
          throw FileInputError("Cannot upload '" + part.file->path().string() + "': " + ec.message(),
                               part.file->path());
        }
        content.size = now;
      }
      segments.push_back(std::move(content));
    }
    pending += "\r\n";
  }
  pending += "--" + boundary_ + "--\r\n";
  segments.push_back(Segment{std::move(pending), nullptr, std::nullopt});
  return std::make_shared<MultipartBody>(std::move(segments));
}

std::string MultipartForm::encode() const {
  auto source = body();
  std::string out;
  char buffer[16 * 1024];
  std::size_t n = 0;
  while ((n = source->read(buffer, sizeof buffer)) > 0) out.append(buffer, n);
  return out;
}

}  // namespace smarter::detail

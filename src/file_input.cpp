#include <smarter/file_input.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <system_error>
#include <utility>
#include "ascii.hpp"

namespace smarter {

FileInputError::FileInputError(std::string const& message, std::filesystem::path path)
    : SmarterError(message), path_(std::move(path)) {}

namespace {

struct MediaTypeEntry {
  char const* extension;
  char const* media_type;
};

// The formats the Files API is used with most; anything else is sent as opaque bytes.
constexpr std::array<MediaTypeEntry, 14> kMediaTypes{{
    {".jsonl", "application/jsonl"},
    {".json", "application/json"},
    {".txt", "text/plain"},
    {".md", "text/markdown"},
    {".csv", "text/csv"},
    {".html", "text/html"},
    {".pdf", "application/pdf"},
    {".yaml", "application/yaml"},
    {".yml", "application/yaml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".gif", "image/gif"},
    {".webp", "image/webp"},
}};

constexpr char const* kOctetStream = "application/octet-stream";

std::string const& empty_string() {
  static std::string const kEmpty;
  return kEmpty;
}

}  // namespace

std::string FileInput::guess_media_type(std::string const& filename) {
  auto dot = filename.find_last_of('.');
  if (dot == std::string::npos) return kOctetStream;
  std::string extension = detail::to_lower(filename.substr(dot));
  for (auto const& entry : kMediaTypes) {
    if (extension == entry.extension) return entry.media_type;
  }
  return kOctetStream;
}

FileInput FileInput::from_path(std::filesystem::path const& path, std::optional<std::string> filename,
                               std::optional<std::string> media_type) {
  std::error_code ec;
  auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    throw FileInputError("Cannot upload '" + path.string() + "': no such file", path);
  }
  if (!std::filesystem::is_regular_file(status)) {
    throw FileInputError("Cannot upload '" + path.string() + "': not a regular file", path);
  }
  auto size = std::filesystem::file_size(path, ec);
  if (ec) {
    throw FileInputError("Cannot upload '" + path.string() + "': " + ec.message(), path);
  }
  // Opening now turns a permission problem into an error here rather than mid-request.
  std::ifstream probe(path, std::ios::binary);
  if (!probe) {
    throw FileInputError("Cannot upload '" + path.string() + "': the file cannot be opened for reading",
                         path);
  }
  FileInput input;
  input.kind_ = Kind::path;
  input.path_ = path;
  input.size_ = size;
  input.filename_ = filename ? std::move(*filename) : path.filename().string();
  if (input.filename_.empty()) input.filename_ = "upload";
  input.media_type_ = media_type ? std::move(*media_type) : guess_media_type(input.filename_);
  return input;
}

FileInput FileInput::from_bytes(std::string bytes, std::string filename,
                                std::optional<std::string> media_type) {
  FileInput input;
  input.kind_ = Kind::bytes;
  input.size_ = bytes.size();
  input.bytes_ = std::make_shared<std::string const>(std::move(bytes));
  input.filename_ = filename.empty() ? "upload" : std::move(filename);
  input.media_type_ = media_type ? std::move(*media_type) : guess_media_type(input.filename_);
  return input;
}

FileInput FileInput::from_contents(std::string filename, std::string contents,
                                   std::optional<std::string> media_type) {
  return from_bytes(std::move(contents), std::move(filename), std::move(media_type));
}

FileInput FileInput::from_stream(std::shared_ptr<std::istream> stream, std::string filename,
                                 std::optional<std::string> media_type, std::optional<std::uint64_t> size) {
  if (!stream) throw FileInputError("Cannot upload from a null stream", {});
  FileInput input;
  input.kind_ = Kind::stream;
  input.stream_ = std::move(stream);
  input.size_ = size;
  input.filename_ = filename.empty() ? "upload" : std::move(filename);
  input.media_type_ = media_type ? std::move(*media_type) : guess_media_type(input.filename_);
  return input;
}

std::string const& FileInput::bytes() const noexcept { return bytes_ ? *bytes_ : empty_string(); }

FileInput FileInput::with_filename(std::string filename) const {
  FileInput copy = *this;
  copy.filename_ = std::move(filename);
  return copy;
}

FileInput FileInput::with_media_type(std::string media_type) const {
  FileInput copy = *this;
  copy.media_type_ = std::move(media_type);
  return copy;
}

}  // namespace smarter

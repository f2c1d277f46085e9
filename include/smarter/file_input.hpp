// A file to upload: bytes in memory, a path on disk, or a stream, with its filename and media type.
#pragma once

#include <cstdint>
#include <filesystem>
#include <istream>
#include <memory>
#include <optional>
#include <string>

#include <smarter/errors.hpp>
#include <smarter/export.hpp>

namespace smarter {

/// A local file could not be used: an upload that is missing, unreadable, not a regular file or
/// changed size while being sent (raised before any request when possible), or a download
/// target that cannot be written.
class SMARTER_API FileInputError : public SmarterError {
 public:
  /// `path` is the offending file (empty for in-memory inputs); `message` says what is wrong.
  FileInputError(std::string const& message, std::filesystem::path path);
  /// The file the error is about.
  std::filesystem::path const& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

/// The content of one file part of an upload. Cheap to copy: copies share in-memory bytes and
/// streams. A path is read piece by piece while sending, never whole into memory.
///
/// ```cpp
/// auto a = smarter::FileInput::from_path("input.jsonl");            // application/jsonl
/// auto b = smarter::FileInput::from_bytes(data);                      // filename "upload"
/// auto c = smarter::FileInput::from_contents("x.txt", "hi", "text/plain");
/// ```
class SMARTER_API FileInput {
 public:
  /// Where the bytes come from.
  enum class Kind {
    bytes,   ///< In memory.
    path,    ///< A file on disk, opened when sent.
    stream,  ///< A caller-supplied std::istream.
  };

  /// An empty in-memory file named "upload" (application/octet-stream), to be replaced by one of
  /// the factories below; it lets a params struct be filled field by field.
  FileInput() = default;

  /// A file on disk. The filename defaults to the path's last component and the media type to
  /// one guessed from the extension. Throws FileInputError (naming the path) when the file does
  /// not exist, is not a regular file or cannot be opened for reading.
  static FileInput from_path(std::filesystem::path const& path,
                             std::optional<std::string> filename = std::nullopt,
                             std::optional<std::string> media_type = std::nullopt);

  /// Raw bytes. Without a filename the part is sent as `filename="upload"`; the media type
  /// defaults to one guessed from the filename, else application/octet-stream.
  static FileInput from_bytes(std::string bytes, std::string filename = "upload",
                              std::optional<std::string> media_type = std::nullopt);

  /// A `(filename, contents, media type)` triple, as the OpenAI SDKs accept one.
  static FileInput from_contents(std::string filename, std::string contents,
                                 std::optional<std::string> media_type = std::nullopt);

  /// A stream read from its current position to its end. With `size` the upload has a
  /// Content-Length, otherwise it is sent chunked. A seekable stream can be re-sent on retry.
  static FileInput from_stream(std::shared_ptr<std::istream> stream, std::string filename = "upload",
                               std::optional<std::string> media_type = std::nullopt,
                               std::optional<std::uint64_t> size = std::nullopt);

  /// Where the bytes come from.
  Kind kind() const noexcept { return kind_; }
  /// The filename sent in the part's Content-Disposition.
  std::string const& filename() const noexcept { return filename_; }
  /// The part's Content-Type.
  std::string const& media_type() const noexcept { return media_type_; }
  /// Size in bytes when known (for a path: its size when from_path was called).
  std::optional<std::uint64_t> size() const noexcept { return size_; }
  /// The path, for Kind::path inputs (empty otherwise).
  std::filesystem::path const& path() const noexcept { return path_; }
  /// The bytes, for Kind::bytes inputs (empty otherwise).
  std::string const& bytes() const noexcept;
  /// The stream, for Kind::stream inputs (null otherwise).
  std::shared_ptr<std::istream> const& stream() const noexcept { return stream_; }

  /// A copy with another filename.
  FileInput with_filename(std::string filename) const;
  /// A copy with another media type.
  FileInput with_media_type(std::string media_type) const;

  /// The media type guessed from a filename's extension (`.jsonl` -> application/jsonl, `.json`
  /// -> application/json, `.txt` -> text/plain, ...), application/octet-stream when unknown.
  static std::string guess_media_type(std::string const& filename);

 private:
  Kind kind_ = Kind::bytes;
  std::string filename_ = "upload";
  std::string media_type_ = "application/octet-stream";
  std::optional<std::uint64_t> size_;
  std::filesystem::path path_;
  std::shared_ptr<std::string const> bytes_;
  std::shared_ptr<std::istream> stream_;
};

}  // namespace smarter

// The OpenAI-shaped Files API: upload, list, retrieve, delete and download files.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include <smarter/detail/client_core.hpp>
#include <smarter/export.hpp>
#include <smarter/file_input.hpp>
#include <smarter/options.hpp>
#include <smarter/pagination.hpp>
#include <smarter/types/files.hpp>

namespace smarter {

namespace resources {

/// `client.files()`: the OpenAI-shaped Files API. Cheap to copy; holds a share of the client.
class SMARTER_API Files {
 public:
  /// A namespace bound to a client's request machinery.
  explicit Files(std::shared_ptr<detail::ClientCore const> core);

  /// Uploads a file (POST files, multipart/form-data). A path input is streamed from disk and
  /// re-sent whole on a retry; `options.on_progress` reports the bytes sent. A file that cannot
  /// be read raises FileInputError before any request is made.
  FileObject create(FileCreateParams const& params, RequestOptions const& options = {}) const;

  /// Lists files, newest first unless `order` says otherwise. Range-for over the result walks
  /// every file of every page, fetching pages as needed.
  CursorPage<FileObject> list(FileListParams const& params = {}, RequestOptions const& options = {}) const;

  /// Returns one file's metadata. An empty id raises SmarterError before any request.
  FileObject retrieve(std::string const& file_id, RequestOptions const& options = {}) const;

  /// Deletes a file (DELETE files/{id}; no request body).
  FileDeleted remove(std::string const& file_id, RequestOptions const& options = {}) const;

  /// Downloads a file's content into memory. Meant for small files: use content_to_path or
  /// content_to_sink for large ones.
  std::string content(std::string const& file_id, RequestOptions const& options = {}) const;

  /// Streams a file's content to `path` without holding it in memory. The bytes go to a
  /// temporary file beside `path` that replaces `path` only once the download is complete, so a
  /// failed download leaves no truncated file behind.
  FileDownload content_to_path(std::string const& file_id, std::filesystem::path const& path,
                               RequestOptions const& options = {}) const;

  /// Streams a file's content to `sink` chunk by chunk as it arrives. An exception thrown by the
  /// sink stops the download (the connection is closed) and propagates.
  FileDownload content_to_sink(std::string const& file_id, ByteSink const& sink,
                               RequestOptions const& options = {}) const;

 private:
  std::shared_ptr<detail::ClientCore const> core_;
};

}  // namespace resources
}  // namespace smarter

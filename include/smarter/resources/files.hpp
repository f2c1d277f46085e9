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

/// When an uploaded file expires (OpenAI's `expires_after`).
struct FileExpiresAfter {
  std::string anchor = "created_at";  ///< What the expiry counts from; the API knows "created_at".
  std::int64_t seconds = 0;           ///< Seconds after the anchor (the API allows 3600 to 2592000).
};

/// Parameters of `files().create`: multipart parts `file` and `purpose` (plus `expires_after`).
struct FileCreateParams {
  /// The file to upload. A path is streamed from disk, never read whole into memory.
  FileInput file;
  /// What the file is for: "assistants", "batch", "fine-tune", "vision", "user_data", "evals".
  std::string purpose;
  /// Optional expiry policy; not sent when unset.
  std::optional<FileExpiresAfter> expires_after;
  /// More form fields not modelled here, encoded like the others (`a[b]`, `key[]`, true/false).
  nlohmann::json extra_fields = nlohmann::json::object();
};

/// Parameters of `files().list`. Unset fields are not sent.
struct FileListParams {
  std::optional<std::string> purpose;  ///< Only files with this purpose.
  std::optional<int> limit;            ///< Page size (the API allows 1 to 10000).
  std::optional<std::string> after;    ///< Cursor: the id of the file before the first one wanted.
  std::optional<std::string> order;    ///< "asc" or "desc" by created_at.
};

/// What a streamed download delivered.
struct FileDownload {
  std::uint64_t bytes = 0;                 ///< Bytes written to the path or sink.
  std::optional<std::string> request_id;   ///< The response's `x-request-id`.
  std::string content_type;                ///< The response's Content-Type, as sent.
};

/// Receives a download piece by piece; called with each chunk as it arrives.
using ByteSink = std::function<void(char const* data, std::size_t size)>;

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

// Models of the OpenAI-shaped Files API.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include <smarter/detail/codec.hpp>
#include <smarter/export.hpp>
#include <smarter/file_input.hpp>
#include <smarter/model.hpp>

namespace smarter {

/// An uploaded file (OpenAI's `OpenAIFile`). Fields the server leaves out stay unset; fields this
/// SDK does not model are still reachable through Model::field().
struct SMARTER_API FileObject : Model {
  std::string id{};                            ///< The file's id, used in other calls.
  std::string object = "file";               ///< Always "file".
  std::uint64_t bytes = 0;                   ///< Size in bytes.
  std::int64_t created_at = 0;               ///< Unix time (seconds) of the upload.
  std::string filename{};                      ///< Name of the file.
  /// What the file is for: "assistants", "assistants_output", "batch", "batch_output",
  /// "fine-tune", "fine-tune-results", "vision", "user_data" (other values are kept as sent).
  std::string purpose{};
  std::optional<std::int64_t> expires_at{};    ///< Unix time the file expires, when it does.
  /// Deprecated upstream: "uploaded", "processed" or "error" (other values are kept as sent).
  std::optional<std::string> status{};
  std::optional<std::string> status_details{}; ///< Deprecated upstream: why validation failed.
};

/// The answer to deleting a file.
struct SMARTER_API FileDeleted : Model {
  std::string id{};                 ///< The deleted file's id.
  std::string object = "file";    ///< Always "file".
  bool deleted = false;           ///< True when the file is gone.
};

/// Decodes a FileObject. `id`, `bytes`, `created_at`, `filename` and `purpose` are required;
/// a missing one or a wrong type raises DecodeError naming the field.
SMARTER_DECLARE_CODEC(FileObject);
/// Decodes a FileDeleted. `id` and `deleted` are required.
SMARTER_DECLARE_CODEC(FileDeleted);

// ---------------------------------------------------------------- parameters and downloads

/// When an uploaded file expires (OpenAI's `expires_after`).
struct FileExpiresAfter {
  std::string anchor = "created_at";  ///< What the expiry counts from; the API knows "created_at".
  std::int64_t seconds = 0;           ///< Seconds after the anchor (the API allows 3600 to 2592000).
};

/// Parameters of `files().create`: multipart parts `file` and `purpose` (plus `expires_after`).
struct FileCreateParams {
  /// The file to upload. A path is streamed from disk, never read whole into memory.
  FileInput file{};
  /// What the file is for: "assistants", "batch", "fine-tune", "vision", "user_data", "evals".
  std::string purpose{};
  /// Optional expiry policy; not sent when unset.
  std::optional<FileExpiresAfter> expires_after{};
  /// More form fields not modelled here, encoded like the others (`a[b]`, `key[]`, true/false).
  nlohmann::json extra_fields = nlohmann::json::object();
};

/// Parameters of `files().list`. Unset fields are not sent.
struct FileListParams {
  std::optional<std::string> purpose{};  ///< Only files with this purpose.
  std::optional<int> limit{};            ///< Page size (the API allows 1 to 10000).
  std::optional<std::string> after{};    ///< Cursor: the id of the file before the first one wanted.
  std::optional<std::string> order{};    ///< "asc" or "desc" by created_at.
};

/// What a streamed download delivered.
struct FileDownload {
  std::uint64_t bytes = 0;                 ///< Bytes written to the path or sink.
  std::optional<std::string> request_id{};   ///< The response's `x-request-id`.
  std::string content_type{};                ///< The response's Content-Type, as sent.
};

/// Receives a download piece by piece; called with each chunk as it arrives.
using ByteSink = std::function<void(char const* data, std::size_t size)>;

}  // namespace smarter

// Models of the OpenAI-shaped Files API.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include <smarter/export.hpp>
#include <smarter/model.hpp>

namespace smarter {

/// An uploaded file (OpenAI's `OpenAIFile`). Fields the server leaves out stay unset; fields this
/// SDK does not model are still reachable through Model::field().
struct SMARTER_API FileObject : Model {
  std::string id;                            ///< The file's id, used in other calls.
  std::string object = "file";               ///< Always "file".
  std::uint64_t bytes = 0;                   ///< Size in bytes.
  std::int64_t created_at = 0;               ///< Unix time (seconds) of the upload.
  std::string filename;                      ///< Name of the file.
  /// What the file is for: "assistants", "assistants_output", "batch", "batch_output",
  /// "fine-tune", "fine-tune-results", "vision", "user_data" (other values are kept as sent).
  std::string purpose;
  std::optional<std::int64_t> expires_at;    ///< Unix time the file expires, when it does.
  /// Deprecated upstream: "uploaded", "processed" or "error" (other values are kept as sent).
  std::optional<std::string> status;
  std::optional<std::string> status_details; ///< Deprecated upstream: why validation failed.
};

/// The answer to deleting a file.
struct SMARTER_API FileDeleted : Model {
  std::string id;                 ///< The deleted file's id.
  std::string object = "file";    ///< Always "file".
  bool deleted = false;           ///< True when the file is gone.
};

/// Decodes a FileObject. `id`, `bytes`, `created_at`, `filename` and `purpose` are required;
/// a missing one or a wrong type raises DecodeError naming the field.
SMARTER_API void from_json(nlohmann::json const& j, FileObject& out);
/// Decodes a FileDeleted. `id` and `deleted` are required.
SMARTER_API void from_json(nlohmann::json const& j, FileDeleted& out);

}  // namespace smarter

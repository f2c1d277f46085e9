// The Files API on the fake server: uploads kept on disk, listed, retrieved, deleted and
// downloaded back, with their bytes checkable by tests.
//
//   smarter::testkit::FakeServer server;
//   auto files = smarter::testkit::install_files(server);
//   ... client.files().create(...) ...
//   EXPECT_EQ(files->find(id)->sha256, smarter::testkit::sha256_hex(expected));
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <smarter/detail/sha256.hpp>

namespace smarter::testkit {

class FakeServer;

/// Incremental SHA-256 (FIPS 180-4): update(data, size), then hex_digest().
using Sha256 = smarter::detail::Sha256;

/// SHA-256 of `data` as lower-case hex.
std::string sha256_hex(std::string_view data);
/// SHA-256 of a file's bytes as lower-case hex, read in pieces. Throws std::runtime_error when
/// the file cannot be opened.
std::string sha256_file(std::filesystem::path const& path);

/// Incremental 64-bit FNV-1a, a fast non-cryptographic checksum.
class Fnv1a64 {
 public:
  /// Adds bytes.
  void update(char const* data, std::size_t size) noexcept {
    for (std::size_t i = 0; i < size; ++i) {
      hash_ ^= static_cast<unsigned char>(data[i]);
      hash_ *= 0x100000001b3ull;
    }
  }
  /// The checksum so far as 16 lower-case hex digits.
  std::string hex_digest() const;

 private:
  std::uint64_t hash_ = 0xcbf29ce484222325ull;
};

/// FNV-1a (64-bit) of `data` as 16 lower-case hex digits.
std::string fnv1a64_hex(std::string_view data);

/// Settings of the fake Files endpoints.
struct FakeFilesOptions {
  /// Folder for uploaded bytes. Empty: a fresh folder under the system temp directory, removed
  /// with the FakeFiles state.
  std::filesystem::path temp_dir{};
  /// `created_at` of the first file; each later file is one second newer (stable list order).
  std::int64_t first_created_at = 1'700'000'000;
  /// Largest upload accepted (413 above it).
  std::uint64_t max_upload_bytes = std::uint64_t{8} << 30;
};

/// A file held by the fake server.
struct StoredFile {
  std::string id{};                         ///< "file-<n>".
  std::string filename{};                   ///< From the `file` part's filename.
  std::string purpose{};                    ///< From the `purpose` part.
  std::string media_type{};                 ///< The `file` part's Content-Type.
  std::uint64_t bytes = 0;                ///< Size of the stored content.
  std::string sha256{};                     ///< SHA-256 of the stored content, lower-case hex.
  std::int64_t created_at = 0;            ///< Unix seconds.
  std::optional<std::int64_t> expires_at{}; ///< From `expires_after[anchor]`/`[seconds]`.
  std::filesystem::path path{};             ///< Where the content is on disk.
};

/// One POST files request as the server saw it (failed ones included).
struct UploadAttempt {
  int status = 0;                  ///< The status answered.
  std::uint64_t body_bytes = 0;    ///< Request body bytes received.
  /// FNV-1a (64-bit, hex) of the whole request body: cheap enough for GiB uploads, and enough
  /// to tell whether two attempts sent the same bytes.
  std::string body_fnv1a{};
  std::string content_type{};        ///< The request's Content-Type.
  std::vector<std::string> part_names{};  ///< Names of the form parts, in order.
};

/// State of the fake Files endpoints; thread-safe. Returned by install_files.
class FakeFiles {
 public:
  /// Files under `options.temp_dir` (or a fresh temporary folder).
  explicit FakeFiles(FakeFilesOptions options = {});
  /// Removes the stored bytes (the whole folder when it was created for this state).
  ~FakeFiles();
  /// Not copyable: the state owns its folder.
  FakeFiles(FakeFiles const&) = delete;
  /// Not copyable: the state owns its folder.
  FakeFiles& operator=(FakeFiles const&) = delete;

  /// Every stored file, oldest first.
  std::vector<StoredFile> files() const;
  /// A stored file by id.
  std::optional<StoredFile> find(std::string const& id) const;
  /// The stored bytes of a file (tests with small files). Throws std::out_of_range for an unknown id.
  std::string read_bytes(std::string const& id) const;
  /// Stores a file directly, as if it had been uploaded (for list and download tests).
  StoredFile add(std::string const& filename, std::string const& purpose, std::string_view content);
  /// Every upload request seen, in order.
  std::vector<UploadAttempt> upload_attempts() const;
  /// Makes the next `count` uploads read their whole body, then answer `status` with an
  /// OpenAI-shaped error instead of storing the file.
  void fail_next_uploads(int count, int status = 500);
  /// The folder holding the stored bytes.
  std::filesystem::path const& folder() const noexcept { return folder_; }

  // ---- used by the route handlers (and usable without an HTTP server)

  /// The answer to one request: a status, a JSON body, or a file to stream back.
  struct Reply {
    int status = 200;                               ///< HTTP status.
    std::string body{};                             ///< JSON text (when `file` is empty).
    std::filesystem::path file{};                   ///< Content to stream from disk.
    std::uint64_t file_bytes = 0;                   ///< Its size.
    std::string content_type = "application/json";  ///< Content-Type of the answer.
  };
  /// Consumes an upload body piece by piece; `finish` then stores the file and answers.
  class Upload {
   public:
    /// Feeds the next piece of the request body.
    void feed(char const* data, std::size_t size);
    /// Ends the body and answers the request.
    Reply finish();
    /// Discards an upload that was not finished.
    ~Upload();
    /// Not copyable: one upload, one body.
    Upload(Upload const&) = delete;
    /// Not copyable: one upload, one body.
    Upload& operator=(Upload const&) = delete;

   private:
    friend class FakeFiles;
    struct Impl;
    explicit Upload(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
  };
  /// Starts an upload with the request's Content-Type.
  Upload begin_upload(std::string const& content_type);
  /// GET files with query parameters `purpose`, `limit`, `after`, `order`.
  Reply list(std::optional<std::string> purpose, std::optional<std::string> limit,
             std::optional<std::string> after, std::optional<std::string> order) const;
  /// GET files/{id}.
  Reply retrieve(std::string const& id) const;
  /// DELETE files/{id}.
  Reply remove(std::string const& id);
  /// GET files/{id}/content.
  Reply content(std::string const& id) const;
  /// An OpenAI-shaped error reply: {"error": {"message", "type", "param", "code"}}.
  static Reply error(int status, std::string const& message, std::string const& type,
                     std::optional<std::string> param = std::nullopt,
                     std::optional<std::string> code = std::nullopt);

 private:
  std::string file_json(StoredFile const& file) const;
  StoredFile store_locked(StoredFile file);

  FakeFilesOptions options_;
  std::filesystem::path folder_;
  bool owns_folder_ = false;
  mutable std::mutex mutex_;
  std::vector<StoredFile> files_;
  std::vector<UploadAttempt> attempts_;
  std::uint64_t next_id_ = 1;
  int failures_left_ = 0;
  int failure_status_ = 500;
};

/// Adds the Files endpoints (POST/GET files, GET/DELETE files/{id}, GET files/{id}/content) to
/// `server`, under `/`, `/v1/` and the platform's `/api/v1/`. Uploads are parsed as they stream in and
/// written to disk; downloads are streamed from disk. Returns the state for inspection.
std::shared_ptr<FakeFiles> install_files(FakeServer& server, FakeFilesOptions options = {});

}  // namespace smarter::testkit

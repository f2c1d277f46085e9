// State and request handling of the fake Files endpoints (no HTTP here; see fake_files_routes.cpp).
#include <smarter/testkit/fake_files.hpp>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <random>
#include <stdexcept>
#include <system_error>
#include <utility>

#include <nlohmann/json.hpp>

#include "fake_files_multipart.hpp"

namespace smarter::testkit {

namespace {

constexpr std::size_t kMaxFieldBytes = 64 * 1024;
constexpr int kMaxListLimit = 10000;
constexpr char const* kPurposes[] = {"assistants", "batch", "fine-tune", "vision", "user_data", "evals"};

std::filesystem::path fresh_temp_folder() {
  std::random_device device;
  auto base = std::filesystem::temp_directory_path();
  // Bounded: a clash needs two equal 64-bit random names in a row.
  for (int attempt = 0; attempt < 16; ++attempt) {
    auto candidate = base / ("smarter-fake-files-" + std::to_string(device()) + std::to_string(device()));
    if (std::filesystem::create_directory(candidate)) return candidate;
  }
  throw std::runtime_error("cannot create a temporary folder for the fake Files endpoints");
}

bool parse_int(std::string const& text, long long& out) {
  if (text.empty() || text.size() > 18) return false;
  std::size_t i = (text[0] == '-') ? 1 : 0;
  if (i == text.size()) return false;
  for (std::size_t j = i; j < text.size(); ++j)
    if (text[j] < '0' || text[j] > '9') return false;
  out = std::stoll(text);
  return true;
}

}  // namespace

// ---------------------------------------------------------------- uploads

struct FakeFiles::Upload::Impl {
  FakeFiles* owner = nullptr;
  std::string content_type;
  std::optional<detail::MultipartStreamParser> parser;
  std::string parse_error;
  Fnv1a64 body_hash;
  std::uint64_t body_bytes = 0;
  std::vector<std::string> part_names;
  std::vector<std::pair<std::string, std::string>> fields;
  // The part being received.
  std::string current_name;
  bool current_is_file = false;
  bool too_large = false;
  // The `file` part, written to disk as it arrives.
  bool has_file = false;
  int file_parts = 0;
  std::filesystem::path temp_path;
  std::ofstream out;
  Sha256 file_hash;
  std::uint64_t file_bytes = 0;
  std::string filename;
  std::string media_type;

  ~Impl() {
    if (out.is_open()) out.close();
    if (!temp_path.empty()) {
      std::error_code ec;
      std::filesystem::remove(temp_path, ec);
    }
  }

  void begin_part(detail::FormPartInfo const& info) {
    part_names.push_back(info.name);
    current_name = info.name;
    current_is_file = (info.name == "file");
    if (!current_is_file) {
      fields.emplace_back(info.name, std::string());
      return;
    }
    ++file_parts;
    if (file_parts > 1) return;  // Reported at the end; extra file parts are not stored.
    has_file = true;
    filename = info.filename.value_or("");
    media_type = info.content_type.value_or("");
    out.open(temp_path, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + temp_path.string());
  }

  void part_data(char const* data, std::size_t size) {
    if (!current_is_file) {
      auto& value = fields.back().second;
      if (value.size() + size > kMaxFieldBytes) throw detail::MultipartParseError("form field too long");
      value.append(data, size);
      return;
    }
    if (file_parts > 1 || too_large) return;
    file_bytes += size;
    if (file_bytes > owner->options_.max_upload_bytes) {
      too_large = true;
      return;
    }
    file_hash.update(data, size);
    out.write(data, static_cast<std::streamsize>(size));
  }

  std::optional<std::string> field(std::string const& name) const {
    for (auto const& [key, value] : fields)
      if (key == name) return value;
    return std::nullopt;
  }
};

FakeFiles::Upload::Upload(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FakeFiles::Upload::~Upload() = default;

void FakeFiles::Upload::feed(char const* data, std::size_t size) {
  Impl& u = *impl_;
  u.body_hash.update(data, size);
  u.body_bytes += size;
  if (!u.parser || !u.parse_error.empty()) return;
  try {
    u.parser->feed(data, size);
  } catch (std::exception const& e) {
    // Keep reading (and hashing) the rest of the body; the error is answered at the end.
    u.parse_error = e.what();
  }
}

FakeFiles::Reply FakeFiles::Upload::finish() {
  Impl& u = *impl_;
  FakeFiles& files = *u.owner;
  if (u.out.is_open()) u.out.close();
  UploadAttempt attempt;
  attempt.body_bytes = u.body_bytes;
  attempt.body_fnv1a = u.body_hash.hex_digest();
  attempt.content_type = u.content_type;
  attempt.part_names = u.part_names;

  Reply reply;
  if (!u.parser) {
    reply = error(400, "Expected a multipart/form-data body with a boundary", "invalid_request_error");
  } else if (!u.parse_error.empty() || !u.parser->done()) {
    std::string why = u.parse_error.empty() ? "the body ended before the closing boundary" : u.parse_error;
    reply = error(400, "Malformed multipart body: " + why, "invalid_request_error");
  }
  std::lock_guard<std::mutex> lock(files.mutex_);
  if (reply.status == 200 && files.failures_left_ > 0) {
    --files.failures_left_;
    reply = error(files.failure_status_, "The server had an error while processing your request.", "server_error");
  }
  if (reply.status == 200) {
    auto purpose = u.field("purpose");
    auto anchor = u.field("expires_after[anchor]");
    auto seconds_text = u.field("expires_after[seconds]");
    long long seconds = 0;
    if (!u.has_file) {
      reply = error(400, "Missing required parameter: 'file'.", "invalid_request_error", "file");
    } else if (u.file_parts > 1) {
      reply = error(400, "Expected exactly one 'file' part.", "invalid_request_error", "file");
    } else if (u.too_large) {
      reply = error(413, "File is larger than the limit of this server.", "invalid_request_error", "file");
    } else if (u.filename.empty()) {
      reply = error(400, "The 'file' part has no filename.", "invalid_request_error", "file");
    } else if (!purpose) {
      reply = error(400, "Missing required parameter: 'purpose'.", "invalid_request_error", "purpose");
    } else if (std::find(std::begin(kPurposes), std::end(kPurposes), *purpose) == std::end(kPurposes)) {
      reply = error(400, "Invalid value for 'purpose': '" + *purpose + "'.", "invalid_request_error", "purpose");
    } else if ((anchor || seconds_text) &&
               (anchor.value_or("") != "created_at" || !parse_int(seconds_text.value_or(""), seconds) ||
                seconds < 3600 || seconds > 2592000)) {
      reply = error(400, "Invalid 'expires_after': anchor must be 'created_at' and seconds 3600..2592000.",
                    "invalid_request_error", "expires_after");
    } else {
      StoredFile file;
      file.filename = u.filename;
      file.purpose = *purpose;
      file.media_type = u.media_type;
      file.bytes = u.file_bytes;
      file.sha256 = u.file_hash.hex_digest();
      if (anchor) file.expires_at = seconds;  // Made absolute once created_at is known.
      file = files.store_locked(std::move(file));
      std::filesystem::rename(u.temp_path, file.path);
      u.temp_path.clear();
      reply.body = files.file_json(file);
    }
  }
  attempt.status = reply.status;
  files.attempts_.push_back(std::move(attempt));
  return reply;
}

FakeFiles::Upload FakeFiles::begin_upload(std::string const& content_type) {
  auto impl = std::make_unique<Upload::Impl>();
  impl->owner = this;
  impl->content_type = content_type;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    impl->temp_path = folder_ / ("incoming-" + std::to_string(next_id_) + "-" +
                                 std::to_string(attempts_.size()) + "-" +
                                 std::to_string(std::random_device{}()));
  }
  if (auto boundary = detail::boundary_from_content_type(content_type)) {
    Upload::Impl* u = impl.get();
    detail::MultipartStreamParser::Callbacks callbacks;
    callbacks.on_part_begin = [u](detail::FormPartInfo const& info) { u->begin_part(info); };
    callbacks.on_part_data = [u](char const* data, std::size_t size) { u->part_data(data, size); };
    impl->parser.emplace(*boundary, std::move(callbacks));
  }
  return Upload(std::move(impl));
}

// ---------------------------------------------------------------- state

FakeFiles::FakeFiles(FakeFilesOptions options) : options_(std::move(options)) {
  if (options_.temp_dir.empty()) {
    folder_ = fresh_temp_folder();
    owns_folder_ = true;
  } else {
    folder_ = options_.temp_dir;
    std::filesystem::create_directories(folder_);
  }
}

FakeFiles::~FakeFiles() {
  std::error_code ec;
  if (owns_folder_) {
    std::filesystem::remove_all(folder_, ec);
  } else {
    for (auto const& file : files_) std::filesystem::remove(file.path, ec);
  }
}

StoredFile FakeFiles::store_locked(StoredFile file) {
  std::uint64_t n = next_id_++;
  file.id = "file-" + std::to_string(n);
  file.created_at = options_.first_created_at + static_cast<std::int64_t>(n - 1);
  if (file.expires_at) file.expires_at = file.created_at + *file.expires_at;
  file.path = folder_ / file.id;
  files_.push_back(file);
  return file;
}

std::string FakeFiles::file_json(StoredFile const& file) const {
  nlohmann::json j = {{"id", file.id},
                      {"object", "file"},
                      {"bytes", file.bytes},
                      {"created_at", file.created_at},
                      {"expires_at", file.expires_at ? nlohmann::json(*file.expires_at) : nlohmann::json()},
                      {"filename", file.filename},
                      {"purpose", file.purpose},
                      {"status", "processed"},
                      {"status_details", nullptr},
                      // Not in OpenAI's shape: lets clients check the bytes the server got.
                      {"sha256", file.sha256}};
  return j.dump();
}

std::vector<StoredFile> FakeFiles::files() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return files_;
}

std::optional<StoredFile> FakeFiles::find(std::string const& id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto const& file : files_)
    if (file.id == id) return file;
  return std::nullopt;
}

std::string FakeFiles::read_bytes(std::string const& id) const {
  auto file = find(id);
  if (!file) throw std::out_of_range("no stored file " + id);
  std::ifstream in(file->path, std::ios::binary);
  std::string bytes(static_cast<std::size_t>(file->bytes), '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  return bytes;
}

StoredFile FakeFiles::add(std::string const& filename, std::string const& purpose, std::string_view content) {
  std::lock_guard<std::mutex> lock(mutex_);
  StoredFile file;
  file.filename = filename;
  file.purpose = purpose;
  file.media_type = "application/octet-stream";
  file.bytes = content.size();
  file.sha256 = sha256_hex(content);
  file = store_locked(std::move(file));
  std::ofstream out(file.path, std::ios::binary);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  return file;
}

std::vector<UploadAttempt> FakeFiles::upload_attempts() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return attempts_;
}

void FakeFiles::fail_next_uploads(int count, int status) {
  std::lock_guard<std::mutex> lock(mutex_);
  failures_left_ = count;
  failure_status_ = status;
}

// ---------------------------------------------------------------- JSON endpoints

FakeFiles::Reply FakeFiles::error(int status, std::string const& message, std::string const& type,
                                  std::optional<std::string> param, std::optional<std::string> code) {
  nlohmann::json j = {{"error",
                       {{"message", message},
                        {"type", type},
                        {"param", param ? nlohmann::json(*param) : nlohmann::json()},
                        {"code", code ? nlohmann::json(*code) : nlohmann::json()}}}};
  Reply reply;
  reply.status = status;
  reply.body = j.dump();
  return reply;
}

FakeFiles::Reply FakeFiles::list(std::optional<std::string> purpose, std::optional<std::string> limit,
                                 std::optional<std::string> after, std::optional<std::string> order) const {
  long long page_size = kMaxListLimit;
  if (limit && (!parse_int(*limit, page_size) || page_size < 1 || page_size > kMaxListLimit)) {
    return error(400, "Invalid 'limit': expected an integer from 1 to 10000.", "invalid_request_error", "limit");
  }
  std::string direction = order.value_or("desc");
  if (direction != "asc" && direction != "desc") {
    return error(400, "Invalid 'order': expected 'asc' or 'desc'.", "invalid_request_error", "order");
  }
  std::vector<StoredFile> matching;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto const& file : files_)
      if (!purpose || file.purpose == *purpose) matching.push_back(file);
  }
  if (direction == "desc") std::reverse(matching.begin(), matching.end());
  std::size_t start = 0;
  if (after) {
    auto it = std::find_if(matching.begin(), matching.end(), [&](StoredFile const& f) { return f.id == *after; });
    if (it == matching.end()) {
      return error(400, "Invalid 'after': no file '" + *after + "' in this list.", "invalid_request_error", "after");
    }
    start = static_cast<std::size_t>(it - matching.begin()) + 1;
  }
  std::size_t end = std::min(matching.size(), start + static_cast<std::size_t>(page_size));
  nlohmann::json data = nlohmann::json::array();
  for (std::size_t i = start; i < end; ++i) data.push_back(nlohmann::json::parse(file_json(matching[i])));
  nlohmann::json body = {{"object", "list"},
                         {"data", data},
                         {"first_id", data.empty() ? nlohmann::json() : data.front()["id"]},
                         {"last_id", data.empty() ? nlohmann::json() : data.back()["id"]},
                         {"has_more", end < matching.size()}};
  Reply reply;
  reply.body = body.dump();
  return reply;
}

FakeFiles::Reply FakeFiles::retrieve(std::string const& id) const {
  auto file = find(id);
  if (!file) return error(404, "No such File object: " + id, "invalid_request_error", "id");
  Reply reply;
  reply.body = file_json(*file);
  return reply;
}

FakeFiles::Reply FakeFiles::remove(std::string const& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = std::find_if(files_.begin(), files_.end(), [&](StoredFile const& f) { return f.id == id; });
  if (it == files_.end()) return error(404, "No such File object: " + id, "invalid_request_error", "id");
  std::error_code ec;
  std::filesystem::remove(it->path, ec);
  files_.erase(it);
  Reply reply;
  reply.body = nlohmann::json{{"id", id}, {"object", "file"}, {"deleted", true}}.dump();
  return reply;
}

FakeFiles::Reply FakeFiles::content(std::string const& id) const {
  auto file = find(id);
  if (!file) return error(404, "No such File object: " + id, "invalid_request_error", "id");
  Reply reply;
  reply.file = file->path;
  reply.file_bytes = file->bytes;
  reply.content_type = "application/octet-stream";
  return reply;
}

}  // namespace smarter::testkit

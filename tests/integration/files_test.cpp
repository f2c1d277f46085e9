// client.files() against the fake server: uploads (bytes, contents, paths), listing, retrieval,
// deletion, downloads, progress, aborts, retries and errors raised before any request.
#include <smarter/client.hpp>
#include <smarter/errors.hpp>
#include <smarter/file_input.hpp>
#include <smarter/resources/files.hpp>
#include <smarter/testkit/fake_files.hpp>
#include <smarter/testkit/fake_server.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

using smarter::FileCreateParams;
using smarter::FileInput;
using smarter::FileListParams;
using smarter::testkit::FakeServer;
using smarter::testkit::sha256_hex;

class FilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    files_ = smarter::testkit::install_files(server_);
    std::random_device device;
    dir_ = std::filesystem::temp_directory_path() /
           ("smarter-files-test-" + std::to_string(device()) + std::to_string(device()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  smarter::Smarter client(int max_retries = 2) const {
    smarter::ClientOptions options;
    options.api_key = "sk-test";
    options.base_url = server_.url();
    options.auth_scheme = smarter::AuthScheme::bearer;
    options.max_retries = max_retries;
    options.retry.initial_delay = 0.01;
    options.retry.max_delay = 0.05;
    return smarter::Smarter(options);
  }

  // Requests the server logged for `method` on paths starting with `prefix`.
  std::vector<smarter::testkit::RecordedRequest> logged(std::string const& method, std::string const& prefix) const {
    std::vector<smarter::testkit::RecordedRequest> out;
    for (auto const& request : server_.requests())
      if (request.method == method && request.path.rfind(prefix, 0) == 0) out.push_back(request);
    return out;
  }

  // A file of `size` bytes that is mostly a hole, with distinct data at a few places.
  std::filesystem::path sparse_file(std::string const& name, std::uint64_t size) const {
    auto path = dir_ / name;
    { std::ofstream touch(path, std::ios::binary); }
    std::filesystem::resize_file(path, size);
    std::fstream out(path, std::ios::binary | std::ios::in | std::ios::out);
    for (std::uint64_t offset = 0; offset + 4096 <= size; offset += size / 7 + 4093) {
      std::string block(4096, '\0');
      for (std::size_t i = 0; i < block.size(); ++i) block[i] = static_cast<char>((offset / 4096 + i * 13) & 0xff);
      out.seekp(static_cast<std::streamoff>(offset));
      out.write(block.data(), static_cast<std::streamsize>(block.size()));
    }
    return path;
  }

  // True when two files hold the same bytes (compared in pieces, never whole in memory).
  static bool same_bytes(std::filesystem::path const& a, std::filesystem::path const& b) {
    if (std::filesystem::file_size(a) != std::filesystem::file_size(b)) return false;
    std::ifstream in_a(a, std::ios::binary);
    std::ifstream in_b(b, std::ios::binary);
    std::string buffer_a(1 << 20, '\0');
    std::string buffer_b(1 << 20, '\0');
    while (in_a && in_b) {
      in_a.read(buffer_a.data(), static_cast<std::streamsize>(buffer_a.size()));
      in_b.read(buffer_b.data(), static_cast<std::streamsize>(buffer_b.size()));
      if (in_a.gcount() != in_b.gcount()) return false;
      if (buffer_a.compare(0, static_cast<std::size_t>(in_a.gcount()), buffer_b, 0,
                           static_cast<std::size_t>(in_b.gcount())) != 0) {
        return false;
      }
    }
    return true;
  }

  std::filesystem::path write(std::string const& name, std::string const& content) const {
    auto path = dir_ / name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  FakeServer server_;
  std::shared_ptr<smarter::testkit::FakeFiles> files_;
  std::filesystem::path dir_;
};

TEST_F(FilesTest, UploadsBytesAsMultipartAndTheServerStoresTheSameBytes) {
  std::string bytes("\0\1binary\xff\r\n--x", 14);
  auto file = client().files().create({FileInput::from_bytes(bytes), "batch"});
  EXPECT_EQ(file.filename, "upload");
  EXPECT_EQ(file.purpose, "batch");
  EXPECT_EQ(file.bytes, bytes.size());
  EXPECT_EQ(file.object, "file");
  EXPECT_EQ(files_->read_bytes(file.id), bytes);
  EXPECT_EQ(files_->find(file.id)->sha256, sha256_hex(bytes));
  EXPECT_EQ(files_->find(file.id)->media_type, "application/octet-stream");

  auto posts = logged("POST", "/files");
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].header("Content-Type")->rfind("multipart/form-data; boundary=", 0), 0u);
  EXPECT_EQ(posts[0].header("Content-Length"), std::to_string(posts[0].body_size));
  EXPECT_EQ(files_->upload_attempts().at(0).part_names, (std::vector<std::string>{"purpose", "file"}));
}

TEST_F(FilesTest, UploadsTheSeedsFilenameContentsAndMediaTypeTriple) {
  smarter::FileCreateParams params{FileInput::from_contents("train.jsonl", "{\"x\":1}\n", "application/jsonl"),
                                   "fine-tune"};
  params.expires_after = smarter::FileExpiresAfter{"created_at", 3600};
  auto file = client().files().create(params);
  auto stored = files_->find(file.id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->filename, "train.jsonl");
  EXPECT_EQ(stored->media_type, "application/jsonl");
  EXPECT_EQ(stored->purpose, "fine-tune");
  ASSERT_TRUE(file.expires_at);
  EXPECT_EQ(*file.expires_at, file.created_at + 3600);
  EXPECT_EQ(files_->upload_attempts().at(0).part_names,
            (std::vector<std::string>{"purpose", "expires_after[anchor]", "expires_after[seconds]", "file"}));
}

TEST_F(FilesTest, UploadsFromStreamsWithAndWithoutAKnownSize) {
  std::string content(300'000, '\0');
  for (std::size_t i = 0; i < content.size(); ++i) content[i] = static_cast<char>(i % 253);
  auto api = client().files();

  auto sized = api.create({FileInput::from_stream(std::make_shared<std::istringstream>(content), "s.bin",
                                                  std::nullopt, content.size()),
                           "user_data"});
  EXPECT_TRUE(files_->read_bytes(sized.id) == content);
  EXPECT_TRUE(logged("POST", "/files").back().header("Content-Length").has_value());

  auto chunked = api.create({FileInput::from_stream(std::make_shared<std::istringstream>(content), "c.bin"),
                             "user_data"});
  EXPECT_EQ(chunked.bytes, content.size());
  EXPECT_TRUE(files_->read_bytes(chunked.id) == content);
  EXPECT_EQ(logged("POST", "/files").back().header("Transfer-Encoding"), "chunked");
}

TEST_F(FilesTest, LargeSparseFileRoundTripsThroughPathUploadAndDownload) {
  constexpr std::uint64_t kSize = 32ull * 1024 * 1024 + 123;
  auto source = sparse_file("big.jsonl", kSize);
  auto api = client().files();

  auto file = api.create({FileInput::from_path(source), "fine-tune"});
  EXPECT_EQ(file.bytes, kSize);
  EXPECT_EQ(file.filename, "big.jsonl");
  auto stored = files_->find(file.id);
  ASSERT_TRUE(stored);
  EXPECT_TRUE(same_bytes(stored->path, source));
  EXPECT_EQ(stored->media_type, "application/jsonl");
  // The fake server's extra field (the SHA-256 it computed while receiving) survives decoding.
  EXPECT_EQ(file.field("sha256"), stored->sha256);
  EXPECT_TRUE(logged("POST", "/files").at(0).body_streamed);

  auto target = dir_ / "downloaded.jsonl";
  auto download = api.content_to_path(file.id, target);
  EXPECT_EQ(download.bytes, kSize);
  EXPECT_TRUE(same_bytes(target, source));
  auto get = logged("GET", "/files/" + file.id + "/content");
  ASSERT_EQ(get.size(), 1u);
  EXPECT_EQ(get[0].header("Accept"), "*/*");
  // Only the source and the finished download are left: no partial file.
  std::size_t entries = 0;
  for ([[maybe_unused]] auto const& entry : std::filesystem::directory_iterator(dir_)) ++entries;
  EXPECT_EQ(entries, 2u);
}

TEST_F(FilesTest, ListWalksEveryPageLazily) {
  for (int i = 0; i < 7; ++i) files_->add("f" + std::to_string(i) + ".txt", "batch", "x");
  files_->add("other.txt", "fine-tune", "y");
  FileListParams params;
  params.purpose = "batch";
  params.limit = 3;
  auto first = client().files().list(params);
  EXPECT_EQ(logged("GET", "/files").size(), 1u);
  ASSERT_EQ(first.data().size(), 3u);
  EXPECT_EQ(first.data()[0].id, "file-7");  // Newest first.
  ASSERT_TRUE(first.has_next_page());
  EXPECT_EQ(first.next_page_info().get("after"), "file-5");

  std::vector<std::string> ids;
  for (auto const& file : first) ids.push_back(file.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"file-7", "file-6", "file-5", "file-4", "file-3", "file-2", "file-1"}));
  auto gets = logged("GET", "/files");
  ASSERT_EQ(gets.size(), 3u);
  EXPECT_EQ(gets[1].param("after"), "file-5");
  EXPECT_EQ(gets[2].param("after"), "file-2");
  for (auto const& get : gets) {
    EXPECT_EQ(get.param("purpose"), "batch");
    EXPECT_EQ(get.param("limit"), "3");
  }
}

TEST_F(FilesTest, ListSendsOrderAndAfter) {
  for (int i = 0; i < 4; ++i) files_->add("f.txt", "batch", "x");
  FileListParams params;
  params.order = "asc";
  params.after = "file-2";
  auto page = client().files().list(params);
  ASSERT_EQ(page.data().size(), 2u);
  EXPECT_EQ(page.data()[0].id, "file-3");
  EXPECT_FALSE(page.has_next_page());
}

TEST_F(FilesTest, RetrieveAndDeleteSendNoBody) {
  auto stored = files_->add("a.txt", "assistants", "hello");
  auto api = client().files();
  auto file = api.retrieve(stored.id);
  EXPECT_EQ(file.id, stored.id);
  EXPECT_EQ(file.bytes, 5u);
  EXPECT_EQ(file.filename, "a.txt");
  EXPECT_TRUE(file.is_null("status_details"));
  EXPECT_FALSE(file.has_field("not_sent"));

  auto deleted = api.remove(stored.id);
  EXPECT_TRUE(deleted.deleted);
  EXPECT_EQ(deleted.id, stored.id);
  for (auto const& request : server_.requests()) {
    EXPECT_EQ(request.body_size, 0u) << request.method << " " << request.path;
    EXPECT_FALSE(request.header("Content-Type").has_value()) << request.method << " " << request.path;
  }
}

TEST_F(FilesTest, RetrieveAfterDeleteRaisesNotFoundWithTheServersMessage) {
  auto stored = files_->add("a.txt", "assistants", "hello");
  auto api = client().files();
  api.remove(stored.id);
  try {
    api.retrieve(stored.id);
    FAIL() << "expected NotFoundError";
  } catch (smarter::NotFoundError const& e) {
    EXPECT_EQ(e.status_code(), 404);
    EXPECT_NE(std::string(e.what()).find("No such File object: " + stored.id), std::string::npos) << e.what();
    EXPECT_EQ(e.body()["error"]["type"], "invalid_request_error");
  }
  EXPECT_THROW(api.content(stored.id), smarter::NotFoundError);
  EXPECT_THROW(api.remove(stored.id), smarter::NotFoundError);
}

TEST_F(FilesTest, ContentReturnsBytesAndSinkReceivesChunks) {
  std::string content(3 * 1024 * 1024 + 5, '\0');
  for (std::size_t i = 0; i < content.size(); ++i) content[i] = static_cast<char>(i % 251);
  auto stored = files_->add("blob.bin", "user_data", content);
  auto api = client().files();
  EXPECT_TRUE(api.content(stored.id) == content);

  std::string received;
  int calls = 0;
  auto download = api.content_to_sink(stored.id, [&](char const* data, std::size_t size) {
    received.append(data, size);
    ++calls;
  });
  EXPECT_EQ(download.bytes, content.size());
  EXPECT_EQ(download.content_type, "application/octet-stream");
  EXPECT_TRUE(received == content);
  EXPECT_GT(calls, 1);
}

TEST_F(FilesTest, FailedDownloadLeavesNoFileBehind) {
  auto target = dir_ / "never.bin";
  EXPECT_THROW(client().files().content_to_path("file-404", target), smarter::NotFoundError);
  EXPECT_TRUE(std::filesystem::is_empty(dir_));
}

TEST_F(FilesTest, SinkExceptionStopsTheDownloadAndTheClientStaysUsable) {
  auto stored = files_->add("blob.bin", "user_data", std::string(4 * 1024 * 1024, 'z'));
  auto api = client().files();
  struct Stop {};
  EXPECT_THROW(api.content_to_sink(stored.id, [](char const*, std::size_t) { throw Stop{}; }), Stop);
  EXPECT_EQ(api.retrieve(stored.id).id, stored.id);
}

TEST_F(FilesTest, UnreadablePathRaisesBeforeAnyRequest) {
  auto missing = dir_ / "missing.jsonl";
  EXPECT_THROW(client().files().create({FileInput::from_path(missing), "fine-tune"}), smarter::FileInputError);

  auto vanishing = write("vanishing.jsonl", "{}\n");
  auto input = FileInput::from_path(vanishing);
  std::filesystem::remove(vanishing);
  try {
    client().files().create({input, "fine-tune"});
    FAIL() << "expected FileInputError";
  } catch (smarter::FileInputError const& e) {
    EXPECT_EQ(e.path(), vanishing);
  }
  EXPECT_EQ(server_.request_count(), 0u);
}

TEST_F(FilesTest, EmptyIdRaisesBeforeAnyRequest) {
  auto api = client().files();
  EXPECT_THROW(api.retrieve(""), smarter::SmarterError);
  EXPECT_THROW(api.remove(""), smarter::SmarterError);
  EXPECT_THROW(api.content(""), smarter::SmarterError);
  EXPECT_THROW(api.content_to_path("", dir_ / "x"), smarter::SmarterError);
  EXPECT_THROW(api.content_to_sink("", [](char const*, std::size_t) {}), smarter::SmarterError);
  EXPECT_EQ(server_.request_count(), 0u);
}

TEST_F(FilesTest, IdsArePercentEncodedInThePath) {
  EXPECT_THROW(client().files().retrieve("a/b c"), smarter::NotFoundError);
  ASSERT_EQ(server_.request_count(), 1u);
  EXPECT_EQ(server_.requests()[0].target, "/files/a%2Fb%20c");
}

TEST_F(FilesTest, ProgressReportsTheUploadAndDownload) {
  auto source = sparse_file("p.bin", 8 * 1024 * 1024);
  std::uint64_t max_uploaded = 0;
  std::optional<std::uint64_t> total;
  int calls = 0;
  int repeats = 0;
  std::optional<smarter::http::TransferProgress> previous;
  smarter::RequestOptions options;
  options.on_progress = [&](smarter::http::TransferProgress const& progress) {
    max_uploaded = std::max(max_uploaded, progress.uploaded);
    if (progress.upload_total) total = progress.upload_total;
    if (previous && *previous == progress) ++repeats;
    previous = progress;
    ++calls;
    return true;
  };
  auto api = client().files();
  auto file = api.create({FileInput::from_path(source), "batch"}, options);
  EXPECT_GT(calls, 0);
  ASSERT_TRUE(total);
  EXPECT_EQ(*total, files_->upload_attempts().at(0).body_bytes);
  EXPECT_EQ(max_uploaded, *total);

  EXPECT_EQ(repeats, 0) << "progress is reported only when it changed";

  std::uint64_t max_downloaded = 0;
  std::optional<std::uint64_t> download_total;
  smarter::RequestOptions download_options;
  download_options.on_progress = [&](smarter::http::TransferProgress const& progress) {
    max_downloaded = std::max(max_downloaded, progress.downloaded);
    if (progress.download_total) download_total = progress.download_total;
    return true;
  };
  api.content_to_path(file.id, dir_ / "p.out", download_options);
  EXPECT_EQ(max_downloaded, 8u * 1024 * 1024);
  EXPECT_EQ(download_total, 8u * 1024 * 1024);
}

TEST_F(FilesTest, ProgressCallbackReturningFalseAbortsWithUserAbortError) {
  auto source = sparse_file("abort.bin", 32 * 1024 * 1024);
  smarter::RequestOptions options;
  options.on_progress = [](smarter::http::TransferProgress const& progress) { return progress.uploaded < 1024 * 1024; };
  EXPECT_THROW(client().files().create({FileInput::from_path(source), "batch"}, options), smarter::APIUserAbortError);
  EXPECT_TRUE(files_->files().empty());
  // Aborts are not retried.
  EXPECT_LE(server_.request_count(), 1u);
}

TEST_F(FilesTest, RetriedUploadResendsTheFullIdenticalBody) {
  auto source = sparse_file("retry.jsonl", 2 * 1024 * 1024 + 7);
  files_->fail_next_uploads(1, 500);
  auto file = client().files().create({FileInput::from_path(source), "fine-tune"});
  auto attempts = files_->upload_attempts();
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[0].status, 500);
  EXPECT_EQ(attempts[1].status, 200);
  EXPECT_EQ(attempts[0].body_bytes, attempts[1].body_bytes);
  EXPECT_EQ(attempts[0].body_fnv1a, attempts[1].body_fnv1a);
  EXPECT_GT(attempts[0].body_bytes, 2u * 1024 * 1024);
  EXPECT_TRUE(same_bytes(files_->find(file.id)->path, source));
  auto posts = logged("POST", "/files");
  ASSERT_EQ(posts.size(), 2u);
  // One logical call: the same idempotency key on both attempts.
  EXPECT_EQ(posts[0].header("Idempotency-Key"), posts[1].header("Idempotency-Key"));
}

TEST_F(FilesTest, ServerErrorOnUploadSurfacesAsTypedErrorWithoutRetriesWhenDisabled) {
  files_->fail_next_uploads(1, 500);
  EXPECT_THROW(client(0).files().create({FileInput::from_bytes("x"), "batch"}), smarter::InternalServerError);
  EXPECT_EQ(files_->upload_attempts().size(), 1u);
}

TEST_F(FilesTest, InvalidPurposeIsABadRequestNamingTheParam) {
  try {
    client().files().create({FileInput::from_bytes("x"), "nonsense"});
    FAIL() << "expected BadRequestError";
  } catch (smarter::BadRequestError const& e) {
    EXPECT_EQ(e.body()["error"]["param"], "purpose");
  }
}

TEST_F(FilesTest, MalformedFileObjectRaisesValidationErrorNamingTheField) {
  server_.enqueue(smarter::testkit::FakeResponse::json(200, {{"id", "file-1"}, {"bytes", "many"}}));
  try {
    client().files().retrieve("file-1");
    FAIL() << "expected APIResponseValidationError";
  } catch (smarter::APIResponseValidationError const& e) {
    EXPECT_NE(std::string(e.what()).find("bytes"), std::string::npos) << e.what();
  }
}

}  // namespace

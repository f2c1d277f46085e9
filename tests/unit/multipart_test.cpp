// The multipart/form-data encoder: exact bytes, escaping, sizes, streaming from disk, rewinding.
#include <smarter/detail/multipart.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>

namespace {

using smarter::FileInput;
using smarter::FileInputError;
using smarter::detail::MultipartForm;
using smarter::SmarterError;

// A scratch folder removed when the test ends.
class TempDir {
 public:
  TempDir() {
    std::random_device device;
    path_ = std::filesystem::temp_directory_path() /
            ("smarter-multipart-test-" + std::to_string(device()) + std::to_string(device()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(TempDir const&) = delete;
  TempDir& operator=(TempDir const&) = delete;
  std::filesystem::path const& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::string pattern_bytes(std::size_t size) {
  std::string out(size, '\0');
  for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<char>((i * 31 + i / 251) & 0xff);
  return out;
}

void write_file(std::filesystem::path const& path, std::string const& content) {
  std::ofstream out(path, std::ios::binary);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
}

// Reads a whole body through `chunk`-sized reads, checking read() never overfills.
std::string drain(smarter::http::BodySource& body, std::size_t chunk) {
  std::string out;
  std::string buffer(chunk, '\0');
  std::size_t n = 0;
  std::size_t guard = 0;
  while ((n = body.read(buffer.data(), chunk)) > 0) {
    EXPECT_LE(n, chunk);
    out.append(buffer.data(), n);
    if (++guard > 100'000'000) ADD_FAILURE() << "body never ends";
  }
  return out;
}

TEST(MultipartTest, RepeatingArrayExactBytes) {
  // The shape openai-python asserts in test_multipart_repeating_array.
  MultipartForm form("6b7ba517decee4a450543ea6ae821c82");
  form.add_json("array", nlohmann::json::array({"foo", "bar"}));
  form.add_file("foo.txt", FileInput::from_bytes("hello world"));
  std::string const expected =
      "--6b7ba517decee4a450543ea6ae821c82\r\n"
      "Content-Disposition: form-data; name=\"array[]\"\r\n"
      "\r\n"
      "foo\r\n"
      "--6b7ba517decee4a450543ea6ae821c82\r\n"
      "Content-Disposition: form-data; name=\"array[]\"\r\n"
      "\r\n"
      "bar\r\n"
      "--6b7ba517decee4a450543ea6ae821c82\r\n"
      "Content-Disposition: form-data; name=\"foo.txt\"; filename=\"upload\"\r\n"
      "Content-Type: application/octet-stream\r\n"
      "\r\n"
      "hello world\r\n"
      "--6b7ba517decee4a450543ea6ae821c82--\r\n";
  EXPECT_EQ(form.encode(), expected);
  EXPECT_EQ(form.body()->size(), expected.size());
  EXPECT_EQ(form.content_type(), "multipart/form-data; boundary=6b7ba517decee4a450543ea6ae821c82");
}

TEST(MultipartTest, NestedObjectsBooleansNumbersAndNulls) {
  MultipartForm form("B");
  form.add_json("expires_after", {{"anchor", "created_at"}, {"seconds", 3600}});
  form.add_json("meta", {{"tags", {"a", "b"}}, {"items", nlohmann::json::array({{{"k", 1.5}}})}});
  form.add_bool("yes", true);
  form.add_json("no", false);
  form.add_json("skipped", nullptr);
  form.add_field("purpose", "fine-tune");
  std::string const expected =
      "--B\r\nContent-Disposition: form-data; name=\"expires_after[anchor]\"\r\n\r\ncreated_at\r\n"
      "--B\r\nContent-Disposition: form-data; name=\"expires_after[seconds]\"\r\n\r\n3600\r\n"
      "--B\r\nContent-Disposition: form-data; name=\"meta[items][][k]\"\r\n\r\n1.5\r\n"
      "--B\r\nContent-Disposition: form-data; name=\"meta[tags][]\"\r\n\r\na\r\n"
      "--B\r\nContent-Disposition: form-data; name=\"meta[tags][]\"\r\n\r\nb\r\n"
      "--B\r\nContent-Disposition: form-data; name=\"yes\"\r\n\r\ntrue\r\n"
      "--B\r\nContent-Disposition: form-data; name=\"no\"\r\n\r\nfalse\r\n"
      "--B\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nfine-tune\r\n"
      "--B--\r\n";
  EXPECT_EQ(form.encode(), expected);
}

TEST(MultipartTest, EscapesQuotesAndLineBreaksInNamesAndFilenames) {
  MultipartForm form("B");
  form.add_field("a\"b\r\nc", "v");
  form.add_file("file", FileInput::from_bytes("x", "evil\".txt\r\nX-Injected: 1", "text/plain\r\nX-Bad: 1"));
  std::string const expected =
      "--B\r\nContent-Disposition: form-data; name=\"a%22b%0D%0Ac\"\r\n\r\nv\r\n"
      "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"evil%22.txt%0D%0AX-Injected: 1\"\r\n"
      "Content-Type: text/plainX-Bad: 1\r\n\r\nx\r\n"
      "--B--\r\n";
  EXPECT_EQ(form.encode(), expected);
}

TEST(MultipartTest, FilePartsAlwaysCarryFilenameAndContentType) {
  MultipartForm form("B");
  form.add_file("file", FileInput::from_contents("train.jsonl", "{}\n"));
  form.add_file("other", FileInput::from_bytes("z", ""));
  std::string body = form.encode();
  EXPECT_NE(body.find("name=\"file\"; filename=\"train.jsonl\"\r\nContent-Type: application/jsonl\r\n\r\n{}\n\r\n"),
            std::string::npos)
      << body;
  EXPECT_NE(body.find("name=\"other\"; filename=\"upload\"\r\nContent-Type: application/octet-stream\r\n"),
            std::string::npos)
      << body;
}

TEST(MultipartTest, PathIsStreamedWithExactSizeAndSameBytes) {
  TempDir dir;
  auto path = dir.path() / "data.jsonl";
  std::string content = pattern_bytes(3 * 1024 * 1024 + 17);
  write_file(path, content);

  MultipartForm form("BOUNDARY");
  form.add_field("purpose", "fine-tune");
  form.add_file("file", FileInput::from_path(path));
  auto body = form.body();
  std::string encoded = drain(*body, 4093);
  std::string const head =
      "--BOUNDARY\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nfine-tune\r\n"
      "--BOUNDARY\r\nContent-Disposition: form-data; name=\"file\"; filename=\"data.jsonl\"\r\n"
      "Content-Type: application/jsonl\r\n\r\n";
  std::string const tail = "\r\n--BOUNDARY--\r\n";
  ASSERT_TRUE(body->size().has_value());
  EXPECT_EQ(*body->size(), head.size() + content.size() + tail.size());
  EXPECT_EQ(encoded.size(), *body->size());
  EXPECT_TRUE(encoded == head + content + tail);
}

TEST(MultipartTest, RewindResendsIdenticalBytes) {
  TempDir dir;
  auto path = dir.path() / "blob.bin";
  write_file(path, pattern_bytes(200'000));
  auto stream = std::make_shared<std::stringstream>(pattern_bytes(50'000));
  MultipartForm form("B");
  form.add_file("file", FileInput::from_path(path));
  form.add_file("second", FileInput::from_stream(stream, "s.bin", std::nullopt, 50'000));
  form.add_field("purpose", "batch");
  std::string full = form.encode();

  stream->clear();
  stream->seekg(0);
  auto body = form.body();
  std::string partial(120'000, '\0');
  ASSERT_EQ(body->read(partial.data(), partial.size()), partial.size());
  ASSERT_TRUE(body->rewind());
  EXPECT_TRUE(drain(*body, 65'536) == full);
  ASSERT_TRUE(body->rewind());
  EXPECT_TRUE(drain(*body, 1'000) == full);
}

TEST(MultipartTest, StreamWithoutSizeIsSentChunked) {
  auto stream = std::make_shared<std::stringstream>("abc");
  MultipartForm form("B");
  form.add_file("file", FileInput::from_stream(stream));
  auto body = form.body();
  EXPECT_FALSE(body->size().has_value());
  EXPECT_EQ(drain(*body, 2),
            "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"upload\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\nabc\r\n--B--\r\n");
}

TEST(MultipartTest, RandomBoundariesDifferAndAreValid) {
  std::set<std::string> seen;
  for (int i = 0; i < 20; ++i) {
    MultipartForm form;
    EXPECT_LE(form.boundary().size(), 70u);
    EXPECT_NO_THROW(MultipartForm{form.boundary()});
    seen.insert(form.boundary());
  }
  EXPECT_EQ(seen.size(), 20u);
}

TEST(MultipartTest, RejectsInvalidBoundaries) {
  EXPECT_THROW(MultipartForm(std::string()), SmarterError);
  EXPECT_THROW(MultipartForm(std::string(71, 'a')), SmarterError);
  EXPECT_THROW(MultipartForm("has space"), SmarterError);
  EXPECT_THROW(MultipartForm("quote\""), SmarterError);
}

TEST(MultipartTest, FileRemovedBeforeSendingRaisesFileInputError) {
  TempDir dir;
  auto path = dir.path() / "gone.txt";
  write_file(path, "data");
  MultipartForm form("B");
  form.add_file("file", FileInput::from_path(path));
  std::filesystem::remove(path);
  try {
    form.body();
    FAIL() << "expected FileInputError";
  } catch (FileInputError const& e) {
    EXPECT_EQ(e.path(), path);
    EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos);
  }
}

TEST(MultipartTest, FileShrinkingWhileSendingRaisesInsteadOfSendingShortBody) {
  TempDir dir;
  auto path = dir.path() / "shrinks.bin";
  write_file(path, pattern_bytes(100'000));
  MultipartForm form("B");
  form.add_file("file", FileInput::from_path(path));
  auto body = form.body();
  std::filesystem::resize_file(path, 10);
  EXPECT_THROW(drain(*body, 8192), FileInputError);
}

}  // namespace

TEST(MultipartTest, TrailingBackslashCannotEscapeTheClosingQuote) {
  MultipartForm form("B");
  form.add_field("name\\", "v");
  form.add_file("file", FileInput::from_bytes("x", "dir\\", "text/plain"));
  std::string const expected =
      "--B\r\nContent-Disposition: form-data; name=\"name\\\\\"\r\n\r\nv\r\n"
      "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"dir\\\\\"\r\n"
      "Content-Type: text/plain\r\n\r\nx\r\n"
      "--B--\r\n";
  EXPECT_EQ(form.encode(), expected);
}

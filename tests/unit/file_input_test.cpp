// FileInput: the ways to name an upload, their defaults, and errors raised before any request.
#include <smarter/file_input.hpp>

#include <cstdlib>

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

namespace {

using smarter::FileInput;
using smarter::FileInputError;

class FileInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device device;
    dir_ = std::filesystem::temp_directory_path() /
           ("smarter-file-input-test-" + std::to_string(device()) + std::to_string(device()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::permissions(dir_ / "locked.txt", std::filesystem::perms::owner_all, ec);
    std::filesystem::remove_all(dir_, ec);
  }
  std::filesystem::path write(std::string const& name, std::string const& content) {
    auto path = dir_ / name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
  std::filesystem::path dir_;
};

// Asserts that `call` throws FileInputError naming `path` in both what() and path().
template <class Call>
void expect_error_naming(Call call, std::filesystem::path const& path, std::string const& problem) {
  try {
    call();
    ADD_FAILURE() << "expected FileInputError for " << path;
  } catch (FileInputError const& e) {
    EXPECT_EQ(e.path(), path);
    std::string message = e.what();
    EXPECT_NE(message.find(path.string()), std::string::npos) << message;
    EXPECT_NE(message.find(problem), std::string::npos) << message;
    // It is a SmarterError, so a catch-all for SDK errors sees it.
    smarter::SmarterError const& base = e;
    EXPECT_STREQ(base.what(), e.what());
  }
}

TEST_F(FileInputTest, FromPathTakesSizeNameAndMediaTypeFromTheFile) {
  auto path = write("input.jsonl", "{\"a\":1}\n{\"a\":2}\n");
  auto input = FileInput::from_path(path);
  EXPECT_EQ(input.kind(), FileInput::Kind::path);
  EXPECT_EQ(input.filename(), "input.jsonl");
  EXPECT_EQ(input.media_type(), "application/jsonl");
  EXPECT_EQ(input.size(), 16u);
  EXPECT_EQ(input.path(), path);
  EXPECT_TRUE(input.bytes().empty());
}

TEST_F(FileInputTest, FromPathOverridesFilenameAndMediaType) {
  auto path = write("x.bin", "12345");
  auto input = FileInput::from_path(path, "renamed.txt", "text/csv");
  EXPECT_EQ(input.filename(), "renamed.txt");
  EXPECT_EQ(input.media_type(), "text/csv");
  auto guessed = FileInput::from_path(path, std::string("notes.TXT"));
  EXPECT_EQ(guessed.media_type(), "text/plain");
}

TEST_F(FileInputTest, MissingFileRaisesNamingThePath) {
  auto path = dir_ / "does-not-exist.jsonl";
  expect_error_naming([&] { FileInput::from_path(path); }, path, "no such file");
}

TEST_F(FileInputTest, DirectoryRaisesNamingThePath) {
  expect_error_naming([&] { FileInput::from_path(dir_); }, dir_, "not a regular file");
}

TEST_F(FileInputTest, FifoRaisesNamingThePath) {
  auto path = dir_ / "pipe";
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  expect_error_naming([&] { FileInput::from_path(path); }, path, "not a regular file");
}

TEST_F(FileInputTest, UnreadableFileRaisesNamingThePath) {
  auto path = write("locked.txt", "secret");
  std::filesystem::permissions(path, std::filesystem::perms::none);
  std::filesystem::permissions(dir_, std::filesystem::perms::owner_all | std::filesystem::perms::others_exec |
                                         std::filesystem::perms::group_exec);
  // Root reads files whatever their permission bits, so the check runs in a child process that
  // has given up root (to "nobody") when the suite runs as root, as CI does.
  EXPECT_EXIT(
      {
        if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) std::_Exit(3);
        try {
          FileInput::from_path(path);
        } catch (FileInputError const& e) {
          bool good = e.path() == path && std::string(e.what()).find(path.string()) != std::string::npos &&
                      std::string(e.what()).find("cannot be opened") != std::string::npos;
          std::_Exit(good ? 0 : 2);
        }
        std::_Exit(1);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST_F(FileInputTest, FromBytesDefaultsToUploadAndOctetStream) {
  auto input = FileInput::from_bytes(std::string("\0\1\2", 3));
  EXPECT_EQ(input.kind(), FileInput::Kind::bytes);
  EXPECT_EQ(input.filename(), "upload");
  EXPECT_EQ(input.media_type(), "application/octet-stream");
  EXPECT_EQ(input.size(), 3u);
  EXPECT_EQ(input.bytes(), std::string("\0\1\2", 3));
}

TEST_F(FileInputTest, FromContentsIsTheSeedTriple) {
  auto input = FileInput::from_contents("train.jsonl", "{}\n", "application/x-ndjson");
  EXPECT_EQ(input.filename(), "train.jsonl");
  EXPECT_EQ(input.bytes(), "{}\n");
  EXPECT_EQ(input.media_type(), "application/x-ndjson");
  EXPECT_EQ(FileInput::from_contents("data.json", "{}").media_type(), "application/json");
}

TEST_F(FileInputTest, FromStreamKeepsTheStreamAndOptionalSize) {
  auto stream = std::make_shared<std::stringstream>("hello");
  auto sized = FileInput::from_stream(stream, "h.txt", std::nullopt, 5);
  EXPECT_EQ(sized.kind(), FileInput::Kind::stream);
  EXPECT_EQ(sized.stream(), stream);
  EXPECT_EQ(sized.size(), 5u);
  EXPECT_EQ(sized.media_type(), "text/plain");
  EXPECT_FALSE(FileInput::from_stream(stream).size().has_value());
  EXPECT_THROW(FileInput::from_stream(nullptr), FileInputError);
}

TEST_F(FileInputTest, CopiesCanBeRenamed) {
  auto input = FileInput::from_bytes("abc", "a.txt");
  auto renamed = input.with_filename("b.json").with_media_type("application/json");
  EXPECT_EQ(input.filename(), "a.txt");
  EXPECT_EQ(renamed.filename(), "b.json");
  EXPECT_EQ(renamed.media_type(), "application/json");
  EXPECT_EQ(renamed.bytes(), "abc");
}

TEST_F(FileInputTest, GuessesMediaTypesFromExtensions) {
  EXPECT_EQ(FileInput::guess_media_type("a.jsonl"), "application/jsonl");
  EXPECT_EQ(FileInput::guess_media_type("A.JSONL"), "application/jsonl");
  EXPECT_EQ(FileInput::guess_media_type("a.json"), "application/json");
  EXPECT_EQ(FileInput::guess_media_type("a.txt"), "text/plain");
  EXPECT_EQ(FileInput::guess_media_type("a.pdf"), "application/pdf");
  EXPECT_EQ(FileInput::guess_media_type("archive.tar.gz"), "application/octet-stream");
  EXPECT_EQ(FileInput::guess_media_type("noextension"), "application/octet-stream");
}

}  // namespace

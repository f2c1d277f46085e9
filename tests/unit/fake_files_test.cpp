// The fake Files endpoints without HTTP: the streaming multipart parser (checked against the
// SDK's encoder), SHA-256, and the stateful store.
#include <smarter/detail/multipart.hpp>
#include <smarter/testkit/fake_files.hpp>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <random>
#include <string>
#include <vector>

#include "testkit/fake_files_multipart.hpp"

namespace {

using smarter::testkit::FakeFiles;
using smarter::testkit::sha256_hex;
using smarter::testkit::detail::FormPartInfo;
using smarter::testkit::detail::MultipartParseError;
using smarter::testkit::detail::MultipartStreamParser;

struct ParsedPart {
  FormPartInfo info;
  std::string data;
  bool ended = false;
};

// Parses `body` fed in pieces of the given sizes (cycled).
std::vector<ParsedPart> parse(std::string const& boundary, std::string const& body, std::vector<std::size_t> pieces) {
  std::vector<ParsedPart> parts;
  MultipartStreamParser::Callbacks callbacks;
  callbacks.on_part_begin = [&](FormPartInfo const& info) { parts.push_back({info, {}, false}); };
  callbacks.on_part_data = [&](char const* data, std::size_t size) { parts.back().data.append(data, size); };
  callbacks.on_part_end = [&] { parts.back().ended = true; };
  MultipartStreamParser parser(boundary, callbacks);
  std::size_t offset = 0;
  std::size_t k = 0;
  while (offset < body.size()) {
    std::size_t n = std::min(pieces[k++ % pieces.size()], body.size() - offset);
    parser.feed(body.data() + offset, n);
    offset += n;
  }
  parser.finish();
  return parts;
}

TEST(FakeFilesTest, Sha256KnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  // Incremental updates in odd pieces give the same digest.
  std::string text(1000, 'x');
  for (std::size_t i = 0; i < text.size(); ++i) text[i] = static_cast<char>(i * 7);
  smarter::testkit::Sha256 hash;
  for (std::size_t i = 0; i < text.size(); i += 37) hash.update(text.data() + i, std::min<std::size_t>(37, text.size() - i));
  EXPECT_EQ(hash.hex_digest(), sha256_hex(text));
}

TEST(FakeFilesTest, Fnv1aKnownVectors) {
  EXPECT_EQ(smarter::testkit::fnv1a64_hex(""), "cbf29ce484222325");
  EXPECT_EQ(smarter::testkit::fnv1a64_hex("a"), "af63dc4c8601ec8c");
  EXPECT_EQ(smarter::testkit::fnv1a64_hex("foobar"), "85944171f73967e8");
}

TEST(FakeFilesTest, ParserReadsWhatTheEncoderWritesInAnyPieces) {
  std::string content(200'003, '\0');
  std::mt19937 random(42);
  for (auto& c : content) c = static_cast<char>(random());
  // Put boundary look-alikes into the content: the parser must not stop at them.
  content.replace(1000, 20, "\r\n--the-boundary\r\n-");
  smarter::detail::MultipartForm form("the-boundary-x");
  form.add_field("purpose", "fine-tune");
  form.add_json("expires_after", {{"anchor", "created_at"}, {"seconds", 3600}});
  form.add_file("file", smarter::FileInput::from_bytes(content, "we\"ird\nname.jsonl"));
  std::string body = form.encode();

  for (auto const& pieces : std::vector<std::vector<std::size_t>>{{1}, {3, 7, 11}, {4096}, {body.size()}}) {
    if (pieces[0] == 1 && body.size() > 50'000) {
      // Byte-by-byte over the whole body is slow in debug builds; use a shorter body.
      smarter::detail::MultipartForm small("the-boundary-x");
      small.add_field("a", "1");
      small.add_file("file", smarter::FileInput::from_bytes("\r\n--the-boundary-\r\nx", "f.bin"));
      auto parts = parse("the-boundary-x", small.encode(), pieces);
      ASSERT_EQ(parts.size(), 2u);
      EXPECT_EQ(parts[1].data, "\r\n--the-boundary-\r\nx");
      continue;
    }
    auto parts = parse("the-boundary-x", body, pieces);
    ASSERT_EQ(parts.size(), 4u);
    EXPECT_EQ(parts[0].info.name, "purpose");
    EXPECT_EQ(parts[0].data, "fine-tune");
    EXPECT_FALSE(parts[0].info.filename.has_value());
    EXPECT_EQ(parts[1].info.name, "expires_after[anchor]");
    EXPECT_EQ(parts[2].data, "3600");
    EXPECT_EQ(parts[3].info.name, "file");
    EXPECT_EQ(parts[3].info.filename, "we\"ird\nname.jsonl");
    EXPECT_EQ(parts[3].info.content_type, "application/jsonl");
    EXPECT_TRUE(parts[3].data == content);
    for (auto const& part : parts) EXPECT_TRUE(part.ended);
  }
}

TEST(FakeFilesTest, ParserRejectsTruncatedAndMalformedBodies) {
  std::string const good = "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--B--\r\n";
  EXPECT_NO_THROW(parse("B", good, {5}));
  EXPECT_THROW(parse("B", good.substr(0, good.size() - 5), {5}), MultipartParseError);
  EXPECT_THROW(parse("B", "--B\r\nX-Other: 1\r\n\r\nx\r\n--B--\r\n", {5}), MultipartParseError);
  EXPECT_THROW(parse("B", "--Bjunk\r\n", {5}), MultipartParseError);
}

TEST(FakeFilesTest, StoresUploadsOnDiskAndServesThem) {
  FakeFiles files;
  smarter::detail::MultipartForm form("XYZ");
  form.add_field("purpose", "batch");
  form.add_file("file", smarter::FileInput::from_contents("in.jsonl", "{\"a\":1}\n"));
  std::string body = form.encode();
  auto upload = files.begin_upload(form.content_type());
  upload.feed(body.data(), 10);
  upload.feed(body.data() + 10, body.size() - 10);
  auto reply = upload.finish();
  ASSERT_EQ(reply.status, 200) << reply.body;
  auto json = nlohmann::json::parse(reply.body);
  std::string id = json["id"];
  EXPECT_EQ(json["bytes"], 8);
  EXPECT_EQ(json["filename"], "in.jsonl");
  EXPECT_EQ(json["purpose"], "batch");
  EXPECT_EQ(files.read_bytes(id), "{\"a\":1}\n");
  EXPECT_EQ(files.find(id)->sha256, sha256_hex("{\"a\":1}\n"));
  EXPECT_TRUE(std::filesystem::exists(files.find(id)->path));
  ASSERT_EQ(files.upload_attempts().size(), 1u);
  EXPECT_EQ(files.upload_attempts()[0].body_fnv1a, smarter::testkit::fnv1a64_hex(body));
  EXPECT_EQ(files.upload_attempts()[0].part_names, (std::vector<std::string>{"purpose", "file"}));

  EXPECT_EQ(files.content(id).file, files.find(id)->path);
  EXPECT_EQ(files.remove(id).status, 200);
  EXPECT_EQ(files.retrieve(id).status, 404);
  EXPECT_EQ(files.content(id).status, 404);
}

TEST(FakeFilesTest, RejectsUploadsWithoutFileOrPurpose) {
  FakeFiles files;
  auto send = [&](smarter::detail::MultipartForm const& form) {
    auto upload = files.begin_upload(form.content_type());
    std::string body = form.encode();
    upload.feed(body.data(), body.size());
    return upload.finish();
  };
  smarter::detail::MultipartForm no_file;
  no_file.add_field("purpose", "batch");
  auto reply = send(no_file);
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(nlohmann::json::parse(reply.body)["error"]["param"], "file");

  smarter::detail::MultipartForm bad_purpose;
  bad_purpose.add_field("purpose", "nonsense");
  bad_purpose.add_file("file", smarter::FileInput::from_bytes("x"));
  reply = send(bad_purpose);
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(nlohmann::json::parse(reply.body)["error"]["param"], "purpose");
  EXPECT_TRUE(files.files().empty());
}

TEST(FakeFilesTest, ListsWithCursorPagination) {
  FakeFiles files;
  for (int i = 0; i < 5; ++i) files.add("f" + std::to_string(i) + ".txt", i % 2 ? "batch" : "fine-tune", "x");
  auto page = nlohmann::json::parse(files.list(std::nullopt, "2", std::nullopt, "asc").body);
  EXPECT_EQ(page["data"].size(), 2u);
  EXPECT_EQ(page["data"][0]["id"], "file-1");
  EXPECT_EQ(page["has_more"], true);
  page = nlohmann::json::parse(files.list(std::nullopt, "2", std::string("file-4"), "asc").body);
  EXPECT_EQ(page["data"].size(), 1u);
  EXPECT_EQ(page["has_more"], false);
  page = nlohmann::json::parse(files.list(std::string("batch"), std::nullopt, std::nullopt, std::nullopt).body);
  ASSERT_EQ(page["data"].size(), 2u);
  EXPECT_EQ(page["data"][0]["id"], "file-4");  // Newest first by default.
  EXPECT_EQ(files.list(std::nullopt, "0", std::nullopt, std::nullopt).status, 400);
  EXPECT_EQ(files.list(std::nullopt, std::nullopt, std::nullopt, "up").status, 400);
}

}  // namespace

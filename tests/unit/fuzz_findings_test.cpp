// Findings of the fuzz targets (fuzz/), each pinned by the smallest case that shows it. The
// inputs that found them are replayed too (fuzz/regressions/, ctest label fuzz_replay).
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <smarter/detail/multipart.hpp>
#include <smarter/errors.hpp>
#include <smarter/file_input.hpp>
#include <smarter/types/manifest.hpp>

#include "testkit/fake_files_multipart.hpp"

namespace {

using smarter::Manifest;
using smarter::testkit::detail::FormPartInfo;
using smarter::testkit::detail::MultipartStreamParser;

// fuzz target `manifest`: a loaded document may have any `metadata`; the setters used to throw
// nlohmann's type_error (not a SmarterError) when it was not an object.
TEST(FuzzFindings, ManifestSettersReplaceMetadataThatIsNotAnObject) {
  for (char const* text : {R"({"kind":"Chatbot","metadata":5})", R"({"metadata":"x"})", R"({"metadata":[1,2]})",
                           R"({"metadata":null})", R"({})"}) {
    Manifest manifest = Manifest::parse_json(text);
    manifest.set_name("bot").set_description("d").set_version("1.0.0");
    EXPECT_EQ(manifest.name(), "bot") << text;
    EXPECT_EQ(manifest.value()["metadata"], (nlohmann::json{{"name", "bot"}, {"description", "d"}, {"version", "1.0.0"}}))
        << text;
  }
}

TEST(FuzzFindings, ManifestSettersKeepAnObjectMetadata) {
  Manifest manifest = Manifest::parse_json(R"({"metadata":{"name":"a","tags":["t"]}})");
  manifest.set_name("b");
  EXPECT_EQ(manifest.value()["metadata"], (nlohmann::json{{"name", "b"}, {"tags", {"t"}}}));
}

struct Part {
  FormPartInfo info;
  std::string data;
};

std::vector<Part> parse(std::string const& boundary, std::string const& body) {
  std::vector<Part> parts;
  MultipartStreamParser::Callbacks callbacks;
  callbacks.on_part_begin = [&](FormPartInfo const& info) { parts.push_back(Part{info, {}}); };
  callbacks.on_part_data = [&](char const* data, std::size_t size) { parts.back().data.append(data, size); };
  MultipartStreamParser parser(boundary, callbacks);
  parser.feed(body.data(), body.size());
  parser.finish();
  return parts;
}

// fuzz target `multipart`: the fake server decoded "%0a" and "%0d" in names case-insensitively,
// so a name that merely contained the text "%0a" came back with a line feed. Only the sequences
// the encoder (and the WHATWG parser) use, upper-case, are escapes.
TEST(FuzzFindings, FakeMultipartParserDecodesOnlyTheUpperCaseEscapes) {
  smarter::detail::MultipartForm form("B");
  form.add_field("100%0a-off", "v");
  form.add_file("f%0d", smarter::FileInput::from_bytes("x", "50%0a.txt"));
  form.add_field("line\nbreak \"quoted\"", "w");
  auto const parts = parse("B", form.encode());
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0].info.name, "100%0a-off");
  EXPECT_EQ(parts[0].data, "v");
  EXPECT_EQ(parts[1].info.name, "f%0d");
  EXPECT_EQ(parts[1].info.filename, "50%0a.txt");
  EXPECT_EQ(parts[2].info.name, "line\nbreak \"quoted\"");
}

}  // namespace

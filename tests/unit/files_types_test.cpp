// Decoding of the Files models: unknown fields kept, null vs missing, strict required fields.
#include <smarter/detail/decode.hpp>
#include <smarter/types/files.hpp>

#include <gtest/gtest.h>

namespace {

using smarter::FileDeleted;
using smarter::FileObject;
using smarter::detail::DecodeError;
using smarter::detail::decode_value;

nlohmann::json full_file() {
  return {{"id", "file-abc123"},     {"object", "file"},          {"bytes", 120000},
          {"created_at", 1677610602}, {"expires_at", 1680202602}, {"filename", "salesOverview.pdf"},
          {"purpose", "assistants"},  {"status", "processed"},    {"status_details", nullptr}};
}

TEST(FilesTypesTest, DecodesEveryModelledField) {
  auto file = decode_value<FileObject>(full_file());
  EXPECT_EQ(file.id, "file-abc123");
  EXPECT_EQ(file.object, "file");
  EXPECT_EQ(file.bytes, 120000u);
  EXPECT_EQ(file.created_at, 1677610602);
  EXPECT_EQ(file.expires_at, 1680202602);
  EXPECT_EQ(file.filename, "salesOverview.pdf");
  EXPECT_EQ(file.purpose, "assistants");
  EXPECT_EQ(file.status, "processed");
  EXPECT_FALSE(file.status_details.has_value());
}

TEST(FilesTypesTest, KeepsUnknownFieldsAndValuesAndTellsNullFromMissing) {
  auto json = full_file();
  json["purpose"] = "a-purpose-from-the-future";
  json["status"] = "quarantined";
  json["new_field"] = {{"nested", true}};
  json.erase("expires_at");
  auto file = decode_value<FileObject>(json);
  EXPECT_EQ(file.purpose, "a-purpose-from-the-future");
  EXPECT_EQ(file.status, "quarantined");
  EXPECT_EQ(file.field("new_field")["nested"], true);
  EXPECT_TRUE(file.is_null("status_details"));
  EXPECT_TRUE(file.has_field("status_details"));
  EXPECT_FALSE(file.has_field("expires_at"));
  EXPECT_FALSE(file.expires_at.has_value());
  EXPECT_EQ(nlohmann::json::parse(file.to_json()), json);
}

TEST(FilesTypesTest, MissingOrMistypedRequiredFieldsAreNamed) {
  for (char const* field : {"id", "bytes", "created_at", "filename", "purpose"}) {
    auto json = full_file();
    json.erase(field);
    try {
      decode_value<FileObject>(json);
      ADD_FAILURE() << "missing " << field << " was accepted";
    } catch (DecodeError const& e) {
      EXPECT_EQ(e.path(), std::string("/") + field);
    }
  }
  auto json = full_file();
  json["bytes"] = "lots";
  try {
    decode_value<FileObject>(json);
    ADD_FAILURE() << "a string for bytes was accepted";
  } catch (DecodeError const& e) {
    EXPECT_EQ(e.path(), "/bytes");
  }
}

TEST(FilesTypesTest, DecodesFileDeleted) {
  auto deleted = decode_value<FileDeleted>({{"id", "file-1"}, {"object", "file"}, {"deleted", true}});
  EXPECT_EQ(deleted.id, "file-1");
  EXPECT_TRUE(deleted.deleted);
  EXPECT_THROW(decode_value<FileDeleted>({{"id", "file-1"}}), DecodeError);
}

}  // namespace

// The table-driven codec on types of its own: presence rules, aliases, nested models sharing one
// document, lists, maps, variants, checked numbers, and encoding from the same table.
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <smarter/detail/codec.hpp>

namespace codec_test {

using nlohmann::json;

struct Inner : smarter::Model {
  std::string name{};
  std::optional<std::int64_t> size{};
};

struct Outer : smarter::Model {
  std::string id{};
  std::int64_t created = 0;
  std::optional<std::string> label{};
  std::vector<Inner> items{};
  std::optional<Inner> best{};
  std::map<std::string, std::string> tags{};
  std::optional<std::variant<std::string, std::int64_t>> epochs{};
  json extra{};
  int count = 7;
};

struct Params {
  std::string model{};
  std::optional<double> temperature{};
  std::vector<std::string> stop{};
  std::optional<std::variant<std::string, std::int64_t>> n_epochs{};
  json extra{};
};

SMARTER_DECLARE_CODEC(Inner);
SMARTER_DECLARE_CODEC(Outer);
SMARTER_DECLARE_ENCODER(Params);

}  // namespace codec_test

namespace smarter::detail {
template <>
struct Schema<codec_test::Inner> {
  static constexpr auto fields = std::make_tuple(required("name", &codec_test::Inner::name),
                                                 field("size", "byteSize", &codec_test::Inner::size));
};
template <>
struct Schema<codec_test::Outer> {
  static constexpr auto fields = std::make_tuple(
      required("id", &codec_test::Outer::id), field("created_at", "createdAt", &codec_test::Outer::created),
      field("label", &codec_test::Outer::label), field("items", &codec_test::Outer::items),
      field("best", &codec_test::Outer::best), field("tags", &codec_test::Outer::tags),
      field("epochs", &codec_test::Outer::epochs), field("extra", &codec_test::Outer::extra),
      field("count", &codec_test::Outer::count));
};
template <>
struct Schema<codec_test::Params> {
  static constexpr auto fields = std::make_tuple(
      required("model", &codec_test::Params::model), field("temperature", &codec_test::Params::temperature),
      field("stop", &codec_test::Params::stop), field("n_epochs", &codec_test::Params::n_epochs),
      extra(&codec_test::Params::extra));
};
}  // namespace smarter::detail

namespace codec_test {
SMARTER_DEFINE_CODEC(Inner)
SMARTER_DEFINE_CODEC(Outer)
SMARTER_DEFINE_ENCODER(Params)

namespace {

using smarter::detail::DecodeError;
using ::testing::HasSubstr;

std::shared_ptr<json const> document(char const* text) { return std::make_shared<json const>(json::parse(text)); }

Outer decode(char const* text) { return smarter::detail::decode_document<Outer>(document(text)); }

TEST(CodecTest, DecodesEveryKindOfMember) {
  Outer outer = decode(R"({"id": "o1", "createdAt": 5, "label": null, "items": [{"name": "a", "size": 3},
      {"name": "b", "byteSize": 4}], "best": {"name": "c"}, "tags": {"team": "x"}, "epochs": "auto",
      "extra": {"free": [1, 2]}, "unknown": true})");
  EXPECT_EQ(outer.id, "o1");
  EXPECT_EQ(outer.created, 5);
  EXPECT_FALSE(outer.label);
  EXPECT_TRUE(outer.is_null("label"));
  ASSERT_EQ(outer.items.size(), 2u);
  EXPECT_EQ(outer.items[1].size, 4);  // the alias
  ASSERT_TRUE(outer.best);
  EXPECT_EQ(outer.best->name, "c");
  EXPECT_EQ(outer.tags.at("team"), "x");
  EXPECT_EQ(std::get<std::string>(*outer.epochs), "auto");
  EXPECT_EQ(outer.extra, json::parse(R"({"free": [1, 2]})"));
  EXPECT_EQ(outer.count, 7);  // absent: the default stays
  EXPECT_EQ(outer.field("unknown"), true);
  EXPECT_EQ(decode(R"({"id": "o", "epochs": 3})").epochs, (std::variant<std::string, std::int64_t>(std::int64_t{3})));
}

TEST(CodecTest, NestedModelsShareTheDocumentInsteadOfCopyingIt) {
  Outer outer = decode(R"({"id": "o1", "items": [{"name": "a"}, {"name": "b"}], "best": {"name": "c"}})");
  json const& root = outer.to_dict();
  EXPECT_EQ(&outer.items[0].to_dict(), &root["items"][0]);
  EXPECT_EQ(&outer.items[1].to_dict(), &root["items"][1]);
  EXPECT_EQ(&outer.best->to_dict(), &root["best"]);
  Outer copy = outer;  // copies share the same document too
  EXPECT_EQ(&copy.items[1].to_dict(), &root["items"][1]);
  Inner kept = outer.items[0];
  outer = Outer();
  EXPECT_EQ(kept.to_dict(), json::parse(R"({"name": "a"})")) << "a nested model keeps the document alive";
}

TEST(CodecTest, TheFirstSpellingWins) {
  EXPECT_EQ(decode(R"({"id": "o", "created_at": 1, "createdAt": 2})").created, 1);
  EXPECT_EQ(decode(R"({"id": "o", "createdAt": 2})").created, 2);
}

TEST(CodecTest, ErrorsNameTheFieldAndItsPath) {
  auto error_path = [](char const* text) {
    try {
      decode(text);
    } catch (DecodeError const& e) {
      return e.path();
    }
    return std::string("(no error)");
  };
  EXPECT_EQ(error_path(R"({"created_at": 1})"), "/id");
  EXPECT_EQ(error_path(R"({"id": null})"), "/id");
  EXPECT_EQ(error_path(R"({"id": 5})"), "/id");
  EXPECT_EQ(error_path(R"({"id": "o", "items": [{"name": "a"}, {"size": 1}]})"), "/items/1/name");
  EXPECT_EQ(error_path(R"({"id": "o", "items": [{"name": "a", "byteSize": 1.5}]})"), "/items/0/byteSize");
  EXPECT_EQ(error_path(R"({"id": "o", "createdAt": 1e300})"), "/createdAt");
  EXPECT_EQ(error_path(R"({"id": "o", "tags": {"t": 1}})"), "/tags/t");
  EXPECT_EQ(error_path(R"({"id": "o", "epochs": [1]})"), "/epochs");
  EXPECT_EQ(error_path(R"([1])"), "");
}

TEST(CodecTest, FromJsonWithoutADocumentKeepsACopy) {
  json value = json::parse(R"({"id": "o", "best": {"name": "c"}})");
  Outer outer = value.get<Outer>();
  EXPECT_EQ(outer.best->name, "c");
  EXPECT_NE(&outer.to_dict(), &value);
  EXPECT_EQ(outer.to_dict(), value);
  EXPECT_EQ(&outer.best->to_dict(), &outer.to_dict()["best"]) << "one copy, shared by the nested models";
  Outer through_helper = smarter::detail::decode_value<Outer>(value);
  EXPECT_EQ(&through_helper.best->to_dict(), &through_helper.to_dict()["best"]);
}

TEST(CodecTest, EncodesRequiredAlwaysAndOptionalsWhenSet) {
  Params params;
  params.model = "m";
  EXPECT_EQ(json(params), json::parse(R"({"model": "m"})"));
  params.temperature = 0.5;
  params.stop = {"\n"};
  params.n_epochs = std::string("auto");
  EXPECT_EQ(json(params), json::parse(R"({"model": "m", "temperature": 0.5, "stop": ["\n"], "n_epochs": "auto"})"));
  params.n_epochs = std::int64_t{4};
  EXPECT_EQ(json(params)["n_epochs"], 4);
  params.extra = {{"temperature", nullptr}, {"seed", 1}};
  EXPECT_EQ(json(params)["temperature"], nullptr) << "extra parameters win, nulls included";
  EXPECT_EQ(json(params)["seed"], 1);
  Params empty;
  EXPECT_EQ(json(empty), json::parse(R"({"model": ""})")) << "a required field is sent even when empty";
}

}  // namespace
}  // namespace codec_test

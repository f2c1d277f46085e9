// The fake platform answers a prompt in the real platform's full shape (issue 13, item 12): every
// key path of its answer, with the JSON type there, equals the shared fixture's
// (tests/fixtures/smarter/chat_prompt.v0_13.json, a copy of ../shared/fixtures/smarter), in both
// generations, over real HTTP. Clients that validate the whole answer, such as the Python
// smarter-api's prompt models, then accept the fake's answer as they accept the platform's.
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include <smarter/client.hpp>
#include <smarter/resources/chatbots.hpp>
#include <smarter/resources/resources.hpp>
#include <smarter/testkit/fake_platform.hpp>
#include <smarter/testkit/fake_server.hpp>

namespace {

using nlohmann::json;
using smarter::testkit::FakeGeneration;

json fixture() {
  std::ifstream in(std::filesystem::path(SMARTER_FIXTURES_DIR) / "chat_prompt.v0_13.json", std::ios::binary);
  EXPECT_TRUE(in) << "cannot open the chat_prompt fixture";
  std::ostringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

std::string type_of(json const& value) {
  switch (value.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return "integer";
    case json::value_t::number_float: return "float";
    case json::value_t::string: return "string";
    case json::value_t::array: return "array";
    case json::value_t::object: return "object";
    default: return "other";
  }
}

// Every key path below `value` with the JSON type found there, as "path: type". Array elements
// share one path segment, "[]", so lists of any length compare by the shape of their items.
void collect(json const& value, std::string const& path, std::set<std::string>& out) {
  if (!path.empty()) out.insert(path + ": " + type_of(value));
  if (value.is_object()) {
    for (auto const& item : value.items()) collect(item.value(), path + "/" + item.key(), out);
  } else if (value.is_array()) {
    for (auto const& item : value) collect(item, path + "/[]", out);
  }
}

std::set<std::string> key_paths(json const& value) {
  std::set<std::string> out;
  collect(value, "", out);
  return out;
}

// Empty when the sets are equal, else the paths one has and the other lacks.
std::string difference(std::set<std::string> const& expected, std::set<std::string> const& actual) {
  std::string out;
  for (auto const& path : expected) {
    if (!actual.count(path)) out += "  missing:    " + path + "\n";
  }
  for (auto const& path : actual) {
    if (!expected.count(path)) out += "  unexpected: " + path + "\n";
  }
  return out;
}

// The envelopes of a prompt answer: the CLI view's (the document itself) and the chatbot API's
// inside it (`data.response`).
constexpr char const* kEnvelopes[] = {"", "/data/response"};

// The fixture is a v0.13 answer. What v0.14 changes in the envelope
// (../shared/reference/smarter-platform-api.md, 2.3): the top-level `thing` is removed and
// `metadata` carries `command` and `thing`. The fake's v0.14 default is the journal switch off
// (PlatformOptions::journal), so `metadata.key` gives way to `metadata.command`. Nothing else
// differs, and in particular nothing inside the model's answer.
std::set<std::string> expected_paths(FakeGeneration generation) {
  std::set<std::string> paths = key_paths(fixture());
  if (generation == FakeGeneration::v0_14) {
    for (std::string const envelope : kEnvelopes) {
      EXPECT_EQ(paths.erase(envelope + "/thing: string"), 1u);
      EXPECT_EQ(paths.erase(envelope + "/metadata/key: string"), 1u);
      paths.insert(envelope + "/metadata/command: string");
      paths.insert(envelope + "/metadata/thing: string");
    }
  }
  return paths;
}

// ------------------------------------------------------------------ the comparison itself

TEST(PromptKeyPaths, ListEveryPathWithItsType) {
  json const doc = {{"a", {{"b", 1}, {"c", {1.5, 2.5}}}}, {"d", json::array()}, {"e", nullptr},
                    {"f", {{{"g", "x"}}, {{"g", "y"}, {"h", true}}}}};
  EXPECT_EQ(key_paths(doc), (std::set<std::string>{"/a: object", "/a/b: integer", "/a/c: array", "/a/c/[]: float",
                                                    "/d: array", "/e: null", "/f: array", "/f/[]: object",
                                                    "/f/[]/g: string", "/f/[]/h: boolean"}));
}

TEST(PromptKeyPaths, CatchTheTrimmedAnswerOfIssue13) {
  // The answer the fake used to send: the model's completion in first_iteration reduced to its
  // id and object, and no tools in the request. The comparison must reject it.
  json trimmed = fixture();
  json& first = trimmed["data"]["response"]["data"]["body"]["smarter"]["first_iteration"];
  first["response"] = {{"id", "chatcmpl-x"}, {"object", "chat.completion"}};
  first["request"]["tools"] = json::array();
  std::string const diff = difference(key_paths(fixture()), key_paths(trimmed));
  std::string const first_path = "/data/response/data/body/smarter/first_iteration";
  EXPECT_NE(diff.find("missing:    " + first_path + "/response/choices: array"), std::string::npos) << diff;
  EXPECT_NE(diff.find("missing:    " + first_path + "/response/usage/total_tokens: integer"), std::string::npos) << diff;
  EXPECT_NE(diff.find("missing:    " + first_path + "/request/tools/[]/function/name: string"), std::string::npos) << diff;
}

TEST(PromptKeyPaths, CatchAChangedType) {
  json changed = fixture();
  changed["data"]["response"]["data"]["body"]["metadata"]["temperature"] = 1;  // integer, not 1.0
  EXPECT_EQ(difference(key_paths(fixture()), key_paths(changed)),
            "  missing:    /data/response/data/body/metadata/temperature: float\n"
            "  unexpected: /data/response/data/body/metadata/temperature: integer\n");
}

// ------------------------------------------------------------------ the fake's answer

std::string generation_name(testing::TestParamInfo<FakeGeneration> const& info) {
  return info.param == FakeGeneration::v0_13 ? "v0_13" : "v0_14";
}

class FakePromptShape : public testing::TestWithParam<FakeGeneration> {
 protected:
  void SetUp() override {
    smarter::testkit::PlatformOptions options;
    options.generation = GetParam();
    platform_ = smarter::testkit::install_platform(server_, options);
  }

  bool v14() const { return GetParam() == FakeGeneration::v0_14; }

  smarter::Smarter client() const {
    smarter::ClientOptions options;
    options.api_key = platform_->options().api_key;
    options.base_url = smarter::testkit::platform_base_url(server_);
    options.platform = v14() ? smarter::PlatformGeneration::v0_14 : smarter::PlatformGeneration::v0_13;
    options.client_uid = "shape-test";
    return smarter::Smarter(options);
  }

  // The raw answer to "Hello, World!", as a client reads it off the wire.
  json prompt_raw() const {
    smarter::RequestOptions request;
    request.extra_query = {{"uid", "shape-test"}, {"new_session", "true"}};
    std::string const path = std::string("cli/") + (v14() ? "prompt" : "chat") + "/" +
                             smarter::testkit::kDemoChatbotName + "/";
    smarter::RawResponse response = client().request("POST", path, {{"prompt", "Hello, World!"}}, request);
    EXPECT_EQ(response.status_code, 200);
    return response.json();
  }

  smarter::testkit::FakeServer server_;
  std::shared_ptr<smarter::testkit::FakePlatform> platform_;
};

TEST_P(FakePromptShape, EveryKeyPathAndTypeMatchesTheFixture) {
  json const answer = prompt_raw();
  std::string const diff = difference(expected_paths(GetParam()), key_paths(answer));
  EXPECT_TRUE(diff.empty()) << "the fake's prompt answer differs from chat_prompt.v0_13.json:\n" << diff;
}

TEST_P(FakePromptShape, EnvelopesNameTheirThingWhereTheGenerationPutsIt) {
  json const answer = prompt_raw();
  json const& inner = answer["data"]["response"];
  if (v14()) {
    EXPECT_FALSE(answer.contains("thing"));
    EXPECT_EQ(answer["metadata"]["thing"], "Prompt");
    EXPECT_EQ(answer["metadata"]["command"], "prompt");
    EXPECT_FALSE(inner.contains("thing"));
    EXPECT_EQ(inner["metadata"]["thing"], "LLMClient");
  } else {
    EXPECT_EQ(answer["thing"], "Chat");
    EXPECT_EQ(answer["metadata"]["key"].get<std::string>().size(), 64u);
    EXPECT_EQ(inner["thing"], "Chatbot");
    EXPECT_EQ(inner["metadata"]["key"].get<std::string>().size(), 64u);
  }
}

TEST_P(FakePromptShape, FirstIterationCarriesTheWholeCompletionAndTheTools) {
  json const answer = prompt_raw();
  json const& body = answer["data"]["response"]["data"]["body"];
  json const& first = body["smarter"]["first_iteration"];
  // The model's completion as the body carries it, Smarter's metadata included.
  json completion = body;
  completion.erase("smarter");
  EXPECT_EQ(first["response"], completion);
  EXPECT_EQ(first["response"]["choices"][0]["message"]["content"], smarter::testkit::kDemoHelloAnswer);
  // The request sent the model: the conversation and the chatbot's functions as tools.
  EXPECT_EQ(first["request"]["messages"], answer["data"]["request"]["messages"]);
  ASSERT_EQ(first["request"]["tools"].size(), 1u);
  EXPECT_EQ(first["request"]["tools"][0]["function"]["name"], "get_current_weather");
  EXPECT_EQ(body["smarter"]["tools"], json::array({"get_current_weather"}));
  EXPECT_EQ(first["request"]["tools"][0],
            fixture()["data"]["response"]["data"]["body"]["smarter"]["first_iteration"]["request"]["tools"][0]);
}

TEST_P(FakePromptShape, TheTypedPromptDecodesTheSameAnswer) {
  auto chat = client().resources().chatbots().get(smarter::testkit::kDemoChatbotName).prompt("Hello, World!");
  EXPECT_EQ(chat.answer, smarter::testkit::kDemoHelloAnswer);
  ASSERT_TRUE(chat.completion);
  ASSERT_TRUE(chat.completion->usage);
  EXPECT_EQ(chat.completion->usage->total_tokens,
            chat.completion->usage->prompt_tokens + chat.completion->usage->completion_tokens);
  // The decoded answer keeps its raw `data`, whose paths are the fixture's too.
  std::set<std::string> data_paths;
  for (auto const& path : key_paths(chat.to_dict())) data_paths.insert("/data" + path);
  std::set<std::string> expected;
  for (auto const& path : expected_paths(GetParam())) {
    if (path.rfind("/data/", 0) == 0) expected.insert(path);
  }
  EXPECT_EQ(difference(expected, data_paths), "");
}

INSTANTIATE_TEST_SUITE_P(Generations, FakePromptShape, testing::Values(FakeGeneration::v0_13, FakeGeneration::v0_14),
                         generation_name);

}  // namespace

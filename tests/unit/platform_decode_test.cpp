// Decoding of the Smarter platform's responses: every shared fixture, both key styles, both
// envelope generations, and the prompt body sent as an object or as a JSON string.
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include <smarter/errors.hpp>
#include <smarter/types/chatbots.hpp>
#include <smarter/types/manifest.hpp>
#include <smarter/types/platform.hpp>
#include <smarter/types/plugins.hpp>

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

std::string read_text(fs::path const& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "cannot open " << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

json fixture(std::string const& name) { return json::parse(read_text(fs::path(SMARTER_FIXTURES_DIR) / name)); }

// Converts every snake_case key of an object tree to camelCase (the v0.13 serializers' style).
json camelize(json const& value) {
  if (value.is_array()) {
    json out = json::array();
    for (auto const& item : value) out.push_back(camelize(item));
    return out;
  }
  if (!value.is_object()) return value;
  json out = json::object();
  for (auto const& item : value.items()) {
    std::string key;
    bool upper = false;
    for (char c : item.key()) {
      if (c == '_') {
        upper = true;
      } else {
        key += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
        upper = false;
      }
    }
    out[key] = camelize(item.value());
  }
  return out;
}

// --------------------------------------------------------------- every fixture decodes

// Each fixture is decoded into the type a user gets for that call, and its fields are compared
// with the raw JSON through typed accessors.
void check_chat_prompt(json const& raw) {
  auto chat = smarter::parse_platform_response<smarter::PromptReply>(raw);
  json const& body = raw["data"]["response"]["data"]["body"];
  EXPECT_EQ(chat.answer, body["choices"][0]["message"]["content"].get<std::string>());
  EXPECT_FALSE(chat.answer.empty());
  EXPECT_EQ(chat.session_key, raw["data"]["request"]["session_key"].get<std::string>());
  ASSERT_EQ(chat.messages.size(), raw["data"]["request"]["messages"].size());
  EXPECT_EQ(chat.messages.back().role, "user");
  EXPECT_EQ(chat.messages.back().content, raw["data"]["request"]["messages"].back()["content"].get<std::string>());
  ASSERT_TRUE(chat.completion);
  EXPECT_EQ(chat.completion->id, body["id"].get<std::string>());
  EXPECT_EQ(chat.completion->model, body["model"].get<std::string>());
  EXPECT_EQ(chat.completion->choices.at(0).finish_reason, "stop");
  ASSERT_TRUE(chat.completion->usage);
  EXPECT_EQ(chat.completion->usage->prompt_tokens, body["usage"]["prompt_tokens"].get<std::int64_t>());
  EXPECT_EQ(chat.completion->usage->completion_tokens, body["usage"]["completion_tokens"].get<std::int64_t>());
  EXPECT_EQ(chat.completion->usage->total_tokens, body["usage"]["total_tokens"].get<std::int64_t>());
  EXPECT_EQ(chat.completion->usage->cached_tokens, 0);
  EXPECT_EQ(chat.status_code, 200);
  ASSERT_EQ(chat.smarter_messages.size(), body["smarter"]["messages"].size());
  std::vector<std::string> diagnostics = chat.diagnostics();
  ASSERT_EQ(diagnostics.size(), 2u);
  EXPECT_EQ(diagnostics[1], body["smarter"]["messages"][1]["content"].get<std::string>());
  EXPECT_EQ(chat.smarter_messages.back().smarter_is_new, true);
  EXPECT_EQ(chat.envelope.thing, "Chat");
  EXPECT_EQ(chat.request_id(), raw["metadata"]["key"].get<std::string>());
  EXPECT_EQ(chat.to_dict(), raw["data"]);
  std::vector<smarter::ChatbotMessage> conversation = chat.conversation();
  ASSERT_EQ(conversation.size(), chat.messages.size() + 1);
  EXPECT_EQ(conversation.back().role, "assistant");
  EXPECT_EQ(conversation.back().content, chat.answer);
}

void check_describe_chatbot(json const& raw) {
  auto bot = smarter::parse_platform_response<smarter::ChatbotManifest>(raw);
  json const& data = raw["data"];
  EXPECT_EQ(bot.api_version, data["apiVersion"].get<std::string>());
  EXPECT_EQ(bot.kind, data["kind"].get<std::string>());
  EXPECT_EQ(bot.metadata.name, data["metadata"]["name"].get<std::string>());
  EXPECT_EQ(bot.metadata.version, data["metadata"]["version"].get<std::string>());
  EXPECT_EQ(bot.spec.config.default_model, data["spec"]["config"]["defaultModel"].get<std::string>());
  EXPECT_EQ(bot.spec.config.default_temperature, data["spec"]["config"]["defaultTemperature"].get<double>());
  EXPECT_EQ(bot.spec.config.default_max_tokens, data["spec"]["config"]["defaultMaxTokens"].get<std::int64_t>());
  EXPECT_EQ(bot.spec.config.deployed, data["spec"]["config"]["deployed"].get<bool>());
  EXPECT_FALSE(bot.spec.config.app_name);  // sent as null
  EXPECT_TRUE(bot.spec.config.is_null("appName"));
  EXPECT_FALSE(bot.spec.api_key);
  ASSERT_TRUE(bot.status);
  EXPECT_EQ(bot.status->url_chatbot, data["status"]["urlChatbot"].get<std::string>());
  EXPECT_EQ(bot.status->sandbox_url, data["status"]["sandboxUrl"].get<std::string>());
  EXPECT_EQ(bot.status->default_host, data["status"]["defaultHost"].get<std::string>());
  EXPECT_EQ(bot.status->url_chatapp, data["status"]["urlChatapp"].get<std::string>());
  EXPECT_EQ(bot.status->deployed, data["status"]["deployed"].get<bool>());
  EXPECT_EQ(bot.envelope.message, raw["message"].get<std::string>());
  EXPECT_EQ(bot.envelope.kind(), raw["thing"].get<std::string>());
  EXPECT_EQ(bot.request_id(), raw["metadata"]["key"].get<std::string>());
}

void check_error(json const& raw) {
  auto response = smarter::parse_platform_response<smarter::PlatformResponse>(raw);
  ASSERT_TRUE(response.error);
  EXPECT_EQ(response.error->error_class, raw["error"]["errorClass"].get<std::string>());
  EXPECT_EQ(response.error->description, raw["error"]["description"].get<std::string>());
  EXPECT_EQ(response.error->status, "403");
  EXPECT_EQ(response.error->context, raw["error"]["context"].get<std::string>());
  EXPECT_EQ(response.error->cause, raw["error"]["cause"].get<std::string>());
  EXPECT_EQ(response.metadata.command, "apply");
  EXPECT_FALSE(response.metadata.key);
  EXPECT_FALSE(response.request_id());  // no header, no journal key
  EXPECT_EQ(response.thing, "None");
  EXPECT_TRUE(response.data.is_null());
}

void check_get_chatbots(json const& raw) {
  auto table = smarter::parse_platform_response<smarter::ManifestList>(raw);
  json const& items = raw["data"]["data"]["items"];
  EXPECT_EQ(table.kind, raw["data"]["kind"].get<std::string>());
  EXPECT_EQ(table.count, raw["data"]["metadata"]["count"].get<std::int64_t>());
  ASSERT_EQ(table.titles.size(), raw["data"]["data"]["titles"].size());
  EXPECT_EQ(table.titles[2].name, "dnsVerificationStatus");
  EXPECT_EQ(table.titles[2].type, "ChoiceField");
  ASSERT_EQ(table.items.size(), items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto summary = smarter::detail::decode_value<smarter::ChatbotSummary>(table.items[i]);
    EXPECT_EQ(summary.name, items[i]["name"].get<std::string>());
    EXPECT_EQ(summary.url, items[i]["url"].get<std::string>());
    EXPECT_EQ(summary.deployed, items[i]["deployed"].get<bool>());
    EXPECT_EQ(summary.dns_verification_status, items[i]["dnsVerificationStatus"].get<std::string>());
    EXPECT_EQ(summary.created_at, items[i]["createdAt"].get<std::string>());
  }
  EXPECT_EQ(table.envelope.message, raw["message"].get<std::string>());
}

void check_whoami(json const& raw) {
  auto who = smarter::parse_platform_response<smarter::WhoAmI>(raw);
  json const& data = raw["data"];
  EXPECT_EQ(who.user.username, data["user"]["username"].get<std::string>());
  EXPECT_EQ(who.user.email, data["user"]["email"].get<std::string>());
  EXPECT_EQ(who.user.is_staff, data["user"]["is_staff"].get<bool>());
  EXPECT_EQ(who.user.first_name, data["user"]["first_name"].get<std::string>());
  EXPECT_EQ(who.account.account_number, data["account"]["account_number"].get<std::string>());
  EXPECT_EQ(who.account.company_name, data["account"]["company_name"].get<std::string>());
  EXPECT_EQ(who.account.postal_code, data["account"]["postal_code"].get<std::string>());
  EXPECT_EQ(who.account.is_default_account, data["account"]["is_default_account"].get<bool>());
  EXPECT_FALSE(who.account.language);  // null
  EXPECT_EQ(who.environment, data["environment"].get<std::string>());
  EXPECT_EQ(who.request_id(), raw["metadata"]["key"].get<std::string>());
}

TEST(PlatformFixtures, EveryFixtureDecodesWithTypedAccessors) {
  std::set<std::string> checked;
  for (auto const& entry : fs::directory_iterator(SMARTER_FIXTURES_DIR)) {
    if (entry.path().extension() != ".json") continue;
    std::string const name = entry.path().filename().string();
    SCOPED_TRACE(name);
    json const raw = json::parse(read_text(entry.path()));
    // Every fixture is at least a valid envelope.
    EXPECT_NO_THROW(smarter::parse_platform_response<smarter::PlatformResponse>(raw));
    if (name.rfind("chat_prompt", 0) == 0) {
      check_chat_prompt(raw);
    } else if (name.rfind("describe_chatbot", 0) == 0) {
      check_describe_chatbot(raw);
    } else if (name.rfind("error_", 0) == 0) {
      check_error(raw);
    } else if (name.rfind("get_chatbots", 0) == 0) {
      check_get_chatbots(raw);
    } else if (name.rfind("whoami", 0) == 0) {
      check_whoami(raw);
    } else {
      ADD_FAILURE() << "fixture without a typed decoding check: " << name;
    }
    checked.insert(name);
  }
  EXPECT_GE(checked.size(), 5u);
}

// --------------------------------------------------------------- key styles and generations

TEST(PlatformDecode, WhoAmICamelCaseAndSnakeCaseDecodeToTheSameFields) {
  json snake = fixture("whoami.v0_10.json");
  json camel = snake;
  camel["data"] = camelize(snake["data"]);
  ASSERT_TRUE(camel["data"]["account"].contains("accountNumber"));
  ASSERT_FALSE(camel["data"]["account"].contains("account_number"));

  auto a = smarter::parse_platform_response<smarter::WhoAmI>(snake);
  auto b = smarter::parse_platform_response<smarter::WhoAmI>(camel);
  EXPECT_EQ(a.user.first_name, b.user.first_name);
  EXPECT_EQ(a.user.last_name, b.user.last_name);
  EXPECT_EQ(a.user.is_staff, b.user.is_staff);
  EXPECT_EQ(a.user.is_superuser, b.user.is_superuser);
  EXPECT_EQ(a.account.account_number, b.account.account_number);
  EXPECT_EQ(a.account.company_name, b.account.company_name);
  EXPECT_EQ(a.account.phone_number, b.account.phone_number);
  EXPECT_EQ(a.account.postal_code, b.account.postal_code);
  EXPECT_EQ(a.account.is_default_account, b.account.is_default_account);
  EXPECT_EQ(a.account.created_at, b.account.created_at);
  EXPECT_TRUE(b.account.account_number.has_value());
  EXPECT_TRUE(b.user.is_superuser.has_value());
}

TEST(PlatformDecode, V014EnvelopeCarriesThingInMetadata) {
  json raw = fixture("describe_chatbot.v0_10.json");
  raw.erase("thing");
  raw["metadata"] = {{"command", "describe"}, {"thing", "LLMClient"}};
  raw["data"]["kind"] = "LLMClient";
  auto bot = smarter::parse_platform_response<smarter::ChatbotManifest>(raw);
  EXPECT_FALSE(bot.envelope.thing);
  EXPECT_EQ(bot.envelope.metadata.thing, "LLMClient");
  EXPECT_EQ(bot.envelope.metadata.command, "describe");
  EXPECT_EQ(bot.envelope.kind(), "LLMClient");
  EXPECT_EQ(bot.kind, "LLMClient");
  EXPECT_FALSE(bot.request_id());  // journaling off and no header
}

TEST(PlatformDecode, V014ErrorCarriesThingAndCommand) {
  json raw = fixture("error_not_authenticated.json");
  raw.erase("thing");
  raw["error"]["thing"] = "LLMClient";
  raw["error"]["command"] = "describe";
  raw["metadata"] = {{"command", "describe"}, {"thing", "LLMClient"}};
  auto response = smarter::parse_platform_response<smarter::PlatformResponse>(raw);
  ASSERT_TRUE(response.error);
  EXPECT_EQ(response.error->thing, "LLMClient");
  EXPECT_EQ(response.error->command, "describe");
  EXPECT_EQ(response.kind(), "LLMClient");
}

TEST(PlatformDecode, HeaderRequestIdWinsOverJournalKey) {
  json raw = fixture("whoami.v0_10.json");
  auto from_header = smarter::parse_platform_response<smarter::WhoAmI>(raw, std::string("req_123"));
  EXPECT_EQ(from_header.request_id(), "req_123");
  auto from_key = smarter::parse_platform_response<smarter::WhoAmI>(raw);
  EXPECT_EQ(from_key.request_id(), raw["metadata"]["key"].get<std::string>());
  EXPECT_EQ(from_key.envelope.metadata.key, raw["metadata"]["key"].get<std::string>());
}

TEST(PlatformDecode, PromptBodyAsJsonStringDecodesLikeAnObject) {
  json raw = fixture("chat_prompt.v0_13.json");
  json as_string = raw;
  json& body = as_string["data"]["response"]["data"]["body"];
  body = body.dump();
  ASSERT_TRUE(body.is_string());
  auto a = smarter::parse_platform_response<smarter::PromptReply>(raw);
  auto b = smarter::parse_platform_response<smarter::PromptReply>(as_string);
  EXPECT_EQ(b.answer, a.answer);
  ASSERT_TRUE(b.completion && b.completion->usage);
  EXPECT_EQ(b.completion->usage->total_tokens, a.completion->usage->total_tokens);
  EXPECT_EQ(b.diagnostics(), a.diagnostics());
  EXPECT_TRUE(b.body.is_object());
}

TEST(PlatformDecode, AnswerFallsBackToLastAssistantSmarterMessage) {
  json raw = fixture("chat_prompt.v0_13.json");
  json& body = raw["data"]["response"]["data"]["body"];
  body.erase("choices");
  body["smarter"]["messages"].back()["content"] = "From the smarter messages";
  auto chat = smarter::parse_platform_response<smarter::PromptReply>(raw);
  EXPECT_FALSE(chat.completion);
  EXPECT_EQ(chat.answer, "From the smarter messages");
}

TEST(PlatformDecode, ProviderErrorWithoutBodyGivesEmptyAnswer) {
  json raw = fixture("chat_prompt.v0_13.json");
  json& inner = raw["data"]["response"]["data"];
  inner.erase("body");
  inner["statusCode"] = 500;
  auto chat = smarter::parse_platform_response<smarter::PromptReply>(raw);
  EXPECT_EQ(chat.status_code, 500);
  EXPECT_TRUE(chat.answer.empty());
  EXPECT_FALSE(chat.completion);
}

TEST(PlatformDecode, ChatStreamsItsAnswer) {
  auto chat = smarter::parse_platform_response<smarter::PromptReply>(fixture("chat_prompt.v0_13.json"));
  std::ostringstream out;
  out << chat;
  EXPECT_EQ(out.str(), chat.answer);
}

TEST(PlatformDecode, ManifestWithoutNameIsAValidationErrorNamingTheField) {
  json raw = fixture("describe_chatbot.v0_10.json");
  raw["data"]["metadata"].erase("name");
  try {
    smarter::parse_platform_response<smarter::ChatbotManifest>(raw);
    FAIL() << "expected DecodeError";
  } catch (smarter::detail::DecodeError const& e) {
    EXPECT_EQ(e.path(), "/data/metadata/name");
  }
}

TEST(PlatformDecode, NonJsonSuccessBodyRaisesResponseValidationError) {
  smarter::RawResponse response;
  response.status_code = 200;
  response.body = "<html>oops</html>";
  response.method = "POST";
  response.url = "http://x/api/v1/cli/whoami/";
  EXPECT_THROW(smarter::parse_platform_response<smarter::WhoAmI>(response), smarter::APIResponseValidationError);
}

TEST(PlatformDecode, StatusAndVersion) {
  json status = {{"data",
                  {{"infrastructures", {{"kubernetes", json::object()}, {"redis", {{"redis_version", "7.2.4"}}}}},
                   {"compute", {{"machine", "x86_64"}, {"system", "Linux"}}}}},
                 {"api", "smarter.sh/v1"},
                 {"thing", "None"},
                 {"metadata", {{"command", "status"}}}};
  auto s = smarter::parse_platform_response<smarter::PlatformStatus>(status);
  EXPECT_EQ(s.redis_version, "7.2.4");
  EXPECT_EQ(s.compute.machine, "x86_64");
  EXPECT_EQ(s.infrastructure_names(), (std::vector<std::string>{"kubernetes", "redis"}));

  json version = {{"data", {{"api", {{"version", "0.14.19"}, {"python", {{"django", "5.1.7"}}}}}, {"cli", {{"version", "0.2.1"}}}}},
                  {"api", "smarter.sh/v1"},
                  {"metadata", {{"command", "version"}, {"thing", "None"}}}};
  auto v = smarter::parse_platform_response<smarter::PlatformVersion>(version);
  EXPECT_EQ(v.api_version, "0.14.19");
  EXPECT_EQ(v.cli_version, "0.2.1");
  EXPECT_EQ(v.python.at("django"), "5.1.7");
  EXPECT_EQ(v.generation(), smarter::PlatformGeneration::v0_14);
}

TEST(PlatformDecode, GenerationFromVersion) {
  using G = smarter::PlatformGeneration;
  EXPECT_EQ(smarter::generation_from_version("0.13.223"), G::v0_13);
  EXPECT_EQ(smarter::generation_from_version("0.10.21"), G::v0_13);
  EXPECT_EQ(smarter::generation_from_version("0.14.0"), G::v0_14);
  EXPECT_EQ(smarter::generation_from_version("v0.14.19"), G::v0_14);
  EXPECT_EQ(smarter::generation_from_version("1.0.0"), G::v0_14);
  EXPECT_EQ(smarter::generation_from_version("unknown"), std::nullopt);
  EXPECT_EQ(smarter::generation_from_version(""), std::nullopt);
}

TEST(PlatformDecode, PluginManifestAndSummary) {
  json data = json::parse(read_text(fs::path(SMARTER_TEST_DATA_DIR) / "test_plugin.json"));
  json raw = {{"data", data}, {"message", "Plugin test_static_plugin applied successfully"}, {"api", "smarter.sh/v1"},
              {"thing", "Plugin"}, {"metadata", {{"key", std::string(64, 'a')}}}};
  auto plugin = smarter::parse_platform_response<smarter::PluginManifest>(raw);
  EXPECT_EQ(plugin.metadata.name, "test_static_plugin");
  EXPECT_EQ(plugin.metadata.plugin_class, "static");
  ASSERT_TRUE(plugin.spec.selector);
  EXPECT_EQ(plugin.spec.selector->search_terms, (std::vector<std::string>{"widget", "widgets"}));
  ASSERT_TRUE(plugin.spec.prompt);
  EXPECT_EQ(plugin.spec.prompt->max_tokens, 512);
  EXPECT_EQ(plugin.spec.prompt->system_role, "You answer questions about widgets.");
  EXPECT_EQ(plugin.spec.data["staticData"]["price"], 12.5);
}

// --------------------------------------------------------------- manifests

TEST(ManifestTest, YamlFileConvertsScalarsLikeThePlatform) {
  auto manifest = smarter::Manifest::load_file(std::string(SMARTER_TEST_DATA_DIR) + "/lifecycle_chatbot.yaml");
  json const& v = manifest.value();
  EXPECT_EQ(manifest.kind(), "Chatbot");
  EXPECT_EQ(manifest.name(), "lifecycle_chatbot");
  EXPECT_EQ(manifest.api_version(), "smarter.sh/v1");
  EXPECT_TRUE(v["metadata"]["version"].is_string());
  EXPECT_EQ(v["metadata"]["version"], "0.1.0");
  json const& config = v["spec"]["config"];
  EXPECT_TRUE(config["defaultTemperature"].is_number_float());
  EXPECT_DOUBLE_EQ(config["defaultTemperature"].get<double>(), 0.5);
  EXPECT_TRUE(config["defaultMaxTokens"].is_number_integer());
  EXPECT_EQ(config["defaultMaxTokens"], 2048);
  EXPECT_EQ(config["deployed"], false);
  EXPECT_EQ(config["appFileAttachment"], false);  // YAML 1.1 "no", as PyYAML reads it
  EXPECT_TRUE(config["customDomain"].is_null());  // "~"
  EXPECT_TRUE(v["spec"]["apiKey"].is_null());
  EXPECT_EQ(config["appWelcomeMessage"], "Welcome to the lifecycle chatbot!");
  EXPECT_EQ(config["appExamplePrompts"].size(), 2u);
  EXPECT_EQ(v["spec"]["plugins"], json::array({"everlasting_gobstopper"}));
}

TEST(ManifestTest, QuotedYamlScalarsStayStrings) {
  auto manifest = smarter::Manifest::parse_yaml(
      "kind: Plugin\nmetadata:\n  name: p\n  version: '1.0'\nspec:\n  a: \"true\"\n  b: true\n  c: '12'\n  d: 12\n  e: -3.5e2\n");
  json const& spec = manifest.value()["spec"];
  EXPECT_EQ(manifest.value()["metadata"]["version"], "1.0");
  EXPECT_EQ(spec["a"], "true");
  EXPECT_EQ(spec["b"], true);
  EXPECT_EQ(spec["c"], "12");
  EXPECT_EQ(spec["d"], 12);
  EXPECT_DOUBLE_EQ(spec["e"].get<double>(), -350.0);
}

TEST(ManifestTest, JsonFileAndTextLoad) {
  auto from_file = smarter::Manifest::load_file(std::string(SMARTER_TEST_DATA_DIR) + "/test_plugin.json");
  EXPECT_EQ(from_file.kind(), "Plugin");
  EXPECT_EQ(from_file.name(), "test_static_plugin");
  auto from_text = smarter::Manifest::parse_json(from_file.dump());
  EXPECT_EQ(from_text.value(), from_file.value());
}

TEST(ManifestTest, BadInputRaisesSmarterError) {
  EXPECT_THROW(smarter::Manifest::parse_json("{not json"), smarter::SmarterError);
  EXPECT_THROW(smarter::Manifest::parse_json("[1, 2]"), smarter::SmarterError);
  EXPECT_THROW(smarter::Manifest::parse_yaml("- a\n- b\n"), smarter::SmarterError);
  EXPECT_THROW(smarter::Manifest::parse_yaml("a: [unclosed"), smarter::SmarterError);
  EXPECT_THROW(smarter::Manifest::load_file("/nonexistent/manifest.yaml"), smarter::SmarterError);
}

TEST(ManifestTest, BuiltInCode) {
  smarter::Manifest manifest("Chatbot", "coded_bot");
  manifest.set_description("Built in C++").set_version("2.0.0").set_spec({{"config", {{"provider", "openai"}}}});
  json const& v = manifest.value();
  EXPECT_EQ(v["apiVersion"], "smarter.sh/v1");
  EXPECT_EQ(manifest.kind(), "Chatbot");
  EXPECT_EQ(manifest.name(), "coded_bot");
  EXPECT_EQ(v["metadata"]["description"], "Built in C++");
  EXPECT_EQ(v["metadata"]["version"], "2.0.0");
  EXPECT_EQ(v["spec"]["config"]["provider"], "openai");
}

TEST(ManifestTest, DocumentBackToManifestDropsStatus) {
  auto document = smarter::parse_platform_response<smarter::ManifestDocument>(fixture("describe_chatbot.v0_10.json"));
  ASSERT_TRUE(document.has_field("metadata"));
  EXPECT_EQ(document.metadata.name, "netec-demo");
  EXPECT_TRUE(document.status.is_object());
  smarter::Manifest manifest = document.to_manifest();
  EXPECT_FALSE(manifest.value().contains("status"));
  EXPECT_EQ(manifest.name(), "netec-demo");
  EXPECT_EQ(manifest.value()["spec"], document.spec);
}

}  // namespace

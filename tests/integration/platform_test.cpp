// The platform API against the fake server's platform mode, in both generations: chatbot
// lifecycle, sessions, plugins, manifests, whoami/status/version, every error shape, and the
// exact requests on the wire (from the server's request log).
#include <algorithm>
#include <cctype>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <smarter/client.hpp>
#include <smarter/errors.hpp>
#include <smarter/resources/manifests.hpp>
#include <smarter/resources/resources.hpp>
#include <smarter/testkit/fake_platform.hpp>
#include <smarter/testkit/fake_server.hpp>

namespace {

using nlohmann::json;
using smarter::testkit::FakeGeneration;
using smarter::testkit::FakeServer;
using smarter::testkit::RecordedRequest;

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool contains(std::string const& text, std::string const& needle) { return text.find(needle) != std::string::npos; }

std::string generation_name(testing::TestParamInfo<FakeGeneration> const& info) {
  return info.param == FakeGeneration::v0_13 ? "v0_13" : "v0_14";
}

class PlatformTest : public testing::TestWithParam<FakeGeneration> {
 protected:
  void SetUp() override { start({}); }

  // (Re)starts the fake platform with `options` (generation from the test parameter).
  void start(smarter::testkit::PlatformOptions options) {
    options.generation = GetParam();
    client_.reset();
    platform_.reset();
    server_ = std::make_unique<FakeServer>();
    platform_ = smarter::testkit::install_platform(*server_, options);
    client_ = std::make_unique<smarter::Smarter>(client_options());
  }

  smarter::ClientOptions client_options(bool explicit_generation = true) const {
    smarter::ClientOptions options;
    options.api_key = platform_->options().api_key;
    options.base_url = smarter::testkit::platform_base_url(*server_);
    // No retries: every request on the wire is one call, so the log can be asserted exactly.
    options.max_retries = 0;
    if (explicit_generation) options.platform = v14() ? smarter::PlatformGeneration::v0_14 : smarter::PlatformGeneration::v0_13;
    return options;
  }

  bool v14() const { return GetParam() == FakeGeneration::v0_14; }
  std::string chatbot_kind() const { return v14() ? "llmclient" : "chatbot"; }
  std::string chat_word() const { return v14() ? "prompt" : "chat"; }
  std::string cli(std::string const& rest) const { return "/api/v1/cli/" + rest; }

  std::vector<RecordedRequest> log() const { return server_->requests(); }

  // Every request must be a POST to a cli/ path with its trailing slash and the token header.
  void expect_cli_requests_well_formed() const {
    for (auto const& r : log()) {
      SCOPED_TRACE(r.method + " " + r.target);
      EXPECT_EQ(r.method, "POST");
      EXPECT_EQ(r.path.rfind("/api/v1/cli/", 0), 0u);
      EXPECT_EQ(r.path.back(), '/');
      EXPECT_EQ(r.header("Authorization"), "Token " + platform_->options().api_key);
      if (!r.body.empty()) {
        EXPECT_EQ(lower(r.header("Content-Type").value_or("")).rfind("application/json", 0), 0u);
        EXPECT_NO_THROW((void)r.json());
      }
    }
  }

  std::unique_ptr<FakeServer> server_;
  std::shared_ptr<smarter::testkit::FakePlatform> platform_;
  std::unique_ptr<smarter::Smarter> client_;
};

// --------------------------------------------------------------- the quick-start

TEST_P(PlatformTest, QuickStartPromptsTheDemoChatbot) {
  auto chatbot = client_->resources().chatbots().get(smarter::testkit::kDemoChatbotName);
  auto chat = chatbot.prompt("Hello, World!");
  std::ostringstream out;
  out << chat;
  EXPECT_EQ(out.str(), smarter::testkit::kDemoHelloAnswer);
  EXPECT_EQ(chatbot.name(), smarter::testkit::kDemoChatbotName);
  EXPECT_EQ(chatbot.kind, v14() ? "LLMClient" : "Chatbot");
  ASSERT_TRUE(chatbot.status && chatbot.status->url_chatbot);
  EXPECT_TRUE(contains(*chatbot.status->url_chatbot, "/chat/"));
  ASSERT_TRUE(chat.completion && chat.completion->usage);
  EXPECT_EQ(chat.completion->usage->total_tokens,
            chat.completion->usage->prompt_tokens + chat.completion->usage->completion_tokens);
  EXPECT_EQ(chat.diagnostics().size(), 2u);
  EXPECT_EQ(chat.envelope.kind(), v14() ? "Prompt" : "Chat");

  auto requests = log();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].path, cli("describe/" + chatbot_kind() + "/"));
  EXPECT_EQ(requests[0].param("name"), smarter::testkit::kDemoChatbotName);
  EXPECT_TRUE(requests[0].body.empty());
  EXPECT_EQ(requests[1].path, cli(chat_word() + "/" + smarter::testkit::kDemoChatbotName + "/"));
  EXPECT_EQ(requests[1].param("uid"), client_->client_uid());
  EXPECT_FALSE(client_->client_uid().empty());
  EXPECT_EQ(requests[1].param("new_session"), "true");
  EXPECT_EQ(requests[1].json(), json({{"prompt", "Hello, World!"}}));
  expect_cli_requests_well_formed();
}

// --------------------------------------------------------------- chatbot lifecycle

TEST_P(PlatformTest, ChatbotLifecycleFromYamlFile) {
  auto chatbots = client_->resources().chatbots();
  auto manifest = smarter::Manifest::load_file(std::string(SMARTER_TEST_DATA_DIR) + "/lifecycle_chatbot.yaml");
  std::string const name = manifest.name();
  ASSERT_EQ(name, "lifecycle_chatbot");

  // apply
  auto applied = chatbots.apply(manifest);
  EXPECT_EQ(applied.metadata.name, name);
  EXPECT_TRUE(contains(applied.envelope.message.value_or(""), "applied successfully"));
  EXPECT_EQ(platform_->chatbot_names().size(), 2u);

  // list
  auto page = chatbots.list();
  std::vector<std::string> names;
  for (auto const& summary : page) names.push_back(summary.name);
  EXPECT_EQ(names, platform_->chatbot_names());
  EXPECT_NE(std::find(names.begin(), names.end(), name), names.end());
  EXPECT_FALSE(page.has_next_page());

  // get
  auto bot = chatbots.get(name);
  EXPECT_EQ(bot.spec.config.default_model, "gpt-4o-mini");
  EXPECT_EQ(bot.spec.config.default_system_role, "You are a careful test assistant.");
  EXPECT_EQ(bot.spec.config.app_example_prompts.size(), 2u);
  EXPECT_EQ(bot.spec.functions, (std::vector<std::string>{"weather", "datemath"}));
  ASSERT_TRUE(bot.status);
  EXPECT_EQ(bot.status->deployed, false);
  EXPECT_TRUE(bot.status->url_chatbot.has_value());

  // three prompts in one session
  auto first = bot.prompt("What is a widget?");
  ASSERT_TRUE(first.session_key);
  EXPECT_TRUE(contains(first.answer, "message 1"));
  smarter::PromptParams next;
  next.session_key = first.session_key;
  auto second = bot.prompt("And a gadget?", next);
  EXPECT_EQ(second.session_key, first.session_key);
  EXPECT_TRUE(contains(second.answer, "message 2"));
  auto third = bot.prompt("Thanks!", next);
  EXPECT_EQ(third.session_key, first.session_key);
  EXPECT_TRUE(contains(third.answer, "message 3"));
  // The platform sent the whole conversation to the model: system, welcome, 3 users, 2 answers.
  ASSERT_EQ(third.messages.size(), 7u);
  EXPECT_EQ(third.messages[0].role, "system");
  EXPECT_EQ(third.messages[0].content, "You are a careful test assistant.");
  EXPECT_EQ(third.messages[3].content, first.answer);
  EXPECT_EQ(third.messages[4].content, second.messages.back().content);
  EXPECT_EQ(platform_->session_messages(*first.session_key).size(), 8u);

  // deploy / undeploy
  EXPECT_TRUE(contains(chatbots.deploy(name).message.value_or(""), "deployed"));
  EXPECT_TRUE(platform_->is_deployed(name));
  EXPECT_EQ(chatbots.get(name).status->deployed, true);
  auto undeployed = chatbots.undeploy(name);
  EXPECT_TRUE(undeployed.data.is_object());
  EXPECT_FALSE(platform_->is_deployed(name));

  // logs (the platform's stub: empty data)
  EXPECT_EQ(chatbots.logs(name).data, json::object());

  // delete, then get raises NotFoundError
  auto removed = chatbots.remove(name);
  EXPECT_TRUE(contains(removed.message.value_or(""), "deleted successfully"));
  try {
    chatbots.get(name);
    FAIL() << "expected NotFoundError";
  } catch (smarter::NotFoundError const& e) {
    EXPECT_TRUE(contains(lower(e.what()), "not found")) << e.what();
    EXPECT_TRUE(contains(e.what(), name)) << e.what();
  }

  // The wire: every call a POST to cli/<...>/ with the token, in this order.
  auto requests = log();
  std::vector<std::string> paths;
  for (auto const& r : requests) paths.push_back(r.path);
  std::string const kind = chatbot_kind();
  std::string const chat = cli(chat_word() + "/" + name + "/");
  std::vector<std::string> expected = {
      cli("apply/"), cli("get/" + kind + "/"), cli("describe/" + kind + "/"), chat, chat, chat,
      cli("deploy/" + kind + "/"), cli("describe/" + kind + "/"), cli("undeploy/" + kind + "/"),
      cli("logs/" + kind + "/"), cli("delete/" + kind + "/"), cli("describe/" + kind + "/")};
  EXPECT_EQ(paths, expected);
  expect_cli_requests_well_formed();

  // apply sends the manifest as JSON, with the kind as this generation spells it.
  json sent = requests[0].json();
  json expected_body = manifest.value();
  expected_body["kind"] = v14() ? "LLMClient" : "Chatbot";
  EXPECT_EQ(sent, expected_body);
  EXPECT_FALSE(requests[1].param("name"));
  for (std::size_t i : {2u, 6u, 7u, 8u, 9u, 10u, 11u}) EXPECT_EQ(requests[i].param("name"), name) << i;
  // prompts: new session first, then the same session continued
  EXPECT_EQ(requests[3].param("new_session"), "true");
  EXPECT_EQ(requests[3].json(), json({{"prompt", "What is a widget?"}}));
  EXPECT_EQ(requests[4].param("new_session"), "false");
  EXPECT_EQ(requests[4].json(), json({{"prompt", "And a gadget?"}, {"session_key", *first.session_key}}));
  EXPECT_EQ(requests[5].json(), json({{"prompt", "Thanks!"}, {"session_key", *first.session_key}}));
  for (std::size_t i : {3u, 4u, 5u}) EXPECT_EQ(requests[i].param("uid"), client_->client_uid());
}

TEST_P(PlatformTest, PromptOptionsGoOnTheWire) {
  auto chatbots = client_->resources().chatbots();
  smarter::PromptParams options;
  options.uid = "test-host-00:11:22:33:44:55";
  options.messages = {{"user", "Earlier question", std::nullopt}, {"assistant", "Earlier answer", std::nullopt}};
  auto chat = chatbots.prompt(smarter::testkit::kDemoChatbotName, "Go on", options);
  EXPECT_TRUE(contains(chat.answer, "message 2"));  // the given history counts
  ASSERT_GE(chat.messages.size(), 3u);
  EXPECT_EQ(chat.messages[0].content, "Earlier question");

  smarter::PromptParams again;
  again.uid = options.uid;
  again.session_key = chat.session_key;
  again.new_session = true;  // explicit wins over the session key
  auto fresh = chatbots.prompt(smarter::testkit::kDemoChatbotName, "Hello, World!", again);
  EXPECT_NE(fresh.session_key, chat.session_key);

  auto requests = log();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].param("uid"), options.uid);
  EXPECT_EQ(requests[0].param("new_session"), "true");
  EXPECT_EQ(requests[0].json(), json({{"prompt", "Go on"},
                                      {"messages", {{{"role", "user"}, {"content", "Earlier question"}},
                                                    {{"role", "assistant"}, {"content", "Earlier answer"}}}}}));
  EXPECT_EQ(requests[1].param("new_session"), "true");
  EXPECT_EQ(requests[1].json()["session_key"], *chat.session_key);
  expect_cli_requests_well_formed();
}

TEST_P(PlatformTest, ChatConfigResumesASession) {
  auto chatbot = client_->resources().chatbots().get(smarter::testkit::kDemoChatbotName);
  auto chat = chatbot.prompt("Hello, World!");
  smarter::ChatConfigParams options;
  options.session_key = chat.session_key;
  auto config = chatbot.config(options);
  EXPECT_EQ(config.session_key, chat.session_key);
  EXPECT_EQ(config.chatbot.name, smarter::testkit::kDemoChatbotName);
  EXPECT_EQ(config.sandbox_mode, true);
  auto history = config.history_messages();
  ASSERT_EQ(history.size(), platform_->session_messages(*chat.session_key).size());
  EXPECT_EQ(history.back().content, smarter::testkit::kDemoHelloAnswer);

  auto requests = log();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[2].path, cli(chat_word() + "/config/" + smarter::testkit::kDemoChatbotName + "/"));
  EXPECT_EQ(requests[2].param("new_session"), "false");
  EXPECT_TRUE(requests[2].param("uid").has_value());
  EXPECT_EQ(requests[2].json(), json({{"session_key", *chat.session_key}}));
  expect_cli_requests_well_formed();
}

TEST_P(PlatformTest, PromptBodySentAsJsonStringStillAnswers) {
  smarter::testkit::PlatformOptions options;
  options.chat_body_as_string = true;
  start(options);
  auto chat = client_->resources().chatbots().prompt(smarter::testkit::kDemoChatbotName, "Hello, World!");
  EXPECT_EQ(chat.answer, smarter::testkit::kDemoHelloAnswer);
  ASSERT_TRUE(chat.completion);
  EXPECT_TRUE(chat.body.is_object());
}

// --------------------------------------------------------------- plugins

TEST_P(PlatformTest, PluginLifecycle) {
  auto plugins = client_->resources().plugins();
  auto before = plugins.list();
  ASSERT_EQ(before.data().size(), 1u);
  EXPECT_EQ(before.data()[0].name, "everlasting_gobstopper");
  EXPECT_EQ(before.data()[0].plugin_class, "static");

  auto manifest = smarter::Manifest::load_file(std::string(SMARTER_TEST_DATA_DIR) + "/test_plugin.json");
  auto applied = plugins.apply(manifest);
  EXPECT_EQ(applied.metadata.name, "test_static_plugin");

  auto got = plugins.get("test_static_plugin");
  EXPECT_EQ(got.kind, "Plugin");
  EXPECT_EQ(got.metadata.version, "0.2.0");
  ASSERT_TRUE(got.spec.selector);
  EXPECT_EQ(got.spec.selector->search_terms, (std::vector<std::string>{"widget", "widgets"}));
  ASSERT_TRUE(got.spec.prompt);
  EXPECT_EQ(got.spec.prompt->model, "gpt-4o-mini");
  EXPECT_EQ(got.spec.data["staticData"]["colors"], json({"red", "blue"}));

  EXPECT_EQ(plugins.list().data().size(), 2u);
  EXPECT_TRUE(contains(plugins.remove("test_static_plugin").message.value_or(""), "deleted"));
  EXPECT_THROW(plugins.get("test_static_plugin"), smarter::NotFoundError);
  EXPECT_EQ(platform_->plugin_names(), (std::vector<std::string>{"everlasting_gobstopper"}));

  auto requests = log();
  std::vector<std::string> paths;
  for (auto const& r : requests) paths.push_back(r.path);
  EXPECT_EQ(paths, (std::vector<std::string>{cli("get/plugin/"), cli("apply/"), cli("describe/plugin/"),
                                             cli("get/plugin/"), cli("delete/plugin/"), cli("describe/plugin/")}));
  EXPECT_EQ(requests[1].json(), manifest.value());
  EXPECT_EQ(requests[2].param("name"), "test_static_plugin");
  EXPECT_EQ(requests[4].param("name"), "test_static_plugin");
  expect_cli_requests_well_formed();
}

// --------------------------------------------------------------- generic manifests

TEST_P(PlatformTest, ExampleManifestSchemaAndGenericApply) {
  auto manifests = client_->manifests();
  auto example = manifests.example_manifest("Chatbot");
  EXPECT_EQ(example.kind, v14() ? "LLMClient" : "Chatbot");
  ASSERT_TRUE(example.has_field("metadata"));
  EXPECT_EQ(example.metadata.name, "example_chatbot");
  EXPECT_TRUE(contains(example.envelope.message.value_or(""), "example manifest"));

  auto schema = manifests.json_schema("chatbot");
  EXPECT_EQ(schema.schema["type"], "object");
  EXPECT_EQ(schema.schema["properties"]["kind"]["const"], v14() ? "LLMClient" : "Chatbot");

  auto plugin_example = manifests.example_manifest("Plugin");
  EXPECT_EQ(plugin_example.kind, "Plugin");
  EXPECT_EQ(plugin_example.spec["selector"]["directive"], "search_terms");

  // An example manifest can be applied as is, then listed, described and deleted generically.
  auto applied = manifests.apply(example.to_manifest());
  ASSERT_TRUE(applied.has_field("metadata"));
  EXPECT_EQ(applied.metadata.name, "example_chatbot");
  auto table = manifests.get("Chatbots", "example_chatbot");
  ASSERT_EQ(table.items.size(), 1u);
  EXPECT_EQ(table.items[0]["name"], "example_chatbot");
  EXPECT_EQ(table.count, 1);
  EXPECT_EQ(manifests.describe("Chatbot", "example_chatbot").status["deployed"], false);
  manifests.deploy("Chatbot", "example_chatbot");
  EXPECT_TRUE(platform_->is_deployed("example_chatbot"));
  manifests.undeploy("Chatbot", "example_chatbot");
  manifests.remove("Chatbot", "example_chatbot");
  EXPECT_THROW(manifests.describe("Chatbot", "example_chatbot"), smarter::NotFoundError);

  auto requests = log();
  std::string const kind = chatbot_kind();
  std::vector<std::string> paths;
  for (auto const& r : requests) paths.push_back(r.path);
  EXPECT_EQ(paths,
            (std::vector<std::string>{
                cli((v14() ? "example-manifest/" : "example_manifest/") + kind + "/"),
                cli((v14() ? "json-schema/" : "schema/") + kind + "/"),
                cli((v14() ? "example-manifest/" : "example_manifest/") + std::string("plugin/")),
                cli("apply/"), cli("get/" + kind + "/"), cli("describe/" + kind + "/"), cli("deploy/" + kind + "/"),
                cli("undeploy/" + kind + "/"), cli("delete/" + kind + "/"), cli("describe/" + kind + "/")}));
  EXPECT_EQ(requests[4].param("name"), "example_chatbot");
  EXPECT_EQ(requests[3].json()["kind"], v14() ? "LLMClient" : "Chatbot");
  EXPECT_FALSE(requests[3].json().contains("status"));
  expect_cli_requests_well_formed();
}

// --------------------------------------------------------------- account-level calls

TEST_P(PlatformTest, WhoAmIInBothKeyStyles) {
  for (auto style : {smarter::testkit::KeyStyle::snake, smarter::testkit::KeyStyle::camel}) {
    smarter::testkit::PlatformOptions options;
    options.key_style = style;
    start(options);
    auto who = client_->whoami();
    SCOPED_TRACE(style == smarter::testkit::KeyStyle::snake ? "snake" : "camel");
    EXPECT_EQ(who.user.username, smarter::testkit::kFakeUsername);
    EXPECT_EQ(who.account.account_number, smarter::testkit::kFakeAccountNumber);
    EXPECT_TRUE(who.user.first_name.has_value());
    EXPECT_EQ(who.user.is_staff, true);
    EXPECT_TRUE(who.account.company_name.has_value());
    EXPECT_TRUE(who.account.postal_code.has_value());
    EXPECT_TRUE(who.environment.has_value());
    json const& raw_user = who.user.to_dict();
    EXPECT_EQ(raw_user.contains("firstName"), style == smarter::testkit::KeyStyle::camel);
    // v0.13 journals (request id = metadata.key); v0.14 sends metadata.thing instead.
    if (v14()) {
      EXPECT_FALSE(who.request_id());
      EXPECT_EQ(who.envelope.kind(), "None");
      EXPECT_EQ(who.envelope.metadata.command, "whoami");
    } else {
      ASSERT_TRUE(who.request_id());
      EXPECT_EQ(who.request_id()->size(), 64u);
      EXPECT_EQ(who.request_id(), who.envelope.metadata.key);
    }
    auto requests = log();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].path, cli("whoami/"));
    EXPECT_TRUE(requests[0].body.empty());
    expect_cli_requests_well_formed();
  }
}

TEST_P(PlatformTest, StatusAndVersion) {
  auto status = client_->platform_status();
  EXPECT_TRUE(status.redis_version.has_value());
  EXPECT_EQ(status.compute.system, "Linux");
  EXPECT_FALSE(status.infrastructure_names().empty());
  auto version = client_->platform_version();
  EXPECT_EQ(version.api_version, v14() ? smarter::testkit::kFakeVersionV014 : smarter::testkit::kFakeVersionV013);
  EXPECT_EQ(version.generation(), v14() ? smarter::PlatformGeneration::v0_14 : smarter::PlatformGeneration::v0_13);
  EXPECT_TRUE(version.cli_version.has_value());
  auto requests = log();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].path, cli("status/"));
  EXPECT_EQ(requests[1].path, cli("version/"));
  expect_cli_requests_well_formed();
}

TEST_P(PlatformTest, AutomaticGenerationIsDetectedOncePerClient) {
  smarter::Smarter automatic(client_options(/*explicit_generation=*/false));
  auto chat = automatic.resources().chatbots().get(smarter::testkit::kDemoChatbotName).prompt("Hello, World!");
  EXPECT_EQ(chat.answer, smarter::testkit::kDemoHelloAnswer);
  // A copy made with with_options shares what was detected.
  auto copy = automatic.with_options({});
  copy.resources().chatbots().list();
  EXPECT_EQ(copy.manifests().example_manifest("chatbot").kind, v14() ? "LLMClient" : "Chatbot");

  auto requests = log();
  std::vector<std::string> paths;
  for (auto const& r : requests) paths.push_back(r.path);
  EXPECT_EQ(paths, (std::vector<std::string>{
                       cli("version/"), cli("describe/" + chatbot_kind() + "/"),
                       cli(chat_word() + "/" + smarter::testkit::kDemoChatbotName + "/"), cli("get/" + chatbot_kind() + "/"),
                       cli((v14() ? "example-manifest/" : "example_manifest/") + chatbot_kind() + "/")}));
  EXPECT_EQ(smarter::detail::core_of(automatic).shared_state().detected_generation.load(), v14() ? 14 : 13);
}

// --------------------------------------------------------------- errors

TEST_P(PlatformTest, BadApiKeyIsPermissionDeniedWithTheJournaledError) {
  smarter::ClientOptions options = client_options();
  options.api_key = std::string(64, '0');
  smarter::Smarter bad(options);
  try {
    bad.whoami();
    FAIL() << "expected PermissionDeniedError";
  } catch (smarter::PermissionDeniedError const& e) {
    EXPECT_EQ(e.status_code(), 403);
    EXPECT_EQ(e.code(), "SmarterAPIV1CLIViewErrorNotAuthenticated");
    EXPECT_TRUE(contains(e.what(), "authentication failed")) << e.what();
    // The body is the journaled error, shaped exactly like the shared fixture.
    std::ifstream in(std::string(SMARTER_FIXTURES_DIR) + "/error_not_authenticated.json");
    json fixture = json::parse(in);
    json const& body = e.body();
    std::vector<std::string> keys;
    for (auto const& item : body["error"].items()) keys.push_back(item.key());
    std::vector<std::string> fixture_keys;
    for (auto const& item : fixture["error"].items()) fixture_keys.push_back(item.key());
    if (v14()) {
      fixture_keys.push_back("command");
      fixture_keys.push_back("thing");
      std::sort(fixture_keys.begin(), fixture_keys.end());
      EXPECT_EQ(body["metadata"]["thing"], "None");
    } else {
      EXPECT_EQ(body["thing"], fixture["thing"]);
    }
    EXPECT_EQ(keys, fixture_keys);
    EXPECT_EQ(body["error"]["status"], "403");
    EXPECT_EQ(body["metadata"]["command"], "whoami");
    EXPECT_EQ(body["api"], fixture["api"]);
  }
  // Missing credentials look the same.
  EXPECT_THROW(bad.resources().chatbots().list(), smarter::PermissionDeniedError);
}

TEST_P(PlatformTest, NotFoundReportedAs503StillReadsAsNotFound) {
  try {
    client_->resources().chatbots().get("no_such_bot");
    FAIL() << "expected NotFoundError";
  } catch (smarter::NotFoundError const& e) {
    EXPECT_EQ(e.status_code(), 503);  // the chatbot broker's "not ready"
    EXPECT_TRUE(contains(lower(e.what()), "not found")) << e.what();
    EXPECT_TRUE(contains(e.what(), "no_such_bot")) << e.what();
    EXPECT_EQ(e.code(), "SAMBrokerErrorNotReady");
  }
  EXPECT_THROW(client_->resources().chatbots().deploy("no_such_bot"), smarter::NotFoundError);
  // Prompting a missing chatbot is a plain 404.
  try {
    client_->resources().chatbots().prompt("no_such_bot", "hi");
    FAIL() << "expected NotFoundError";
  } catch (smarter::NotFoundError const& e) {
    EXPECT_EQ(e.status_code(), 404);
    EXPECT_TRUE(contains(e.what(), "no_such_bot")) << e.what();
  }
}

TEST_P(PlatformTest, PlainErrorBodiesMapToTypedErrors) {
  platform_->fail_next("whoami", 404, R"({"error": "User profile not found."})");
  try {
    client_->whoami();
    FAIL() << "expected NotFoundError";
  } catch (smarter::NotFoundError const& e) {
    EXPECT_TRUE(contains(e.what(), "User profile not found.")) << e.what();
  }

  platform_->fail_next("status", 400, R"({"error": "redis is unreachable", "trace": "Traceback ..."})");
  try {
    client_->platform_status();
    FAIL() << "expected BadRequestError";
  } catch (smarter::BadRequestError const& e) {
    EXPECT_TRUE(contains(e.what(), "redis is unreachable")) << e.what();
  }

  platform_->fail_next("describe", 404, "{}");
  try {
    client_->resources().chatbots().get(smarter::testkit::kDemoChatbotName);
    FAIL() << "expected NotFoundError";
  } catch (smarter::NotFoundError const& e) {
    EXPECT_TRUE(contains(e.what(), "404")) << e.what();
  }

  platform_->fail_next("version", 502,
                       "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>",
                       "text/html");
  try {
    client_->platform_version();
    FAIL() << "expected InternalServerError";
  } catch (smarter::InternalServerError const& e) {
    EXPECT_EQ(e.status_code(), 502);
    EXPECT_TRUE(contains(e.what(), "Bad Gateway")) << e.what();
    EXPECT_TRUE(e.body().is_null());
  }
}

TEST_P(PlatformTest, BrokerErrorsMapToTypedErrors) {
  try {
    client_->manifests().get("Gizmo");
    FAIL() << "expected BadRequestError";
  } catch (smarter::BadRequestError const& e) {
    EXPECT_TRUE(contains(e.what(), "Unsupported manifest kind")) << e.what();
  }
  try {
    client_->manifests().deploy("Plugin", "everlasting_gobstopper");
    FAIL() << "expected InternalServerError";
  } catch (smarter::InternalServerError const& e) {
    EXPECT_EQ(e.status_code(), 501);
    EXPECT_TRUE(contains(e.what(), "not implemented")) << e.what();
  }
  smarter::Manifest invalid("Plugin", "broken");
  invalid.set_api_version("smarter.sh/v0");
  EXPECT_THROW(client_->resources().plugins().apply(invalid), smarter::BadRequestError);
  // A GET on a POST-only cli view is refused with 405.
  try {
    client_->request("GET", "cli/whoami/");
    FAIL() << "expected APIStatusError";
  } catch (smarter::APIStatusError const& e) {
    EXPECT_EQ(e.status_code(), 405);
  }
  // Empty names are refused before anything is sent.
  std::size_t const sent = server_->request_count();
  EXPECT_THROW(client_->resources().chatbots().get(""), smarter::SmarterError);
  EXPECT_THROW(client_->manifests().describe("", "x"), smarter::SmarterError);
  EXPECT_EQ(server_->request_count(), sent);
}

TEST_P(PlatformTest, WrongGenerationPathsAreNotFound) {
  smarter::ClientOptions options = client_options();
  options.platform = v14() ? smarter::PlatformGeneration::v0_13 : smarter::PlatformGeneration::v0_14;
  smarter::Smarter mismatched(options);
  EXPECT_THROW(mismatched.resources().chatbots().prompt(smarter::testkit::kDemoChatbotName, "Hello, World!"),
               smarter::NotFoundError);
  EXPECT_THROW(mismatched.manifests().json_schema("Plugin"), smarter::NotFoundError);
}

INSTANTIATE_TEST_SUITE_P(Generations, PlatformTest, testing::Values(FakeGeneration::v0_13, FakeGeneration::v0_14),
                         generation_name);

}  // namespace

// The resource commands against the fake platform in both generations: what they change on the
// platform, what they send, and the exit status and message of every class of failure.
#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <nlohmann/json.hpp>

#include "cli_fixture.hpp"

namespace smarter_cli_test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using nlohmann::json;

/// A chatbot manifest in YAML named `name`.
std::string chatbot_yaml(std::string const& name) {
  return "apiVersion: smarter.sh/v1\n"
         "kind: Chatbot\n"
         "metadata:\n"
         "  name: " + name + "\n"
         "  description: Made by the command-line tests.\n"
         "  version: 0.1.0\n"
         "spec:\n"
         "  config:\n"
         "    provider: openai\n"
         "    defaultModel: gpt-4o-mini\n"
         "    defaultSystemRole: You are terse.\n";
}

/// True when `names` holds `name`.
bool has(std::vector<std::string> const& names, std::string const& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

/// The paths of the requests the fake received, in order.
std::vector<std::string> request_paths(smarter::testkit::SmarterMock& mock) {
  std::vector<std::string> paths;
  for (auto const& request : mock.server().requests()) paths.push_back(request.path);
  return paths;
}

using Commands = CliGenerations;

TEST_P(Commands, ApplyReadsAYamlFile) {
  auto const file = home_ / "bot.yaml";
  write_text(file, chatbot_yaml("cli_bot"));
  CliResult const r = smarter({"apply", "-f", file.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, chatbot_kind() + " cli_bot applied successfully\n");
  EXPECT_TRUE(has(mock_->platform().chatbot_names(), "cli_bot"));
}

TEST_P(Commands, ApplyAppliesEveryDocumentOfAYamlFile) {
  auto const file = home_ / "bots.yaml";
  write_text(file, chatbot_yaml("first_bot") + "---\n" + chatbot_yaml("second_bot"));
  CliResult const r = smarter({"apply", "-f", file.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, chatbot_kind() + " first_bot applied successfully\n" + chatbot_kind() +
                       " second_bot applied successfully\n");
  EXPECT_TRUE(has(mock_->platform().chatbot_names(), "first_bot"));
  EXPECT_TRUE(has(mock_->platform().chatbot_names(), "second_bot"));
  // A bad document anywhere stops the file before anything is sent.
  write_text(file, chatbot_yaml("third_bot") + "---\napiVersion: smarter.sh/v1\nkind: Chatbot\nspec: {}\n");
  CliResult const refused = smarter({"apply", "-f", file.string()});
  EXPECT_EQ(refused.exit_code, 6);
  EXPECT_THAT(refused.err, HasSubstr("(document 2): the manifest has no name"));
  EXPECT_FALSE(has(mock_->platform().chatbot_names(), "third_bot"));
}

TEST_P(Commands, ApplyReadsJsonFromStandardInput) {
  std::string const plugin = R"({"apiVersion": "smarter.sh/v1", "kind": "Plugin",
    "metadata": {"name": "piped_plugin", "pluginClass": "static", "version": "0.1.0"},
    "spec": {"data": {"staticData": {"answer": 42}}}})";
  CliResult const r = smarter({"apply", "-f", "-"}, plugin);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "Plugin piped_plugin applied successfully\n");
  EXPECT_TRUE(has(mock_->platform().plugin_names(), "piped_plugin"));
}

TEST_P(Commands, AnExampleManifestAppliesAsPrinted) {
  CliResult const example = smarter({"manifest", "chatbot"});
  ASSERT_EQ(example.exit_code, 0) << example.err;
  std::string text = example.out;
  text.replace(text.find("example_chatbot"), std::string("example_chatbot").size(), "from_example");
  auto const file = home_ / "from_example.yaml";
  write_text(file, text);
  CliResult const applied = smarter({"apply", "-f", file.string()});
  ASSERT_EQ(applied.exit_code, 0) << applied.err;
  CliResult const described = smarter({"describe", "chatbot", "from_example", "-o", "json"});
  ASSERT_EQ(described.exit_code, 0) << described.err;
  json const manifest = json::parse(described.out);
  EXPECT_EQ(manifest["metadata"]["version"], "0.1.0");  // still a string after the YAML round trip
  EXPECT_EQ(manifest["spec"]["config"]["defaultTemperature"], 0.5);
  EXPECT_EQ(manifest["spec"]["apiKey"], nullptr);
}

TEST_P(Commands, ApplyRefusesWhatCannotBeApplied) {
  CliResult missing = smarter({"apply", "-f", (home_ / "missing.yaml").string()});
  EXPECT_EQ(missing.exit_code, 6);
  EXPECT_THAT(missing.err, HasSubstr("cannot read"));
  EXPECT_EQ(smarter({"apply", "-f", "-"}, "  \n").exit_code, 6);
  EXPECT_EQ(smarter({"apply", "-f", "-"}, "kind: [unclosed\n").exit_code, 6);
  CliResult nameless = smarter({"apply", "-f", "-"}, "apiVersion: smarter.sh/v1\nkind: Chatbot\nspec: {}\n");
  EXPECT_EQ(nameless.exit_code, 6);
  EXPECT_THAT(nameless.err, HasSubstr("no name"));
  // The platform's own refusal (400) keeps its message.
  CliResult refused = smarter({"apply", "-f", "-"}, "apiVersion: smarter.sh/v1\nkind: Chatbot\nmetadata:\n  name: x\n");
  EXPECT_EQ(refused.exit_code, 6);
  EXPECT_THAT(refused.err, HasSubstr("Error: Smarter API Manifest error: spec is required"));
  EXPECT_THAT(refused.err, HasSubstr("HTTP 400"));
}

TEST_P(Commands, DeployUndeployAndDeleteChangeThePlatform) {
  CliResult deployed = smarter({"deploy", "chatbot", "my-chatbot"});
  ASSERT_EQ(deployed.exit_code, 0) << deployed.err;
  EXPECT_EQ(deployed.out, chatbot_kind() + " my-chatbot deployed successfully\n");
  EXPECT_TRUE(mock_->platform().is_deployed("my-chatbot"));

  ASSERT_EQ(smarter({"undeploy", "chatbot", "my-chatbot"}).exit_code, 0);
  EXPECT_FALSE(mock_->platform().is_deployed("my-chatbot"));

  CliResult deleted = smarter({"delete", "chatbot", "my-chatbot", "--quiet"});
  ASSERT_EQ(deleted.exit_code, 0) << deleted.err;
  EXPECT_EQ(deleted.out, "");
  EXPECT_FALSE(has(mock_->platform().chatbot_names(), "my-chatbot"));
  EXPECT_EQ(smarter({"delete", "chatbot", "my-chatbot"}).exit_code, 2);

  ASSERT_EQ(smarter({"delete", "plugin", "everlasting_gobstopper"}).exit_code, 0);
  EXPECT_TRUE(mock_->platform().plugin_names().empty());
}

TEST_P(Commands, GetFiltersSortsAndLimits) {
  ASSERT_EQ(smarter({"apply", "-f", "-"}, chatbot_yaml("another_bot")).exit_code, 0);
  EXPECT_EQ(smarter({"get", "chatbots", "-q"}).out, "another_bot\nmy-chatbot\n");
  EXPECT_EQ(smarter({"get", "chatbots", "-q", "--desc"}).out, "my-chatbot\nanother_bot\n");
  EXPECT_EQ(smarter({"get", "chatbots", "-q", "--desc", "-i", "1"}).out, "my-chatbot\n");
  EXPECT_EQ(smarter({"get", "chatbots", "--name", "another_bot", "-q"}).out, "another_bot\n");
  // -i and --desc are also sent, as the Go tool sends them.
  auto const requests = mock_->server().requests();
  bool sent = false;
  for (auto const& request : requests) {
    if (request.path.find("/cli/get/") == std::string::npos) continue;
    sent = sent || (request.param("i") == "1" && request.param("desc") == "true");
  }
  EXPECT_TRUE(sent);
  EXPECT_EQ(smarter({"get", "chatbots", "--asc", "--desc"}).exit_code, 1);
}

TEST_P(Commands, KindsAreSentAsTheGenerationSpellsThem) {
  bool const v13 = generation_ == FakeGeneration::v0_13;
  ASSERT_EQ(smarter({"get", "chatbots"}).exit_code, 0);
  ASSERT_EQ(smarter({"manifest", "chatbot"}).exit_code, 0);
  ASSERT_EQ(smarter({"schema", "plugin"}).exit_code, 0);
  smarter({"get", "apikeys", "--max-retries", "0"});  // the fake does not model API keys (501): only the path matters
  std::vector<std::string> const paths = request_paths(*mock_);
  auto sent = [&](std::string const& path) { return has(paths, "/api/v1/cli/" + path); };
  EXPECT_TRUE(sent(v13 ? "get/chatbot/" : "get/llmclient/"));
  EXPECT_TRUE(sent(v13 ? "example_manifest/chatbot/" : "example-manifest/llmclient/"));
  EXPECT_TRUE(sent(v13 ? "schema/plugin/" : "json-schema/plugin/"));
  EXPECT_TRUE(sent(v13 ? "get/authtoken/" : "get/smarterauthtoken/"));
}

TEST_P(Commands, MissingResourcesExitWith2) {
  CliResult chatbot = smarter({"describe", "chatbot", "nope"});
  EXPECT_EQ(chatbot.exit_code, 2);
  EXPECT_EQ(chatbot.out, "");
  EXPECT_THAT(chatbot.err, HasSubstr("Error: "));
  EXPECT_THAT(chatbot.err, HasSubstr("nope not found"));
  EXPECT_EQ(smarter({"describe", "plugin", "nope"}).exit_code, 2);
  EXPECT_EQ(smarter({"chat", "prompt", "-c", "nope", "-p", "hi"}).exit_code, 2);
}

TEST_P(Commands, EachErrorClassHasItsExitStatus) {
  Environment bad_key = environment();
  bad_key["SMARTER_API_KEY"] = std::string(64, '0');
  CliResult refused = smarter_with(bad_key, {"whoami"});
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_THAT(refused.err, HasSubstr("authentication failed"));
  EXPECT_THAT(refused.err, HasSubstr("HTTP 403"));

  Environment no_key = environment();
  no_key.erase("SMARTER_API_KEY");
  CliResult keyless = smarter_with(no_key, {"whoami"});
  EXPECT_EQ(keyless.exit_code, 3);
  EXPECT_THAT(keyless.err, HasSubstr("no API key"));

  // Port 1 on loopback: nothing listens there, so the connection is refused at once.
  EXPECT_EQ(smarter({"--base-url", "http://127.0.0.1:1/api/v1/", "--max-retries", "0", "status"}).exit_code, 4);

  mock_->faults().fail_next(500);
  EXPECT_EQ(smarter({"status", "--max-retries", "0"}).exit_code, 5);
  EXPECT_EQ(smarter({"get", "users", "--max-retries", "0"}).exit_code, 5);  // 501: a kind the fake does not model

  CliResult unknown_kind = smarter({"get", "widgets"});
  EXPECT_EQ(unknown_kind.exit_code, 6);
  EXPECT_THAT(unknown_kind.err, HasSubstr("Unsupported manifest kind: widgets"));

  for (std::vector<std::string> const& usage : std::vector<std::vector<std::string>>{
           {"frobnicate"},
           {"get"},
           {"get", "chatbots", "extra"},
           {"-o", "xml", "get", "chatbots"},
           {"--environment", "moon", "whoami"},
           {"--timeout", "-1", "whoami"},
           {"--base-url", "ftp://example.com/", "whoami"},
           {"get", "chat bots"},
           {"chat"},
           {"chat", "prompt", "-c", "my-chatbot"},
           {"chat", "prompt", "-c", "my-chatbot", "-p", "hi", "extra"},
       }) {
    CliResult const r = smarter(usage);
    EXPECT_EQ(r.exit_code, 1) << usage.front() << ": " << r.err;
    EXPECT_THAT(r.err, HasSubstr("Error: ")) << usage.front();
  }
}

TEST_P(Commands, ATimeoutIsANetworkFailure) {
  mock_->server().set_latency(std::chrono::milliseconds(3000));
  CliResult const r = smarter({"status", "--timeout", "0.2", "--max-retries", "0"});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_THAT(r.err, HasSubstr("Error: "));
}

TEST_P(Commands, VerboseLogsRequestsWithoutTheKey) {
  CliResult const r = smarter({"-v", "whoami"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("POST " + mock_->base_url() + "cli/whoami/"));
  EXPECT_THAT(r.err, HasSubstr("Authorization: <redacted>"));
  EXPECT_THAT(r.err, Not(HasSubstr(mock_->api_key())));
  EXPECT_TRUE(json::accept(r.out)) << r.out;
}

TEST_P(Commands, QuietPrintsOnlyWhatScriptsNeed) {
  CliResult const applied = smarter({"apply", "-f", "-", "-q"}, chatbot_yaml("quiet_bot"));
  EXPECT_EQ(applied.exit_code, 0);
  EXPECT_EQ(applied.out, "");
  EXPECT_EQ(smarter({"get", "plugins", "--quiet"}).out, "everlasting_gobstopper\n");
}

TEST_P(Commands, HelpAndVersionNeedNoPlatform) {
  Environment offline = {{"HOME", home_.string()}, {"PATH", "/usr/bin:/bin"}};
  CliResult const help = smarter_with(offline, {"--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (char const* command : {"apply", "get", "describe", "delete", "deploy", "undeploy", "logs", "manifest", "schema",
                              "whoami", "status", "version", "chat", "configure", "completion"}) {
    EXPECT_THAT(help.out, HasSubstr("  " + std::string(command) + " ")) << command;
  }
  EXPECT_THAT(help.out, HasSubstr("Exit status:"));
  CliResult const bare = smarter_with(offline, {});
  EXPECT_EQ(bare.exit_code, 0);
  EXPECT_EQ(bare.out, help.out);
  EXPECT_EQ(smarter_with(offline, {"--version"}).out, std::string(smarter::version()) + "\n");
  CliResult const client = smarter_with(offline, {"version", "--client"});
  EXPECT_EQ(client.exit_code, 0) << client.err;
  EXPECT_EQ(client.out, "Client version: " + std::string(smarter::version()) + "\n");
  CliResult const keyless = smarter_with(offline, {"version"});  // the client's line, then the failure
  EXPECT_EQ(keyless.exit_code, 3);
  EXPECT_EQ(keyless.out, client.out);
}

TEST_F(CliTest, AListingWithoutTitlesShowsTheKeysOfItsItems) {
  start(FakeGeneration::v0_13);
  using smarter::testkit::FakeResponse;
  // Answers in order: the SDK's generation probe, then the listing.
  mock_->server().enqueue(FakeResponse::json(200, {{"api", "smarter.sh/v1"}, {"data", {{"api", {{"version", "0.13.223"}}}}}}));
  json const items = json::array({{{"name", "a"}, {"size", 2}}, {{"name", "b"}, {"note", "two\nlines"}}});
  mock_->server().enqueue(FakeResponse::json(200, {{"api", "smarter.sh/v1"}, {"data", {{"data", {{"items", items}}}}}}));
  CliResult const r = smarter({"get", "secrets"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "name  size  note\n"
                   "----  ----  ----\n"
                   "a     2\n"
                   "b           two lines\n");
}

INSTANTIATE_TEST_SUITE_P(Cli, Commands, ::testing::Values(FakeGeneration::v0_13, FakeGeneration::v0_14),
                         generation_param_name);

}  // namespace
}  // namespace smarter_cli_test

// Exact output of every printing command, in both platform generations, against golden files
// under tests/cli/golden/ (<case>.<generation>.txt): JSON and YAML documents, tables at two
// terminal widths, the version lines. SMARTER_UPDATE_GOLDEN=1 rewrites them.
#include <ostream>
#include <string>
#include <tuple>
#include <vector>

#include "cli_fixture.hpp"

namespace smarter_cli_test {
namespace {

/// One command whose whole standard output is compared.
struct GoldenCase {
  std::string name;               ///< File name stem.
  std::vector<std::string> args;  ///< Arguments.
  std::string columns = "200";    ///< Terminal width (COLUMNS).
};

/// Shows a case by its name in test output.
void PrintTo(GoldenCase const& c, std::ostream* os) { *os << c.name; }

std::vector<GoldenCase> const kCases = {
    {"get_chatbots", {"get", "chatbots"}},
    {"get_chatbots_narrow", {"get", "chatbots"}, "60"},
    {"get_plugins", {"get", "plugins"}},
    {"get_plugins_json", {"get", "plugins", "-o", "json"}},
    {"get_chatbots_yaml", {"get", "chatbots", "-o", "yaml"}},
    {"describe_chatbot_json", {"describe", "chatbot", "my-chatbot", "-o", "json"}},
    {"describe_plugin_yaml", {"describe", "plugin", "everlasting_gobstopper", "-o", "yaml"}},
    {"manifest_chatbot", {"manifest", "chatbot"}},
    {"manifest_plugin_json", {"manifest", "plugin", "-o", "json"}},
    {"schema_chatbot", {"schema", "chatbot"}},
    {"whoami", {"whoami"}},
    {"whoami_table", {"whoami", "-o", "table"}, "60"},
    {"status_yaml", {"status", "-o", "yaml"}},
    {"version", {"version"}},
    {"version_json", {"version", "-o", "json"}},
    {"logs_chatbot", {"logs", "chatbot", "my-chatbot"}},
    {"deploy_chatbot_json", {"deploy", "chatbot", "my-chatbot", "-o", "json"}},
    {"chat_prompt", {"chat", "prompt", "-c", "my-chatbot", "-p", "Hello, World!"}},
    {"chat_prompt_json", {"chat", "prompt", "-c", "my-chatbot", "-p", "Hello, World!", "-o", "json"}},
};

class Golden : public CliTest, public ::testing::WithParamInterface<std::tuple<FakeGeneration, GoldenCase>> {
 protected:
  /// Starts the fake platform (and whatever else the tests below share).
  /// Starts the fake platform.
  void SetUp() override { start(std::get<0>(GetParam())); }
};

TEST_P(Golden, OutputMatches) {
  GoldenCase const& c = std::get<1>(GetParam());
  Environment env = environment();
  env["COLUMNS"] = c.columns;
  CliResult const result = smarter_with(env, c.args);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
  expect_golden(c.name + "." + generation_name(generation_) + ".txt", normalized(result.out));
}

INSTANTIATE_TEST_SUITE_P(Cli, Golden,
                         ::testing::Combine(::testing::Values(FakeGeneration::v0_13, FakeGeneration::v0_14),
                                            ::testing::ValuesIn(kCases)),
                         [](auto const& test) {
                           return generation_name(std::get<0>(test.param)) + "_" + std::get<1>(test.param).name;
                         });

}  // namespace
}  // namespace smarter_cli_test

// `smarter completion bash|zsh`: the bash script is loaded into a real bash and asked for
// completions the way bash asks (COMP_WORDS, COMP_CWORD), chatbot names included (they come from
// the fake platform through the tool itself).
#include <filesystem>
#include <string>
#include <vector>

#include <gmock/gmock.h>

#include "cli_fixture.hpp"

namespace smarter_cli_test {
namespace {

using ::testing::ElementsAre;
using ::testing::IsSupersetOf;
using ::testing::UnorderedElementsAre;

class Completion : public CliTest {
 protected:
  /// Starts the fake platform and writes the bash script the tests load.
  void SetUp() override {
    start(FakeGeneration::v0_13);
    CliResult const script = smarter({"completion", "bash"});
    ASSERT_EQ(script.exit_code, 0) << script.err;
    script_ = home_ / "smarter.bash";
    write_text(script_, script.out);
  }

  /// The completions bash offers for `words` typed after the program name, the last one being
  /// the word under the cursor.
  std::vector<std::string> complete(std::vector<std::string> const& words) const {
    std::string command = "source '" + script_.string() + "' && COMP_WORDS=('" SMARTER_CLI_PATH "'";
    for (auto const& word : words) command += " '" + word + "'";
    command += ") && COMP_CWORD=" + std::to_string(words.size()) +
               " && _smarter && printf '%s\\n' \"${COMPREPLY[@]}\"";
    CliResult const r = run_program("/bin/bash", {"-c", command}, environment());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::vector<std::string> lines;
    for (std::size_t at = 0, end; (end = r.out.find('\n', at)) != std::string::npos; at = end + 1) {
      if (end > at) lines.push_back(r.out.substr(at, end - at));
    }
    return lines;
  }

  std::filesystem::path script_;
};

TEST_F(Completion, CommandsKindsAndFlags) {
  EXPECT_THAT(complete({"ge"}), ElementsAre("get"));
  EXPECT_THAT(complete({"de"}), ElementsAre("describe", "delete", "deploy"));
  EXPECT_THAT(complete({"get", ""}), IsSupersetOf({"chatbots", "plugins", "apikeys", "chathistory"}));
  EXPECT_THAT(complete({"manifest", "s"}), ElementsAre("secret", "sqlconnection"));
  EXPECT_THAT(complete({"get", "chatbots", "--"}), IsSupersetOf({"--asc", "--desc", "--name", "--environment", "--quiet"}));
  EXPECT_THAT(complete({"chat", "prompt", "--c"}), UnorderedElementsAre("--chatbot", "--config"));
  EXPECT_THAT(complete({"completion", ""}), ElementsAre("bash", "zsh"));
}

TEST_F(Completion, FlagValues) {
  EXPECT_THAT(complete({"--environment", ""}), ElementsAre("prod", "alpha", "beta", "next", "local"));
  EXPECT_THAT(complete({"get", "chatbots", "-o", ""}), ElementsAre("table", "json", "yaml"));
  // A flag's value is not taken for a command word.
  EXPECT_THAT(complete({"--environment", "beta", "get", "chatb"}), ElementsAre("chatbots"));
  EXPECT_TRUE(complete({"--timeout", ""}).empty());
}

TEST_F(Completion, ChatbotNamesComeFromThePlatform) {
  EXPECT_THAT(complete({"describe", "chatbot", ""}), ElementsAre("my-chatbot"));
  EXPECT_THAT(complete({"deploy", "chatbot", "my"}), ElementsAre("my-chatbot"));
  EXPECT_THAT(complete({"chat", ""}), ElementsAre("prompt", "config", "my-chatbot"));
  EXPECT_THAT(complete({"chat", "prompt", "-c", ""}), ElementsAre("my-chatbot"));
  EXPECT_TRUE(complete({"describe", "plugin", ""}).empty());
}

TEST_F(Completion, ZshLoadsTheSameFunction) {
  CliResult const zsh = smarter({"completion", "zsh"});
  ASSERT_EQ(zsh.exit_code, 0) << zsh.err;
  EXPECT_THAT(zsh.out, ::testing::HasSubstr("bashcompinit"));
  EXPECT_THAT(zsh.out, ::testing::HasSubstr(read_text(script_)));
  EXPECT_EQ(smarter({"completion", "fish"}).exit_code, 1);
}

TEST_F(Completion, ZshParsesTheScript) {
  for (char const* shell : {"/usr/bin/zsh", "/bin/zsh"}) {
    if (!std::filesystem::exists(shell)) continue;
    CliResult const parsed = run_program(shell, {"-n", "-c", smarter({"completion", "zsh"}).out}, environment());
    EXPECT_EQ(parsed.exit_code, 0) << parsed.err;
    return;
  }
  GTEST_SKIP() << "zsh is not installed";
}

}  // namespace
}  // namespace smarter_cli_test

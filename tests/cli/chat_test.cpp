// Chatting: one-shot prompts that continue the machine's session, and `smarter chat CHATBOT`
// scripted over a pipe, which must keep one session until /new (what the fake saw is checked).
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <nlohmann/json.hpp>

#include "cli_fixture.hpp"

namespace smarter_cli_test {
namespace {

using ::testing::HasSubstr;
using nlohmann::json;

/// The fake's answer to any prompt but "Hello, World!": it counts the user turns of the session.
std::string echo(std::string const& text, int turn) {
  return "You said: \"" + text + "\". This is message " + std::to_string(turn) + " of our conversation.\n";
}

/// The bodies of the prompt requests (not the chat configuration ones) the fake received.
std::vector<json> prompt_bodies(smarter::testkit::SmarterMock& mock) {
  std::vector<json> bodies;
  for (auto const& request : mock.server().requests()) {
    bool const prompt = request.path.find("/cli/chat/") != std::string::npos ||
                        request.path.find("/cli/prompt/") != std::string::npos;
    if (prompt && request.path.find("/config/") == std::string::npos) bodies.push_back(json::parse(request.body));
  }
  return bodies;
}

using Chat = CliGenerations;

TEST_P(Chat, PromptsContinueTheSessionOfThisMachine) {
  EXPECT_EQ(smarter({"chat", "prompt", "-c", "my-chatbot", "-p", "Hello, World!"}).out,
            "Hello! How can I help you today?\n");
  EXPECT_EQ(smarter({"chat", "prompt", "-c", "my-chatbot", "-p", "And then?"}).out, echo("And then?", 2));
  EXPECT_EQ(smarter({"chat", "prompt", "-c", "my-chatbot", "-p", "Fresh", "-n"}).out, echo("Fresh", 1));
  EXPECT_EQ(smarter({"chat", "prompt", "-c", "my-chatbot", "-p", "Again"}).out, echo("Again", 2));
}

TEST_P(Chat, APromptCanNameItsSession) {
  CliResult const first = smarter({"chat", "prompt", "-c", "my-chatbot", "-p", "One", "-n", "-o", "json"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  std::string const key = json::parse(first.out)["request"]["session_key"].get<std::string>();
  ASSERT_EQ(smarter({"chat", "prompt", "-c", "my-chatbot", "-p", "Elsewhere", "-n"}).exit_code, 0);
  EXPECT_EQ(smarter({"chat", "prompt", "-c", "my-chatbot", "-p", "Two", "-s", key}).out, echo("Two", 2));
  EXPECT_EQ(smarter({"chat", "prompt", "-c", "my-chatbot", "-p", "x", "-s", key, "-n"}).exit_code, 1);

  CliResult const config = smarter({"chat", "config", "-c", "my-chatbot", "-s", key});
  ASSERT_EQ(config.exit_code, 0) << config.err;
  json const data = json::parse(config.out);
  EXPECT_EQ(data["session_key"], key);
  EXPECT_EQ(data["chatbot"]["name"], "my-chatbot");
}

TEST_P(Chat, AConversationOverAPipeKeepsOneSessionUntilNew) {
  CliResult const r = smarter({"chat", "my-chatbot", "-n"}, "first\nsecond\n\n/new\nthird\n/exit\nnever sent\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, echo("first", 1) + echo("second", 2) + echo("third", 1));
  EXPECT_EQ(r.err, "");  // no banner or prompt marker without a terminal

  std::vector<json> const bodies = prompt_bodies(*mock_);
  ASSERT_EQ(bodies.size(), 3u);
  std::string const session = bodies[0].value("session_key", "");
  ASSERT_FALSE(session.empty());
  EXPECT_EQ(bodies[1].value("session_key", ""), session);
  EXPECT_NE(bodies[2].value("session_key", ""), session);
  EXPECT_FALSE(bodies[2].value("session_key", "").empty());
  auto const stored = mock_->platform().session_messages(session);
  std::vector<std::string> user_turns;
  for (auto const& message : stored) {
    if (message.value("role", "") == "user") user_turns.push_back(message.value("content", ""));
  }
  EXPECT_EQ(user_turns, (std::vector<std::string>{"first", "second"}));
}

TEST_P(Chat, AConversationResumesTheSessionOfThisMachineWithoutNew) {
  ASSERT_EQ(smarter({"chat", "prompt", "-c", "my-chatbot", "-p", "Before", "-n"}).exit_code, 0);
  EXPECT_EQ(smarter({"chat", "my-chatbot"}, "After\n").out, echo("After", 2));
}

TEST_P(Chat, AConversationPrintsOneJsonLinePerReply) {
  CliResult const r = smarter({"chat", "-c", "my-chatbot", "-n", "-o", "json"}, "one\ntwo\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> lines;
  for (std::size_t at = 0, end; (end = r.out.find('\n', at)) != std::string::npos; at = end + 1) {
    lines.push_back(r.out.substr(at, end - at));
  }
  ASSERT_EQ(lines.size(), 2u);
  json const first = json::parse(lines[0]);
  json const second = json::parse(lines[1]);
  EXPECT_EQ(first["request"]["session_key"], second["request"]["session_key"]);
  EXPECT_EQ(second["request"]["messages"].back()["content"], "two");
}

TEST_P(Chat, SlashCommandsAreNotSentAsPrompts) {
  CliResult const r = smarter({"chat", "my-chatbot", "-n"}, "/help\n//etc/hosts\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("Unknown command /help"));
  EXPECT_EQ(r.out, echo("/etc/hosts", 1));
  EXPECT_EQ(prompt_bodies(*mock_).size(), 1u);
}

TEST_P(Chat, AConversationWithAMissingChatbotFails) {
  CliResult const r = smarter({"chat", "nope"}, "hello\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(prompt_bodies(*mock_).empty());
}

INSTANTIATE_TEST_SUITE_P(Cli, Chat, ::testing::Values(FakeGeneration::v0_13, FakeGeneration::v0_14),
                         generation_param_name);

}  // namespace
}  // namespace smarter_cli_test

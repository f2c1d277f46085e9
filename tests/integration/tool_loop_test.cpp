// The tool-call loop over real HTTP: the fake asks for the offered tool, the handler answers,
// the conversation goes on until the final answer or the step limit.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <smarter/errors.hpp>
#include <smarter/resources/chat.hpp>

#include "openai_fixture.hpp"

namespace smarter {
namespace {

class ToolLoopIT : public test_support::OpenAIFixture {
 protected:
  testkit::FakeOpenAIOptions fake_options() const override {
    testkit::FakeOpenAIOptions options;
    options.call_tools = true;
    return options;
  }

  static ChatCompletionCreateParams weather_question(std::string tool = "get_weather") {
    ChatCompletionCreateParams params;
    params.model = "gpt-4o-mini";
    params.messages = {ChatMessage::user("Lisbon")};
    params.tools = std::vector<ChatTool>{
        ChatTool{"function", FunctionDefinition{std::move(tool), "Current weather", nlohmann::json{{"type", "object"}}, {}}}};
    return params;
  }
};

TEST_F(ToolLoopIT, TheHandlersAnswerUntilTheModelGivesItsFinalAnswer) {
  std::vector<nlohmann::json> seen;
  ToolRunResult const result = client().chat().completions().run_tools(
      weather_question(), {{"get_weather", [&](nlohmann::json const& arguments) {
                              seen.push_back(arguments);
                              return "21 C and sunny in " + arguments.at("input").get<std::string>();
                            }}});
  EXPECT_TRUE(result.finished);
  EXPECT_EQ(result.steps, 2);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0], (nlohmann::json{{"input", "Lisbon"}}));
  EXPECT_EQ(result.completion.choices.at(0).message.content, "Echo: 21 C and sunny in Lisbon");
  ASSERT_EQ(result.messages.size(), 4u) << "user, assistant tool call, tool result, final answer";
  EXPECT_EQ(result.messages[1].role, "assistant");
  EXPECT_EQ(result.messages[2].role, "tool");
  // The second request carried the call and its result, linked by the call's id.
  nlohmann::json const sent = server_->requests().back().json()["messages"];
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[2]["tool_call_id"], sent[1]["tool_calls"][0]["id"]);
  EXPECT_EQ(sent[2]["content"], "21 C and sunny in Lisbon");
}

TEST_F(ToolLoopIT, AnUnknownToolIsAnsweredWithAnErrorTheModelCanRead) {
  ToolRunResult const result = client().chat().completions().run_tools(weather_question("get_time"), {});
  EXPECT_TRUE(result.finished);
  EXPECT_EQ(result.completion.choices.at(0).message.content, "Echo: error: there is no tool named \"get_time\"");
}

TEST_F(ToolLoopIT, TheStepLimitEndsTheRunUnfinished) {
  ToolRunResult const result = client().chat().completions().run_tools(
      weather_question(), {{"get_weather", [](nlohmann::json const&) { return std::string("rain"); }}}, 1);
  EXPECT_FALSE(result.finished);
  EXPECT_EQ(result.steps, 1);
  EXPECT_FALSE(result.completion.choices.at(0).message.tool_calls.empty());
  EXPECT_THROW(client().chat().completions().run_tools(weather_question(), {}, 0), SmarterError);
}

TEST_F(ToolLoopIT, AHandlersExceptionEndsTheRun) {
  EXPECT_THROW(client().chat().completions().run_tools(
                   weather_question(),
                   {{"get_weather", [](nlohmann::json const&) -> std::string { throw std::runtime_error("offline"); }}}),
               std::runtime_error);
}

}  // namespace
}  // namespace smarter

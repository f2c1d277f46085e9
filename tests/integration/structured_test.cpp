// Structured outputs over real HTTP: parse<T> for chat completions and responses (the schema
// sent, T decoded), streamed answers parsed after accumulating, and every way there is no T.
#include <string>

#include <gtest/gtest.h>

#include <smarter/errors.hpp>
#include <smarter/resources/chat.hpp>
#include <smarter/resources/responses.hpp>
#include <smarter/structured.hpp>

#include "openai_fixture.hpp"

namespace structured_test {

/// What the fake answers in JSON mode: {"echo": <the user's text>}. Provides its own schema.
struct Echo {
  std::string echo;
  static constexpr char const* schema_name = "echo";
  static nlohmann::json json_schema() {
    return {{"type", "object"},
            {"properties", {{"echo", {{"type", "string"}}}}},
            {"required", {"echo"}},
            {"additionalProperties", false}};
  }
};
void from_json(nlohmann::json const& j, Echo& out) { j.at("echo").get_to(out.echo); }

/// The same shape without a schema of its own.
struct PlainEcho {
  std::string echo;
};
void from_json(nlohmann::json const& j, PlainEcho& out) { j.at("echo").get_to(out.echo); }

/// A shape the fake's answer does not have.
struct Weather {
  double celsius = 0;
  static nlohmann::json json_schema() { return {{"type", "object"}}; }
};
void from_json(nlohmann::json const& j, Weather& out) { j.at("celsius").get_to(out.celsius); }

}  // namespace structured_test

namespace smarter {
namespace {

using structured_test::Echo;
using structured_test::PlainEcho;
using structured_test::Weather;
using Reason = StructuredOutputError::Reason;

ChatCompletionCreateParams ask(std::string text) {
  ChatCompletionCreateParams params;
  params.model = "gpt-4o-mini";
  params.messages = {ChatMessage::user(std::move(text))};
  return params;
}

nlohmann::json completion_with(nlohmann::json message, char const* finish_reason = "stop") {
  return {{"id", "chatcmpl-1"},
          {"object", "chat.completion"},
          {"created", 1},
          {"model", "m"},
          {"choices", {{{"index", 0}, {"message", std::move(message)}, {"finish_reason", finish_reason}}}}};
}

class StructuredIT : public test_support::OpenAIFixture {
 protected:
  /// The reason of the StructuredOutputError `call` raises.
  template <class Call>
  static std::optional<Reason> reason_of(Call call) {
    try {
      call();
    } catch (StructuredOutputError const& e) {
      return e.reason();
    }
    return std::nullopt;
  }
};

TEST_F(StructuredIT, ChatParseSendsTheTypesSchemaAndDecodesTheAnswer) {
  ParsedChatCompletion<Echo> const result = client().chat().completions().parse<Echo>(ask("hello"));
  EXPECT_EQ(result.parsed.echo, "hello");
  EXPECT_EQ(result.completion.choices.at(0).finish_reason, "stop");
  nlohmann::json const format = server_->requests().back().json()["response_format"];
  EXPECT_EQ(format["type"], "json_schema");
  EXPECT_EQ(format["json_schema"]["name"], "echo");
  EXPECT_EQ(format["json_schema"]["strict"], true);
  EXPECT_EQ(format["json_schema"]["schema"], Echo::json_schema());
}

TEST_F(StructuredIT, TheCallersFormatWinsAndATypeWithoutASchemaNeedsOne) {
  auto params = ask("hi");
  params.response_format = ResponseFormat::json_object();
  EXPECT_EQ(client().chat().completions().parse<PlainEcho>(params).parsed.echo, "hi");
  EXPECT_EQ(server_->requests().back().json()["response_format"], (nlohmann::json{{"type", "json_object"}}));

  std::size_t const sent = server_->requests().size();
  EXPECT_THROW(client().chat().completions().parse<PlainEcho>(ask("hi")), SmarterError);
  EXPECT_EQ(server_->requests().size(), sent) << "nothing is sent without a schema";
}

TEST_F(StructuredIT, AnAnswerOfAnotherShapeIsATypedErrorWithTheText) {
  try {
    client().chat().completions().parse<Weather>(ask("sunny"));
    FAIL() << "decoded an answer without celsius";
  } catch (StructuredOutputError const& e) {
    EXPECT_EQ(e.reason(), Reason::invalid);
    EXPECT_EQ(e.content(), R"({"echo":"sunny"})");
    EXPECT_NE(std::string(e.what()).find("does not decode"), std::string::npos) << e.what();
  }
}

TEST_F(StructuredIT, RefusalsCutOffsFiltersAndNonJsonAreTypedErrors) {
  testkit::FakeServer raw;
  ClientOptions options = this->options();
  options.base_url = raw.url();
  Smarter client(options);
  auto parse = [&] { client.chat().completions().parse<Echo>(ask("x")); };

  raw.enqueue(testkit::FakeResponse::json(200, completion_with({{"role", "assistant"}, {"content", nullptr},
                                                                {"refusal", "I can't help with that."}})));
  try {
    parse();
    FAIL() << "a refusal decoded";
  } catch (StructuredOutputError const& e) {
    EXPECT_EQ(e.reason(), Reason::refusal);
    EXPECT_EQ(e.content(), "I can't help with that.");
  }
  raw.enqueue(testkit::FakeResponse::json(
      200, completion_with({{"role", "assistant"}, {"content", R"({"echo": "cut)"}}, "length")));
  EXPECT_EQ(reason_of(parse), Reason::truncated);
  raw.enqueue(testkit::FakeResponse::json(
      200, completion_with({{"role", "assistant"}, {"content", ""}}, "content_filter")));
  EXPECT_EQ(reason_of(parse), Reason::content_filter);
  raw.enqueue(testkit::FakeResponse::json(200, completion_with({{"role", "assistant"}, {"content", "Sure! Paris."}})));
  EXPECT_EQ(reason_of(parse), Reason::invalid);
  std::string deep(100000, '[');
  raw.enqueue(testkit::FakeResponse::json(200, completion_with({{"role", "assistant"}, {"content", deep}})));
  EXPECT_EQ(reason_of(parse), Reason::invalid) << "a deeply nested answer is refused, not a crash";
}

TEST_F(StructuredIT, AStreamedAnswerIsParsedAfterAccumulating) {
  auto params = ask("streamed");
  params.response_format = ResponseFormat::from_schema(detail::schema_format_of<Echo>());
  ChatCompletionAccumulator accumulator;
  for (ChatCompletionChunk const& chunk : client().chat().completions().create_stream(params)) accumulator.add(chunk);
  EXPECT_EQ(parse_completion<Echo>(accumulator.final_completion()).parsed.echo, "streamed");
}

TEST_F(StructuredIT, ResponsesParseSendsTheFlattenedSchema) {
  ResponseCreateParams params;
  params.model = "gpt-4o-mini";
  params.input = std::string("bonjour");
  ParsedResponse<Echo> const result = client().responses().parse<Echo>(params);
  EXPECT_EQ(result.parsed.echo, "bonjour");
  EXPECT_EQ(result.response.status, "completed");
  nlohmann::json const format = server_->requests().back().json()["text"]["format"];
  EXPECT_EQ(format["type"], "json_schema");
  EXPECT_EQ(format["name"], "echo");
  EXPECT_EQ(format["schema"], Echo::json_schema());
}

TEST_F(StructuredIT, AResponsesRefusalIsATypedError) {
  testkit::FakeServer raw;
  ClientOptions options = this->options();
  options.base_url = raw.url();
  raw.enqueue(testkit::FakeResponse::json(
      200, {{"id", "resp_1"},
            {"object", "response"},
            {"created_at", 1},
            {"model", "m"},
            {"status", "completed"},
            {"output",
             {{{"type", "message"},
               {"role", "assistant"},
               {"content", {{{"type", "refusal"}, {"refusal", "No."}}}}}}}}));
  ResponseCreateParams params;
  params.model = "m";
  params.input = std::string("x");
  EXPECT_EQ(reason_of([&] { Smarter(options).responses().parse<Echo>(params); }), Reason::refusal);
}

}  // namespace
}  // namespace smarter

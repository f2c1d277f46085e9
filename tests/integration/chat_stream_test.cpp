// Chat completions over real HTTP, plain and streamed as server-sent events.
#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <smarter/errors.hpp>
#include <smarter/resources/chat.hpp>
#include <smarter/streaming.hpp>

#include "openai_fixture.hpp"

namespace smarter {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

ChatCompletionCreateParams hello(std::string text = "Hello") {
  ChatCompletionCreateParams params;
  params.model = "gpt-4o-mini";
  params.messages = {ChatMessage::user(std::move(text))};
  return params;
}

std::string text_of(ChatCompletionChunk const& chunk) {
  return chunk.choices.empty() ? std::string() : chunk.choices[0].delta.content.value_or("");
}

class ChatIT : public test_support::OpenAIFixture {};

TEST_F(ChatIT, CreateReturnsTypedCompletionAndSendsOnlySetFields) {
  auto completion = client().chat().completions().create(hello());
  ASSERT_EQ(completion.choices.size(), 1u);
  EXPECT_EQ(completion.choices[0].message.content, "Echo: Hello");
  EXPECT_EQ(completion.choices[0].finish_reason, "stop");
  ASSERT_TRUE(completion.usage.has_value());
  EXPECT_GT(completion.usage->total_tokens, 0);
  EXPECT_TRUE(completion.request_id().has_value());

  auto request = server_->requests().back();
  EXPECT_EQ(request.path, "/v1/chat/completions");
  EXPECT_EQ(request.json(), nlohmann::json::parse(R"({"messages":[{"role":"user","content":"Hello"}],"model":"gpt-4o-mini"})"));
}

TEST_F(ChatIT, StreamSendsStreamTrueAndEndsAtDone) {
  auto stream = client().chat().completions().create_stream(hello("one two three"));
  std::string text;
  ChatCompletionAccumulator accumulator;
  for (auto const& chunk : stream) {
    text += text_of(chunk);
    accumulator.add(chunk);
  }
  EXPECT_EQ(text, "Echo: one two three");
  EXPECT_TRUE(stream.is_closed());
  ChatCompletion final = accumulator.final_completion();
  EXPECT_EQ(final.choices.at(0).message.content, "Echo: one two three");
  EXPECT_EQ(final.choices.at(0).finish_reason, "stop");

  auto request = server_->requests().back();
  EXPECT_EQ(request.json()["stream"], true);
  EXPECT_EQ(request.header("Accept"), "text/event-stream");
}

TEST_F(ChatIT, ChunksReachTheLoopAsTheServerSendsThem) {
  testkit::ChatStreamScript script;
  script.pieces = {"a", "b", "c", "d"};
  script.pause_between = milliseconds(250);
  openai_->script_next_stream(script);

  auto stream = client().chat().completions().create_stream(hello());
  std::vector<Clock::time_point> arrivals;
  std::vector<std::string> pieces;
  for (auto const& chunk : stream) {
    if (text_of(chunk).empty()) continue;
    arrivals.push_back(Clock::now());
    pieces.push_back(text_of(chunk));
  }
  ASSERT_EQ(pieces, (std::vector<std::string>{"a", "b", "c", "d"}));
  // Had the body been buffered, every chunk would arrive together once the server finished;
  // the server spent 3 x 250 ms between the first and the last piece, so they arrive spread out.
  auto spread = std::chrono::duration_cast<milliseconds>(arrivals.back() - arrivals.front());
  EXPECT_GE(spread.count(), 375) << "chunks were not delivered as they were sent";
}

TEST_F(ChatIT, IncludeUsageAddsAUsageChunkTheAccumulatorKeeps) {
  auto params = hello("x y");
  params.stream_options = ChatStreamOptions{true};
  auto stream = client().chat().completions().create_stream(params);
  ChatCompletionAccumulator accumulator;
  bool saw_usage_only_chunk = false;
  for (auto const& chunk : stream) {
    if (chunk.choices.empty() && chunk.usage) saw_usage_only_chunk = true;
    accumulator.add(chunk);
  }
  EXPECT_TRUE(saw_usage_only_chunk);
  auto final = accumulator.final_completion();
  ASSERT_TRUE(final.usage.has_value());
  EXPECT_GT(final.usage->completion_tokens, 0);
  EXPECT_EQ(server_->requests().back().json()["stream_options"], nlohmann::json({{"include_usage", true}}));
}

TEST_F(ChatIT, ErrorEventRaisesTypedErrorAndClientStaysUsable) {
  testkit::ChatStreamScript script;
  script.pieces = {"partial"};
  script.error = nlohmann::json{{"message", "Rate limit reached"}, {"type", "requests"}, {"code", "rate_limit_exceeded"}};
  openai_->script_next_stream(script);

  Smarter client = this->client();
  std::vector<std::string> seen;
  try {
    for (auto const& chunk : client.chat().completions().create_stream(hello())) seen.push_back(text_of(chunk));
    FAIL() << "expected RateLimitError";
  } catch (RateLimitError const& e) {
    EXPECT_EQ(std::string(e.what()), "Error code: 429 - Rate limit reached");
    EXPECT_EQ(e.status_code(), 429);
    EXPECT_TRUE(e.request_id().has_value());
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"", "partial"}));
  EXPECT_EQ(client.chat().completions().create(hello("again")).choices.at(0).message.content, "Echo: again");
}

TEST_F(ChatIT, ErrorEventWithUnknownTypeRaisesAPIStreamError) {
  testkit::ChatStreamScript script;
  script.error = nlohmann::json{{"message", "Something odd"}, {"type", "odd_error"}};
  openai_->script_next_stream(script);
  auto stream = client().chat().completions().create_stream(hello());
  try {
    for (auto const& chunk : stream) (void)chunk;
    FAIL() << "expected APIStreamError";
  } catch (APIStreamError const& e) {
    EXPECT_EQ(std::string(e.what()), "Something odd");
    EXPECT_EQ(e.type(), "odd_error");
  }
}

TEST_F(ChatIT, BreakingOutEarlyClosesTheStreamAndTheClientStaysUsable) {
  testkit::ChatStreamScript script;
  for (int i = 0; i < 100; ++i) script.pieces.push_back("p" + std::to_string(i));
  script.pause_between = milliseconds(100);  // 10 s if read to the end
  openai_->script_next_stream(script);

  Smarter client = this->client();
  auto started = Clock::now();
  {
    auto stream = client.chat().completions().create_stream(hello());
    int pieces = 0;
    for (auto const& chunk : stream) {
      if (!text_of(chunk).empty() && ++pieces == 2) break;
    }
  }  // the stream is destroyed here, which drops its connection
  auto next = client.chat().completions().create(hello("after"));
  EXPECT_EQ(next.choices.at(0).message.content, "Echo: after");
  // Generous: the abandoned stream had ~10 s left to run.
  EXPECT_LT(std::chrono::duration_cast<milliseconds>(Clock::now() - started).count(), 8000);
}

TEST_F(ChatIT, ExplicitCloseStopsIteration) {
  testkit::ChatStreamScript script;
  script.pieces = {"a", "b", "c"};
  openai_->script_next_stream(script);
  auto stream = client().chat().completions().create_stream(hello());
  auto first = stream.next();
  ASSERT_TRUE(first.has_value());
  stream.close();
  EXPECT_TRUE(stream.is_closed());
  EXPECT_FALSE(stream.next().has_value());
}

TEST_F(ChatIT, BytesAfterDoneAreDrainedAndTheConnectionIsReused) {
  testkit::ChatStreamScript script;
  script.pieces = {"x"};
  script.trailer = ": trailing comment\n\n";
  openai_->script_next_stream(script);
  Smarter client = this->client();
  std::string text;
  for (auto const& chunk : client.chat().completions().create_stream(hello())) text += text_of(chunk);
  EXPECT_EQ(text, "x");
  (void)client.chat().completions().create(hello());
  EXPECT_EQ(server_->connection_count(), 1u) << "the streamed connection was not reused";
}

TEST_F(ChatIT, CrAndCrlfLineEndingsOverHttp) {
  for (std::string eol : {"\r", "\r\n"}) {
    testkit::ChatStreamScript script;
    script.pieces = {"l1", "l2"};
    script.line_ending = eol;
    openai_->script_next_stream(script);
    std::string text;
    for (auto const& chunk : client().chat().completions().create_stream(hello())) text += text_of(chunk);
    EXPECT_EQ(text, "l1l2");
  }
}

TEST_F(ChatIT, HttpErrorRaisesBeforeTheStreamStarts) {
  openai_->fail_next(1, 400, "invalid_request_error", "bad things");
  EXPECT_THROW(client().chat().completions().create_stream(hello()), BadRequestError);
}

TEST_F(ChatIT, MissingModelIsA400WithParam) {
  auto params = hello();
  params.model = "";
  try {
    client().chat().completions().create(params);
    FAIL() << "expected BadRequestError";
  } catch (BadRequestError const& e) {
    EXPECT_EQ(e.body()["error"]["param"], "model");
  }
}

TEST_F(ChatIT, NestedParamsAndExtraReachTheWire) {
  auto params = hello("json please");
  params.response_format = ResponseFormat::json_object();
  params.temperature = 0.5;
  params.tool_choice = ChatToolChoice{NamedToolChoice{"lookup"}};
  params.tools = std::vector<ChatTool>{ChatTool{"function", FunctionDefinition{"lookup", "Looks up", nlohmann::json{{"type", "object"}}, true}}};
  params.extra = {{"temperature", nullptr}, {"custom_flag", true}};
  auto completion = client().chat().completions().create(params);
  EXPECT_EQ(nlohmann::json::parse(*completion.choices.at(0).message.content)["echo"], "json please");
  auto body = server_->requests().back().json();
  EXPECT_EQ(body["response_format"], nlohmann::json({{"type", "json_object"}}));
  EXPECT_TRUE(body["temperature"].is_null()) << "extra wins over the typed field";
  EXPECT_EQ(body["custom_flag"], true);
  EXPECT_EQ(body["tool_choice"], nlohmann::json::parse(R"({"type":"function","function":{"name":"lookup"}})"));
  EXPECT_EQ(body["tools"][0]["function"]["parameters"], nlohmann::json({{"type", "object"}}));
  EXPECT_EQ(body["tools"][0]["function"]["strict"], true);
}

TEST_F(ChatIT, StalledStreamRaisesReadTimeoutFromTheLoop) {
  testkit::ChatStreamScript script;
  script.pieces = {"a", "b"};
  script.pause_between = milliseconds(1500);
  openai_->script_next_stream(script);
  Smarter client = this->client();
  RequestOptions options;
  options.timeout = Timeout(30.0).with_read(0.3);
  std::vector<std::string> seen;
  try {
    for (auto const& chunk : client.chat().completions().create_stream(hello(), options)) seen.push_back(text_of(chunk));
    FAIL() << "expected APITimeoutError";
  } catch (APITimeoutError const& e) {
    EXPECT_EQ(e.kind(), TimeoutKind::read);
  }
  EXPECT_EQ(seen, (std::vector<std::string>{""})) << "the first event arrived before the stall";
  EXPECT_EQ(client.chat().completions().create(hello("next")).choices.at(0).message.content, "Echo: next");
}

}  // namespace
}  // namespace smarter

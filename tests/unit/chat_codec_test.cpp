// Chat Completions and Responses types on the table-driven codec: nested models share the
// response's one document, the hand-written parts (content for messages only, string-only
// instructions, the named tool choice, the flattened text format) and the presence rules.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <smarter/detail/codec.hpp>
#include <smarter/types/chat.hpp>
#include <smarter/types/responses.hpp>

namespace smarter {
namespace {

using detail::DecodeError;
using nlohmann::json;

template <class T>
T decode(json const& value) {
  return detail::decode_value<T>(value);
}

// The JSON pointer of the DecodeError raised by decoding `value` as T.
template <class T>
std::string error_path(json const& value) {
  try {
    (void)decode<T>(value);
  } catch (DecodeError const& e) {
    return e.path();
  }
  return "(no error)";
}

json completion_json() {
  return json::parse(R"({
    "id": "chatcmpl-1", "object": "chat.completion", "created": 1700000000, "model": "m",
    "choices": [{"index": 0, "finish_reason": "tool_calls", "logprobs": {"content": []},
                 "message": {"role": "assistant", "content": null,
                             "tool_calls": [{"id": "call_1", "type": "function",
                                             "function": {"name": "f", "arguments": "{}"}}]}}],
    "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4}})");
}

json response_json() {
  return json::parse(R"({
    "id": "resp_1", "object": "response", "created_at": 1, "model": "m", "status": "completed",
    "instructions": "Be brief.",
    "output": [{"type": "reasoning", "id": "rs_1", "content": "not a list of parts"},
               {"type": "message", "id": "msg_1", "role": "assistant",
                "content": [{"type": "output_text", "text": "Hi", "annotations": []}]}],
    "usage": {"input_tokens": 2, "output_tokens": 1, "total_tokens": 3},
    "error": null})");
}

TEST(ChatCodec, NestedModelsShareTheCompletionsDocument) {
  ChatCompletion completion = decode<ChatCompletion>(completion_json());
  json const& root = completion.to_dict();
  EXPECT_EQ(root, completion_json());
  ChatCompletionChoice const& choice = completion.choices.at(0);
  EXPECT_EQ(&choice.to_dict(), &root["choices"][0]);
  EXPECT_EQ(&choice.message.to_dict(), &root["choices"][0]["message"]);
  ASSERT_EQ(choice.message.tool_calls.size(), 1u);
  EXPECT_EQ(&choice.message.tool_calls[0].to_dict(), &root["choices"][0]["message"]["tool_calls"][0]);
  ASSERT_TRUE(completion.usage);
  EXPECT_EQ(&completion.usage->to_dict(), &root["usage"]);
  EXPECT_EQ(choice.message.tool_calls[0].function.arguments, "{}");
  EXPECT_EQ(choice.logprobs, json::parse(R"({"content": []})"));
  EXPECT_TRUE(choice.message.is_null("content"));
}

TEST(ChatCodec, FromJsonMakesOneCopySharedByTheNestedModels) {
  json const value = completion_json();
  ChatCompletion completion = value.get<ChatCompletion>();
  EXPECT_NE(&completion.to_dict(), &value);
  EXPECT_EQ(&completion.choices.at(0).message.to_dict(), &completion.to_dict()["choices"][0]["message"]);
}

TEST(ChatCodec, ChunkModelsShareTheChunksDocument) {
  auto chunk = decode<ChatCompletionChunk>(json::parse(R"({"id": "c", "choices": [{"index": 0,
      "delta": {"tool_calls": [{"index": 0, "id": "call_1", "function": {"arguments": "{"}}]}}]})"));
  json const& root = chunk.to_dict();
  EXPECT_EQ(&chunk.choices.at(0).delta.to_dict(), &root["choices"][0]["delta"]);
  EXPECT_EQ(&chunk.choices[0].delta.tool_calls.at(0).to_dict(), &root["choices"][0]["delta"]["tool_calls"][0]);
  EXPECT_EQ(chunk.object, "chat.completion.chunk") << "a missing field keeps its default";
  EXPECT_FALSE(chunk.choices[0].delta.tool_calls[0].function->name);
}

TEST(ChatCodec, TheAccumulatedCompletionSharesItsDocument) {
  ChatCompletionAccumulator accumulator;
  accumulator.add(decode<ChatCompletionChunk>(json::parse(
      R"({"id": "c", "created": 1, "model": "m", "choices": [{"index": 0, "delta": {"content": "Hi"}}]})")));
  ChatCompletion done = accumulator.final_completion();
  EXPECT_EQ(done.choices.at(0).message.content, "Hi");
  EXPECT_EQ(&done.choices[0].message.to_dict(), &done.to_dict()["choices"][0]["message"]);
}

TEST(ChatCodec, NullOrMissingKeepsTheDefaultsOfPlainMembers) {
  json body = completion_json();
  body["object"] = nullptr;
  body["choices"][0]["message"]["role"] = nullptr;
  body["choices"][0]["message"]["tool_calls"][0].erase("type");
  body["usage"]["total_tokens"] = nullptr;
  ChatCompletion completion = decode<ChatCompletion>(body);
  EXPECT_EQ(completion.object, "chat.completion");
  EXPECT_EQ(completion.choices.at(0).message.role, "assistant");
  EXPECT_EQ(completion.choices[0].message.tool_calls.at(0).type, "function");
  EXPECT_EQ(completion.usage->total_tokens, 0);
  EXPECT_TRUE(completion.usage->is_null("total_tokens"));
}

TEST(ChatCodec, ErrorsNameThePath) {
  json body = completion_json();
  body.erase("choices");
  EXPECT_EQ(error_path<ChatCompletion>(body), "/choices");
  body = completion_json();
  body["choices"][0]["message"] = nullptr;
  EXPECT_EQ(error_path<ChatCompletion>(body), "/choices/0/message");
  body = completion_json();
  body["choices"][0]["index"] = 4294967296;
  EXPECT_EQ(error_path<ChatCompletion>(body), "/choices/0/index") << "no silent wrap";
  body = completion_json();
  body["choices"][0]["message"]["tool_calls"][0]["function"]["name"] = 7;
  EXPECT_EQ(error_path<ChatCompletion>(body), "/choices/0/message/tool_calls/0/function/name");
  body = completion_json();
  body["usage"]["prompt_tokens"] = 1.5;
  EXPECT_EQ(error_path<ChatCompletion>(body), "/usage/prompt_tokens");
  EXPECT_EQ(error_path<ChatCompletionChunk>(json::parse(R"({"choices": []})")), "/id");
}

TEST(ChatCodec, ParamsEncodeRequiredFieldsAlwaysAndOptionalOnesWhenSet) {
  ChatCompletionCreateParams params;
  EXPECT_EQ(to_json_body(params), json::parse(R"({"messages": [], "model": ""})"));
  params.model = "m";
  params.messages = {ChatMessage::assistant("ok")};
  params.messages[0].tool_calls = std::vector<ChatToolCallParam>{};
  params.tool_choice = ChatToolChoice{NamedToolChoice{"get_weather"}};
  FunctionDefinition function{"get_weather", std::nullopt, json::object(), std::nullopt};
  params.tools = std::vector<ChatTool>{ChatTool{"function", function}};
  params.stream_options = ChatStreamOptions{};
  params.extra = {{"model", "other"}, {"seed", nullptr}};
  json body = to_json_body(params);
  EXPECT_EQ(body, json::parse(R"({"model": "other", "seed": null, "stream_options": {},
    "messages": [{"role": "assistant", "content": "ok", "tool_calls": []}],
    "tool_choice": {"type": "function", "function": {"name": "get_weather"}},
    "tools": [{"type": "function", "function": {"name": "get_weather", "parameters": {}}}]})"));
  EXPECT_EQ(json(params), body);
}

TEST(ChatCodec, ToolCallsAndContentPartsEncode) {
  ChatMessage message = ChatMessage::user({ChatContentPart::text_part("hi")});
  message.tool_calls = std::vector<ChatToolCallParam>{ChatToolCallParam{"call_1", "function", FunctionCall{"f", ""}}};
  message.extra = {{"role", "developer"}};
  std::get<std::vector<ChatContentPart>>(*message.content)[0].extra = {{"cache", true}};
  EXPECT_EQ(json(message), json::parse(R"({"role": "developer",
    "content": [{"type": "text", "text": "hi", "cache": true}],
    "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "f", "arguments": ""}}]})"));
}

TEST(ResponsesCodec, NestedModelsShareTheResponsesDocument) {
  Response response = decode<Response>(response_json());
  json const& root = response.to_dict();
  ASSERT_EQ(response.output.size(), 2u);
  EXPECT_EQ(&response.output[0].to_dict(), &root["output"][0]);
  EXPECT_EQ(&response.output[1].to_dict(), &root["output"][1]);
  ASSERT_EQ(response.output[1].content.size(), 1u);
  EXPECT_EQ(&response.output[1].content[0].to_dict(), &root["output"][1]["content"][0]);
  EXPECT_EQ(&response.usage->to_dict(), &root["usage"]);
  EXPECT_EQ(response.output_text(), "Hi");
  EXPECT_FALSE(response.error);
  EXPECT_EQ(response.instructions, "Be brief.");
}

TEST(ResponsesCodec, ContentIsReadForMessagesOnly) {
  Response response = decode<Response>(response_json());
  EXPECT_TRUE(response.output.at(0).content.empty());
  EXPECT_EQ(response.output[0].field("content"), "not a list of parts");
  json body = response_json();
  body["output"][1]["content"] = "text";
  EXPECT_EQ(error_path<Response>(body), "/output/1/content");
  body["output"][1]["content"] = json::parse(R"([{"type": "output_text", "text": 1}])");
  EXPECT_EQ(error_path<Response>(body), "/output/1/content/0/text");
  body["output"][1].erase("type");
  EXPECT_EQ(error_path<Response>(body), "/output/1/type");
}

TEST(ResponsesCodec, OnlyTheStringFormOfInstructionsIsRead) {
  json body = response_json();
  body["instructions"] = json::parse(R"([{"role": "developer", "content": "Be brief."}])");
  Response response = decode<Response>(body);
  EXPECT_FALSE(response.instructions);
  EXPECT_EQ(response.field("instructions")[0]["role"], "developer");
  EXPECT_FALSE(body.get<Response>().instructions) << "from_json takes the same path";
}

TEST(ResponsesCodec, StreamEventResponseSharesTheEventsDocument) {
  json event_json{{"type", "response.completed"}, {"sequence_number", 9}, {"response", response_json()}};
  auto event = decode<ResponseStreamEvent>(event_json);
  ASSERT_TRUE(event.response);
  EXPECT_EQ(&event.response->to_dict(), &event.to_dict()["response"]);
  EXPECT_EQ(&event.response->output.at(1).content.at(0).to_dict(),
            &event.to_dict()["response"]["output"][1]["content"][0]);
  EXPECT_EQ(error_path<ResponseStreamEvent>(json{{"response", response_json()}}), "/type");
  event_json["response"].erase("id");
  EXPECT_EQ(error_path<ResponseStreamEvent>(event_json), "/response/id");
}

TEST(ResponsesCodec, ParamsFlattenTheTextFormatAndMergeExtra) {
  ResponseCreateParams params;
  EXPECT_EQ(to_json_body(params), json::object());
  params.model = "m";
  params.input = std::vector<ResponseInputItem>{
      ResponseInputItem{"user", std::vector<ResponseInputContent>{ResponseInputContent{}}, std::nullopt, {}},
      ResponseInputItem{std::nullopt, std::nullopt, "function_call_output", {{"call_id", "c1"}, {"output", "42"}}}};
  ResponseFormat format = ResponseFormat::from_schema({"answer", std::nullopt, json{{"type", "object"}}, true});
  format.extra = {{"strict", false}};
  params.text = ResponseTextConfig{format, "low"};
  params.tools = std::vector<ResponseTool>{ResponseTool{"web_search", std::nullopt, std::nullopt, std::nullopt,
                                                        std::nullopt, {{"search_context_size", "low"}}}};
  params.extra = {{"store", false}};
  json body = to_json_body(params);
  EXPECT_EQ(body, json::parse(R"({"model": "m", "store": false,
    "input": [{"role": "user", "content": [{"type": "input_text"}]},
              {"type": "function_call_output", "call_id": "c1", "output": "42"}],
    "text": {"format": {"type": "json_schema", "name": "answer", "schema": {"type": "object"}, "strict": false},
             "verbosity": "low"},
    "tools": [{"type": "web_search", "search_context_size": "low"}]})"));
  EXPECT_EQ(json(params), body);
  EXPECT_EQ(json(ResponseTextConfig{}), json::object());
}

}  // namespace
}  // namespace smarter

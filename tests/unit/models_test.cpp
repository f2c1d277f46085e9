// Typed OpenAI-shaped models: decoding (tolerant and strict), null vs missing, request bodies.
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <smarter/detail/decode.hpp>
#include <smarter/errors.hpp>
#include <smarter/types/chat.hpp>
#include <smarter/types/fine_tuning.hpp>
#include <smarter/types/responses.hpp>

namespace smarter {
namespace {

using nlohmann::json;

RawResponse response_with(json const& body) {
  RawResponse response;
  response.status_code = 200;
  response.headers.set("Content-Type", "application/json");
  response.headers.set("x-request-id", "req_123");
  response.body = body.dump();
  response.method = "POST";
  response.url = "http://127.0.0.1/v1/chat/completions";
  return response;
}

json completion_json() {
  return json::parse(R"({
    "id": "chatcmpl-1", "object": "chat.completion", "created": 1700000000, "model": "gpt-4o-mini",
    "choices": [{"index": 0, "finish_reason": "stop", "logprobs": null,
                 "message": {"role": "assistant", "content": "Hi", "refusal": null,
                             "annotations": [{"type": "url_citation"}]}}],
    "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4,
              "completion_tokens_details": {"reasoning_tokens": 0}},
    "system_fingerprint": null,
    "brand_new_field": {"nested": [1, 2]}
  })");
}

// Decodes `body` as T and returns the validation error message (fails the test if none).
template <class T>
std::string validation_error(json const& body) {
  try {
    (void)detail::decode_response<T>(response_with(body));
  } catch (APIResponseValidationError const& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected APIResponseValidationError";
  return {};
}

TEST(Models, ChatCompletionDecodesTypedFieldsAndRequestId) {
  auto completion = detail::decode_response<ChatCompletion>(response_with(completion_json()));
  EXPECT_EQ(completion.id, "chatcmpl-1");
  EXPECT_EQ(completion.created, 1700000000);
  ASSERT_EQ(completion.choices.size(), 1u);
  EXPECT_EQ(completion.choices[0].message.content, "Hi");
  EXPECT_EQ(completion.choices[0].finish_reason, "stop");
  ASSERT_TRUE(completion.usage.has_value());
  EXPECT_EQ(completion.usage->total_tokens, 4);
  EXPECT_EQ(completion.request_id(), "req_123");
  EXPECT_FALSE(completion.choices[0].request_id().has_value()) << "only the top-level model has a request id";
}

TEST(Models, UnknownFieldsSurviveAtEveryLevel) {
  auto completion = detail::decode_response<ChatCompletion>(response_with(completion_json()));
  EXPECT_EQ(completion.field("brand_new_field")["nested"], json({1, 2}));
  EXPECT_EQ(completion.choices[0].message.field("annotations")[0]["type"], "url_citation");
  EXPECT_EQ(completion.usage->field("completion_tokens_details")["reasoning_tokens"], 0);
  EXPECT_EQ(completion.to_dict(), completion_json());
  EXPECT_EQ(json::parse(completion.to_json()), completion_json());
}

TEST(Models, NullIsDistinguishedFromMissing) {
  auto completion = detail::decode_response<ChatCompletion>(response_with(completion_json()));
  EXPECT_FALSE(completion.system_fingerprint.has_value());
  EXPECT_TRUE(completion.has_field("system_fingerprint"));
  EXPECT_TRUE(completion.is_null("system_fingerprint"));
  EXPECT_FALSE(completion.service_tier.has_value());
  EXPECT_FALSE(completion.has_field("service_tier"));
  EXPECT_FALSE(completion.is_null("service_tier"));
  auto fields = completion.fields_set();
  EXPECT_NE(std::find(fields.begin(), fields.end(), "system_fingerprint"), fields.end());
  EXPECT_EQ(std::find(fields.begin(), fields.end(), "service_tier"), fields.end());
}

TEST(Models, UnknownEnumValuesAreKeptAsSent) {
  json body = completion_json();
  body["choices"][0]["finish_reason"] = "a_reason_from_the_future";
  body["choices"][0]["message"]["role"] = "narrator";
  auto completion = detail::decode_response<ChatCompletion>(response_with(body));
  EXPECT_EQ(completion.choices[0].finish_reason, "a_reason_from_the_future");
  EXPECT_EQ(completion.choices[0].message.role, "narrator");
}

TEST(Models, MissingRequiredFieldIsAValidationErrorNamingIt) {
  json body = completion_json();
  body.erase("id");
  EXPECT_NE(validation_error<ChatCompletion>(body).find("/id"), std::string::npos);
}

TEST(Models, NestedValidationErrorsNameThePath) {
  json body = completion_json();
  body["choices"][0]["message"]["tool_calls"] = json::parse(R"([{"type": "function", "function": {"name": "f"}}])");
  EXPECT_NE(validation_error<ChatCompletion>(body).find("/choices/0/message/tool_calls/0/id"), std::string::npos);
}

TEST(Models, WrongTypeIsAValidationErrorNamingTheField) {
  json body = completion_json();
  body["created"] = "yesterday";
  EXPECT_NE(validation_error<ChatCompletion>(body).find("/created"), std::string::npos);
}

TEST(Models, BodyThatIsNotAnObjectIsAValidationError) {
  RawResponse response = response_with(json::array());
  EXPECT_THROW(detail::decode_response<ChatCompletion>(response), APIResponseValidationError);
  response.body = "<html>oops</html>";
  EXPECT_THROW(detail::decode_response<ChatCompletion>(response), APIResponseValidationError);
}

TEST(Models, ChunkWithToolCallDeltasDecodes) {
  auto chunk = detail::decode_value<ChatCompletionChunk>(json::parse(R"({
    "id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m",
    "choices": [{"index": 0, "finish_reason": null,
                 "delta": {"tool_calls": [{"index": 0, "id": "call_1", "type": "function",
                                          "function": {"name": "get_weather", "arguments": ""}}]}}]})"));
  ASSERT_EQ(chunk.choices.at(0).delta.tool_calls.size(), 1u);
  EXPECT_EQ(chunk.choices[0].delta.tool_calls[0].id, "call_1");
  EXPECT_EQ(chunk.choices[0].delta.tool_calls[0].function->name, "get_weather");
  EXPECT_FALSE(chunk.choices[0].finish_reason.has_value());
}

TEST(Models, AccumulatorJoinsContentToolCallsAndChoices) {
  std::vector<json> chunks = {
      json::parse(R"({"id":"c","created":5,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""}},
                                                                {"index":1,"delta":{"role":"assistant","content":"B"}}]})"),
      json::parse(R"({"id":"c","created":5,"model":"m","choices":[{"index":0,"delta":{"content":"Hel"}}]})"),
      json::parse(R"({"id":"c","created":5,"model":"m","choices":[{"index":0,"delta":{"content":"lo"}}]})"),
      json::parse(R"({"id":"c","created":5,"model":"m","choices":[{"index":1,"delta":{"tool_calls":[
          {"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":"{\"a\""}}]}}]})"),
      json::parse(R"({"id":"c","created":5,"model":"m","choices":[{"index":1,"delta":{"tool_calls":[
          {"index":0,"function":{"arguments":":1}"}}]}}]})"),
      json::parse(R"({"id":"c","created":5,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"},
                                                                {"index":1,"delta":{},"finish_reason":"tool_calls"}]})"),
      json::parse(R"({"id":"c","created":5,"model":"m","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}})"),
  };
  ChatCompletionAccumulator accumulator;
  EXPECT_TRUE(accumulator.empty());
  EXPECT_THROW(accumulator.final_completion(), SmarterError);
  for (auto const& chunk : chunks) accumulator.add(detail::decode_value<ChatCompletionChunk>(chunk));
  ChatCompletion done = accumulator.final_completion();
  EXPECT_EQ(done.id, "c");
  EXPECT_EQ(done.object, "chat.completion");
  ASSERT_EQ(done.choices.size(), 2u);
  EXPECT_EQ(done.choices[0].message.content, "Hello");
  EXPECT_EQ(done.choices[0].finish_reason, "stop");
  EXPECT_EQ(done.choices[1].message.content, "B");
  ASSERT_EQ(done.choices[1].message.tool_calls.size(), 1u);
  EXPECT_EQ(done.choices[1].message.tool_calls[0].id, "call_1");
  EXPECT_EQ(done.choices[1].message.tool_calls[0].function.name, "f");
  EXPECT_EQ(done.choices[1].message.tool_calls[0].function.arguments, "{\"a\":1}");
  EXPECT_EQ(done.choices[1].finish_reason, "tool_calls");
  ASSERT_TRUE(done.usage.has_value());
  EXPECT_EQ(done.usage->total_tokens, 3);
}

TEST(Models, ChatParamsSendOnlySetFields) {
  ChatCompletionCreateParams params;
  params.model = "gpt-4o-mini";
  params.messages = {ChatMessage::system("Be terse."), ChatMessage::user("Hi")};
  EXPECT_EQ(to_json_body(params), json::parse(R"({"model":"gpt-4o-mini","messages":[
    {"role":"system","content":"Be terse."},{"role":"user","content":"Hi"}]})"));
}

TEST(Models, ChatParamsNestedStructsAndVariants) {
  ChatCompletionCreateParams params;
  params.model = "m";
  params.messages = {ChatMessage::user({ChatContentPart::text_part("What is this?"),
                                        ChatContentPart::image("https://x/img.png", "low")}),
                     ChatMessage::tool("call_1", "42")};
  params.stop = std::vector<std::string>{"END", "STOP"};
  params.tool_choice = ChatToolChoice{std::string("required")};
  params.logit_bias = std::map<std::string, int>{{"50256", -100}};
  params.response_format = ResponseFormat::from_schema({"answer", "An answer", json{{"type", "object"}}, true});
  params.max_completion_tokens = 100;
  json body = to_json_body(params);
  EXPECT_EQ(body["messages"][0]["content"], json::parse(R"([{"type":"text","text":"What is this?"},
    {"type":"image_url","image_url":{"url":"https://x/img.png","detail":"low"}}])"));
  EXPECT_EQ(body["messages"][1], json::parse(R"({"role":"tool","content":"42","tool_call_id":"call_1"})"));
  EXPECT_EQ(body["stop"], json({"END", "STOP"}));
  EXPECT_EQ(body["tool_choice"], "required");
  EXPECT_EQ(body["logit_bias"]["50256"], -100);
  EXPECT_EQ(body["response_format"], json::parse(R"({"type":"json_schema","json_schema":
    {"name":"answer","description":"An answer","schema":{"type":"object"},"strict":true}})"));
  EXPECT_EQ(body["max_completion_tokens"], 100);
  EXPECT_FALSE(body.contains("temperature"));
}

TEST(Models, ExtraWinsAndNullIsSent) {
  ChatCompletionCreateParams params;
  params.model = "m";
  params.temperature = 1.0;
  params.extra = {{"temperature", nullptr}, {"new_param", "x"}};
  json body = to_json_body(params);
  EXPECT_TRUE(body.contains("temperature"));
  EXPECT_TRUE(body["temperature"].is_null());
  EXPECT_EQ(body["new_param"], "x");
}

TEST(Models, ResponseOutputTextJoinsMessageParts) {
  auto response = detail::decode_value<Response>(json::parse(R"({
    "id": "resp_1", "object": "response", "created_at": 1, "model": "m", "status": "completed",
    "output": [{"type": "reasoning", "id": "rs_1", "summary": []},
               {"type": "message", "id": "msg_1", "role": "assistant", "status": "completed",
                "content": [{"type": "output_text", "text": "Hello, ", "annotations": []},
                            {"type": "refusal", "refusal": "no"},
                            {"type": "output_text", "text": "world", "annotations": []}]},
               {"type": "function_call", "id": "fc_1", "call_id": "call_1", "name": "f", "arguments": "{}"}]})"));
  EXPECT_EQ(response.output_text(), "Hello, world");
  ASSERT_EQ(response.output.size(), 3u);
  EXPECT_EQ(response.output[2].call_id, "call_1");
  EXPECT_EQ(response.output[0].field("summary"), json::array());
}

TEST(Models, ResponseWithoutIdIsAValidationError) {
  EXPECT_NE(validation_error<Response>(json{{"object", "response"}}).find("/id"), std::string::npos);
}

TEST(Models, ChatResponseParamsMapResponseFormatToTextFormat) {
  ChatResponseCreateParams params;
  params.input = "hi";
  params.model = "m";
  params.response_format = ResponseFormat::json_object();
  EXPECT_EQ(to_json_body(params.to_response_params()),
            json::parse(R"({"model":"m","input":"hi","text":{"format":{"type":"json_object"}}})"));
}

TEST(Models, FineTuningJobHyperparametersAreAutoOrNumbers) {
  auto job = detail::decode_value<FineTuningJob>(json::parse(R"({
    "id": "ftjob-1", "object": "fine_tuning.job", "created_at": 1, "model": "m", "status": "running",
    "training_file": "file-1", "result_files": ["file-r"],
    "hyperparameters": {"batch_size": "auto", "learning_rate_multiplier": 1.8, "n_epochs": 3},
    "method": {"type": "dpo", "dpo": {"hyperparameters": {"beta": "auto"}}}})"));
  ASSERT_TRUE(job.hyperparameters.has_value());
  EXPECT_EQ(std::get<std::string>(*job.hyperparameters->batch_size), "auto");
  EXPECT_DOUBLE_EQ(std::get<double>(*job.hyperparameters->learning_rate_multiplier), 1.8);
  EXPECT_EQ(std::get<std::int64_t>(*job.hyperparameters->n_epochs), 3);
  ASSERT_TRUE(job.method && job.method->dpo && job.method->dpo->hyperparameters);
  EXPECT_EQ(std::get<std::string>(*job.method->dpo->hyperparameters->beta), "auto");
  EXPECT_EQ(job.result_files, std::vector<std::string>{"file-r"});
}

TEST(Models, FineTuningHyperparameterOfTheWrongTypeNamesTheField) {
  json body = json::parse(R"({"id": "ftjob-1", "created_at": 1, "model": "m", "status": "running",
    "training_file": "file-1", "hyperparameters": {"n_epochs": [3]}})");
  EXPECT_NE(validation_error<FineTuningJob>(body).find("/hyperparameters/n_epochs"), std::string::npos);
}

TEST(Models, FineTuningCreateBodyLeavesUnsetFieldsOut) {
  FineTuningJobCreateParams params;
  params.model = "m";
  params.training_file = "file-1";
  EXPECT_EQ(to_json_body(params), json::parse(R"({"model":"m","training_file":"file-1"})"));
  FineTuningIntegration wandb;
  wandb.wandb.project = "p";
  params.integrations = std::vector<FineTuningIntegration>{wandb};
  params.hyperparameters = FineTuningHyperparameters{std::int64_t{8}, 0.5, std::string("auto")};
  json body = to_json_body(params);
  EXPECT_EQ(body["integrations"], json::parse(R"([{"type":"wandb","wandb":{"project":"p"}}])"));
  EXPECT_EQ(body["hyperparameters"], json::parse(R"({"batch_size":8,"learning_rate_multiplier":0.5,"n_epochs":"auto"})"));
}

TEST(Models, AssistantReplyBecomesHistoryMessage) {
  auto message = detail::decode_value<ChatCompletionMessage>(json::parse(R"({"role": "assistant", "content": null,
    "tool_calls": [{"id": "call_9", "type": "function", "function": {"name": "f", "arguments": "{}"}}]})"));
  json param = to_message_param(message);
  EXPECT_EQ(param, json::parse(R"({"role": "assistant",
    "tool_calls": [{"id": "call_9", "type": "function", "function": {"name": "f", "arguments": "{}"}}]})"));
}

}  // namespace
}  // namespace smarter

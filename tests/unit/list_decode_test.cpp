// List pages decoded one element at a time while the body is parsed (parse_list and
// decode_list_response): the streamed result must be exactly what the whole-document parse and
// the eager decoder give, typed fields and to_dict() alike, with the same failures. No sockets.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <smarter/detail/decode.hpp>
#include <smarter/errors.hpp>
#include <smarter/model.hpp>
#include <smarter/pagination.hpp>
#include <smarter/raw_response.hpp>
#include <smarter/types/chat.hpp>
#include <smarter/types/fine_tuning.hpp>

#include "json_parse.hpp"

namespace smarter {
namespace {

using detail::JsonParse;
using detail::ListParse;
using nlohmann::json;
using ::testing::HasSubstr;

// ------------------------------------------------------------------ helpers

// What parse_list handed to its sink, in the order handed.
struct Handed {
  std::vector<std::size_t> indexes;
  std::vector<json> items;
};

ListParse split(std::string const& text, Handed& handed, std::size_t max_depth = detail::kDefaultMaxJsonDepth) {
  return detail::parse_list(text, max_depth, [&](json&& item, std::size_t index) {
    handed.indexes.push_back(index);
    handed.items.push_back(std::move(item));
  });
}

ListParse split(std::string const& text, std::size_t max_depth = detail::kDefaultMaxJsonDepth) {
  Handed ignored;
  return split(text, ignored, max_depth);
}

// A response as the client hands it to a list call: 200, JSON, a request id.
RawResponse list_response(std::string body) {
  RawResponse response;
  response.status_code = 200;
  response.headers.add("content-type", "application/json");
  response.headers.add("x-request-id", "req-lazy");
  response.body = std::move(body);
  response.method = "GET";
  response.url = "http://127.0.0.1/v1/list";
  return response;
}

// The eager decoder every list call used before: the whole document, the items sharing it.
template <class T>
CursorPage<T> eager_page(std::string const& text, typename CursorPage<T>::Fetcher fetcher = nullptr) {
  return detail::decode_cursor_page<T>(std::make_shared<json const>(json::parse(text)), std::move(fetcher),
                                       std::nullopt);
}

template <class T>
CursorPage<T> lazy_page(std::string const& text, typename CursorPage<T>::Fetcher fetcher = nullptr) {
  return detail::decode_list_response<T>(list_response(text), std::move(fetcher));
}

// A fetcher that is never expected to run: it only makes next_page_info() report the cursor.
template <class T>
typename CursorPage<T>::Fetcher unused_fetcher() {
  return [](PageInfo const&) -> CursorPage<T> { throw std::logic_error("the fetcher was not expected to run"); };
}

// The what() of the APIResponseValidationError `f` raises ("(no error)" when none).
template <class F>
std::string validation_error_of(F&& f) {
  try {
    f();
  } catch (APIResponseValidationError const& e) {
    return e.what();
  }
  return "(no error)";
}

// Three jobs: one with everything (unknown fields too), one with other variant alternatives and
// explicit nulls, one with the required fields only. No last_id: the cursor is the last item's id.
std::string const kJobsPage = R"json({"object":"list","data":[
  {"object":"fine_tuning.job","id":"ftjob-1","model":"gpt-4o-mini-2024-07-18","created_at":1721764800,
   "finished_at":null,"fine_tuned_model":null,"organization_id":"org-123","result_files":[],"status":"queued",
   "validation_file":null,"training_file":"file-abc123",
   "method":{"type":"supervised","supervised":{"hyperparameters":{"batch_size":"auto",
             "learning_rate_multiplier":"auto","n_epochs":"auto"}}},
   "metadata":{"k":"v"},"seed":42,"estimated_finish":null,"trained_tokens":null,
   "error":{"code":"invalid_file","message":"bad","param":"training_file"},
   "user_provided_suffix":"mine","integrations":[{"type":"wandb","wandb":{"project":"p"}}]},
  {"object":"fine_tuning.job","id":"ftjob-2","model":"gpt-4o","created_at":1721764900,"finished_at":1721765900,
   "fine_tuned_model":"ft:gpt-4o:org::abc","result_files":["file-r1","file-r2"],"status":"succeeded",
   "training_file":"file-t","trained_tokens":12345,
   "hyperparameters":{"batch_size":4,"learning_rate_multiplier":1.8,"n_epochs":3},
   "method":{"type":"dpo","dpo":{"hyperparameters":{"beta":0.1}},"reinforcement":{"x":1}},
   "error":null,"suffix":"s"},
  {"id":"ftjob-3","created_at":1,"model":"m","status":"running","training_file":"f"}
 ],"first_id":"ftjob-1","has_more":true})json";

// Two stored completions: nested models (choices, their message, its tool calls, usage) at
// several depths, unknown fields inside them.
std::string const kCompletionsPage = R"json({"object":"list","data":[
  {"id":"chatcmpl-1","object":"chat.completion","created":1741569952,"model":"gpt-4o-mini",
   "choices":[{"index":0,"message":{"role":"assistant","content":"Hello!","refusal":null,"annotations":[]},
               "logprobs":null,"finish_reason":"stop"}],
   "usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29,"prompt_tokens_details":{"cached_tokens":7}},
   "service_tier":"default","system_fingerprint":"fp_1","metadata":{"topic":"greeting"}},
  {"id":"chatcmpl-2","object":"chat.completion","created":1741569953,"model":"gpt-4o",
   "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
                 {"id":"call_a","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
                 {"id":"call_b","type":"function","function":{"name":"get_time","arguments":"{}"},"extra":[1,2]}]},
               "finish_reason":"tool_calls"},
              {"index":1,"message":{"role":"assistant","content":"second"},"finish_reason":"length",
               "logprobs":{"content":[]}}]}
 ],"first_id":"chatcmpl-1","last_id":"chatcmpl-2","has_more":false})json";

void expect_same_hyperparameters(std::optional<FineTuningHyperparameters> const& a,
                                 std::optional<FineTuningHyperparameters> const& b) {
  ASSERT_EQ(a.has_value(), b.has_value());
  if (!a) return;
  EXPECT_EQ(a->batch_size, b->batch_size);
  EXPECT_EQ(a->learning_rate_multiplier, b->learning_rate_multiplier);
  EXPECT_EQ(a->n_epochs, b->n_epochs);
}

void expect_same_job(FineTuningJob const& a, FineTuningJob const& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.object, b.object);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.model, b.model);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.training_file, b.training_file);
  EXPECT_EQ(a.validation_file, b.validation_file);
  EXPECT_EQ(a.fine_tuned_model, b.fine_tuned_model);
  EXPECT_EQ(a.finished_at, b.finished_at);
  EXPECT_EQ(a.organization_id, b.organization_id);
  EXPECT_EQ(a.result_files, b.result_files);
  EXPECT_EQ(a.trained_tokens, b.trained_tokens);
  EXPECT_EQ(a.seed, b.seed);
  EXPECT_EQ(a.estimated_finish, b.estimated_finish);
  EXPECT_EQ(a.suffix, b.suffix);
  EXPECT_EQ(a.metadata, b.metadata);
  ASSERT_EQ(a.error.has_value(), b.error.has_value());
  if (a.error) {
    EXPECT_EQ(a.error->code, b.error->code);
    EXPECT_EQ(a.error->message, b.error->message);
    EXPECT_EQ(a.error->param, b.error->param);
  }
  expect_same_hyperparameters(a.hyperparameters, b.hyperparameters);
  ASSERT_EQ(a.method.has_value(), b.method.has_value());
  if (a.method) {
    EXPECT_EQ(a.method->type, b.method->type);
    EXPECT_EQ(a.method->extra, b.method->extra);
    ASSERT_EQ(a.method->supervised.has_value(), b.method->supervised.has_value());
    if (a.method->supervised) expect_same_hyperparameters(a.method->supervised->hyperparameters,
                                                          b.method->supervised->hyperparameters);
    ASSERT_EQ(a.method->dpo.has_value(), b.method->dpo.has_value());
    if (a.method->dpo) {
      auto const& ha = a.method->dpo->hyperparameters;
      auto const& hb = b.method->dpo->hyperparameters;
      ASSERT_EQ(ha.has_value(), hb.has_value());
      if (ha) {
        EXPECT_EQ(ha->beta, hb->beta);
        EXPECT_EQ(ha->batch_size, hb->batch_size);
        EXPECT_EQ(ha->learning_rate_multiplier, hb->learning_rate_multiplier);
        EXPECT_EQ(ha->n_epochs, hb->n_epochs);
      }
    }
  }
}

void expect_same_message(ChatCompletionMessage const& a, ChatCompletionMessage const& b) {
  EXPECT_EQ(a.role, b.role);
  EXPECT_EQ(a.content, b.content);
  EXPECT_EQ(a.refusal, b.refusal);
  ASSERT_EQ(a.tool_calls.size(), b.tool_calls.size());
  for (std::size_t i = 0; i < a.tool_calls.size(); ++i) {
    EXPECT_EQ(a.tool_calls[i].id, b.tool_calls[i].id);
    EXPECT_EQ(a.tool_calls[i].type, b.tool_calls[i].type);
    EXPECT_EQ(a.tool_calls[i].function.name, b.tool_calls[i].function.name);
    EXPECT_EQ(a.tool_calls[i].function.arguments, b.tool_calls[i].function.arguments);
  }
}

void expect_same_completion(ChatCompletion const& a, ChatCompletion const& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.object, b.object);
  EXPECT_EQ(a.created, b.created);
  EXPECT_EQ(a.model, b.model);
  EXPECT_EQ(a.system_fingerprint, b.system_fingerprint);
  EXPECT_EQ(a.service_tier, b.service_tier);
  EXPECT_EQ(a.metadata, b.metadata);
  ASSERT_EQ(a.usage.has_value(), b.usage.has_value());
  if (a.usage) {
    EXPECT_EQ(a.usage->prompt_tokens, b.usage->prompt_tokens);
    EXPECT_EQ(a.usage->completion_tokens, b.usage->completion_tokens);
    EXPECT_EQ(a.usage->total_tokens, b.usage->total_tokens);
  }
  ASSERT_EQ(a.choices.size(), b.choices.size());
  for (std::size_t i = 0; i < a.choices.size(); ++i) {
    EXPECT_EQ(a.choices[i].index, b.choices[i].index);
    EXPECT_EQ(a.choices[i].finish_reason, b.choices[i].finish_reason);
    EXPECT_EQ(a.choices[i].logprobs, b.choices[i].logprobs);
    expect_same_message(a.choices[i].message, b.choices[i].message);
  }
}

// The nesting depth of a JSON text as both parsers count it (each array or object is one level).
std::size_t depth_of(json const& value) {
  std::size_t deepest = 0;
  if (value.is_structured()) {
    for (auto const& child : value) deepest = std::max(deepest, depth_of(child));
    return deepest + 1;
  }
  return 0;
}

// ------------------------------------------------------------------ parse_list

TEST(ListDecodeParse, HandsEachElementOfDataInOrderWithItsIndexAndExactValue) {
  std::string const text = R"json({"object":"list","data":[
      {"id":"a","n":{"x":[1,{"y":null}],"z":{}}},
      [1,[2,3],{"k":[]}],
      "s", 42, -7, 18446744073709551615, 3.5, true, false, null, {}, []
    ],"has_more":true})json";
  Handed handed;
  ListParse const parsed = split(text, handed);
  ASSERT_TRUE(parsed) << parsed.message;
  EXPECT_TRUE(parsed.streamed);
  json const expected = json::parse(text)["data"];
  ASSERT_EQ(handed.items.size(), expected.size());
  EXPECT_EQ(parsed.items, expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(handed.indexes[i], i);
    EXPECT_EQ(handed.items[i], expected[i]) << "element " << i;
    // Same JSON types too (== would let 42 and 42.0 pass as equal).
    EXPECT_EQ(handed.items[i].type(), expected[i].type()) << "element " << i;
  }
}

TEST(ListDecodeParse, ValueIsTheDocumentWithDataEmptied) {
  // Keys before and after "data", containers in the rest, "data" inside the rest left alone.
  std::string const text = R"json({"a":{"b":[1,2],"data":[9]},"data":[{"id":1},{"id":2}],
                                   "z":[{"c":1},[]],"has_more":false,"last_id":"x"})json";
  ListParse const parsed = split(text);
  ASSERT_TRUE(parsed) << parsed.message;
  json expected = json::parse(text);
  expected["data"] = json::array();
  EXPECT_EQ(parsed.value, expected);
  EXPECT_EQ(parsed.items, 2u);
}

TEST(ListDecodeParse, DataThatIsNotAnArrayIsKeptAsSentAndHandsNothing) {
  for (std::string const text : {R"({"object":"list"})", R"({"data":null})", R"({"data":{}})",
                                 R"({"data":{"k":[1,2]}})", R"({"data":"text"})", R"({"data":5,"x":[1]})"}) {
    Handed handed;
    ListParse const parsed = split(text, handed);
    ASSERT_TRUE(parsed) << text << ": " << parsed.message;
    EXPECT_TRUE(parsed.streamed) << text;
    EXPECT_TRUE(handed.items.empty()) << text;
    EXPECT_EQ(parsed.items, 0u) << text;
    EXPECT_EQ(parsed.value, json::parse(text)) << text;
  }
}

TEST(ListDecodeParse, EmptyDataArrayHandsNothing) {
  Handed handed;
  ListParse const parsed = split(R"({"data":[],"has_more":false})", handed);
  ASSERT_TRUE(parsed) << parsed.message;
  EXPECT_TRUE(handed.items.empty());
  EXPECT_EQ(parsed.value, json::parse(R"({"data":[],"has_more":false})"));
}

TEST(ListDecodeParse, DataBelowTheTopLevelIsNotStreamed) {
  for (std::string const text : {R"({"x":{"data":[1]}})", R"({"x":[{"data":[1,2]}]})", R"([{"data":[1]}])",
                                 R"({"x":{"data":[1]},"y":{"data":[2]}})"}) {
    Handed handed;
    ListParse const parsed = split(text, handed);
    ASSERT_TRUE(parsed) << text << ": " << parsed.message;
    EXPECT_TRUE(parsed.streamed) << text;
    EXPECT_TRUE(handed.items.empty()) << text;
    EXPECT_EQ(parsed.value, json::parse(text)) << text;
  }
}

TEST(ListDecodeParse, TopLevelArraysAndScalarsParseWhole) {
  for (std::string const text : {R"([1,2,{"a":3}])", R"([])", R"("data")", R"(7)", R"(null)", R"(true)", R"({})"}) {
    Handed handed;
    ListParse const parsed = split(text, handed);
    ASSERT_TRUE(parsed) << text << ": " << parsed.message;
    EXPECT_TRUE(handed.items.empty()) << text;
    EXPECT_EQ(parsed.value, json::parse(text)) << text;
  }
}

TEST(ListDecodeParse, EscapedDataKeyIsTheSameKey) {
  // "d\u0061ta" is "data" once unescaped: a whole-document parse would file it under "data".
  Handed handed;
  ListParse const parsed = split(R"({"d\u0061ta":[1,2]})", handed);
  ASSERT_TRUE(parsed) << parsed.message;
  EXPECT_EQ(handed.items, (std::vector<json>{1, 2}));
  EXPECT_EQ(parsed.value, json::parse(R"({"data":[]})"));
}

TEST(ListDecodeParse, SecondTopLevelDataIsNotStreamed) {
  // A whole-document parse keeps the last "data": the caller must parse whole instead.
  for (std::string const text : {R"({"data":[1],"data":[2]})", R"({"data":null,"data":[1]})",
                                 R"({"data":[1],"x":1,"data":{}})", R"({"data":{},"data":{}})"}) {
    ListParse const parsed = split(text);
    EXPECT_FALSE(parsed.streamed) << text;
    EXPECT_TRUE(parsed.value.is_null()) << text;
  }
  // "data" repeated below the top level is an ordinary key.
  Handed handed;
  ListParse const nested = split(R"({"data":[{"data":1,"data":2}],"x":{"data":3,"data":4}})", handed);
  ASSERT_TRUE(nested) << nested.message;
  EXPECT_TRUE(nested.streamed);
  ASSERT_EQ(handed.items.size(), 1u);
  EXPECT_EQ(handed.items[0], json::parse(R"({"data":2})"));
  EXPECT_EQ(nested.value, json::parse(R"({"data":[],"x":{"data":4}})"));
}

TEST(ListDecodeParse, SyntaxErrorsAreReportedAsSyntaxLikeParseJson) {
  for (std::string const text : {R"({"data":[1,]})", R"({"data":[{"a":}]})", R"({"data":[1])", R"({"data":[1]} x)",
                                 R"({"data":[1],})", R"({"data" [1]})", "", "not json", "{\"data\":[\"\xff\"]}",
                                 R"({"data":[{"a":1}})"}) {
    ListParse const parsed = split(text);
    EXPECT_EQ(parsed.failure, JsonParse::Failure::syntax) << text;
    EXPECT_FALSE(parsed.message.empty()) << text;
    EXPECT_TRUE(parsed.value.is_null()) << text;
    EXPECT_EQ(detail::parse_json(text, detail::kDefaultMaxJsonDepth).failure, JsonParse::Failure::syntax) << text;
  }
}

TEST(ListDecodeParse, DepthLimitIsParseJsonsAtTheBoundary) {
  // Nesting inside an element, outside "data", in "data" itself and in a non-array "data".
  for (std::string const text : {R"({"data":[[[1]]]})", R"({"data":[{"a":{"b":{}}}]})", R"({"x":[[[]]],"data":[1]})",
                                 R"({"data":[1],"x":{"y":{"z":[]}}})", R"({"data":[]})", R"({"data":{"a":[[]]}})",
                                 R"([[{"data":[[1]]}]])", R"({})", R"([])"}) {
    std::size_t const depth = depth_of(json::parse(text));
    ListParse const at_limit = split(text, depth);
    EXPECT_TRUE(at_limit) << text << " at max_depth " << depth << ": " << at_limit.message;
    EXPECT_TRUE(detail::parse_json(text, depth)) << text;
    ListParse const past_limit = split(text, depth - 1);
    EXPECT_EQ(past_limit.failure, JsonParse::Failure::too_deep) << text << " at max_depth " << depth - 1;
    EXPECT_TRUE(past_limit.value.is_null()) << text;
    EXPECT_EQ(detail::parse_json(text, depth - 1).failure, JsonParse::Failure::too_deep) << text;
  }
}

TEST(ListDecodeParse, DepthLimitAtTheDefaultOf512) {
  // {"data":[ ...elements nested to depth 512 in all... ]}: the list object and "data" count.
  auto nested = [](std::size_t total) {
    std::size_t const inner = total - 2;
    return R"({"data":[)" + std::string(inner, '[') + std::string(inner, ']') + "]}";
  };
  std::string const at_limit = nested(512);
  std::string const past_limit = nested(513);
  EXPECT_TRUE(split(at_limit));
  EXPECT_TRUE(detail::parse_json(at_limit, 512));
  EXPECT_EQ(split(past_limit).failure, JsonParse::Failure::too_deep);
  EXPECT_EQ(detail::parse_json(past_limit, 512).failure, JsonParse::Failure::too_deep);
}

TEST(ListDecodeParse, ElementTooDeepIsNeverHanded) {
  // The limit stops the parse at the container that passes it: only the elements before it
  // reach the sink.
  Handed handed;
  ListParse const parsed = split(R"({"data":[1,{"a":2},[[[3]]],4]})", handed, 4);
  EXPECT_EQ(parsed.failure, JsonParse::Failure::too_deep);
  EXPECT_EQ(handed.items, (std::vector<json>{1, json::parse(R"({"a":2})")}));
  EXPECT_EQ(parsed.items, 2u);
}

TEST(ListDecodeParse, ExceptionFromTheSinkStopsTheParseAndPropagates) {
  struct Stop {
    std::size_t index;
  };
  std::vector<std::size_t> seen;
  auto throwing = [&](json&&, std::size_t index) {
    seen.push_back(index);
    if (index == 1) throw Stop{index};
  };
  try {
    (void)detail::parse_list(R"({"data":[{"a":1},{"b":2},{"c":3}]})", 512, throwing);
    FAIL() << "the sink's exception was swallowed";
  } catch (Stop const& stop) {
    EXPECT_EQ(stop.index, 1u);
  }
  EXPECT_EQ(seen, (std::vector<std::size_t>{0, 1})) << "elements were handed after the sink threw";
}

// ------------------------------------------------------------------ decode_list_response

TEST(ListDecodeResponse, FineTuningJobsMatchTheEagerDecoder) {
  auto const eager = eager_page<FineTuningJob>(kJobsPage);
  auto const lazy = lazy_page<FineTuningJob>(kJobsPage);
  json const data = json::parse(kJobsPage)["data"];
  ASSERT_EQ(lazy.data().size(), 3u);
  ASSERT_EQ(eager.data().size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE("item " + std::to_string(i));
    expect_same_job(lazy.data()[i], eager.data()[i]);
    EXPECT_EQ(lazy.data()[i].to_dict(), data[i]);
    EXPECT_EQ(lazy.data()[i].to_json(-1), eager.data()[i].to_json(-1));
  }
  // The values themselves, so that two equally broken decoders cannot agree.
  FineTuningJob const& first = lazy.data()[0];
  EXPECT_EQ(first.id, "ftjob-1");
  EXPECT_EQ(first.created_at, 1721764800);
  ASSERT_TRUE(first.error.has_value());
  EXPECT_EQ(first.error->param, "training_file");
  ASSERT_TRUE(first.method && first.method->supervised && first.method->supervised->hyperparameters);
  EXPECT_EQ(first.method->supervised->hyperparameters->n_epochs, AutoOrInt{std::string("auto")});
  FineTuningJob const& second = lazy.data()[1];
  ASSERT_TRUE(second.hyperparameters.has_value());
  EXPECT_EQ(second.hyperparameters->batch_size, AutoOrInt{std::int64_t{4}});
  EXPECT_EQ(second.hyperparameters->learning_rate_multiplier, AutoOrNumber{1.8});
  EXPECT_EQ(second.result_files, (std::vector<std::string>{"file-r1", "file-r2"}));
  ASSERT_TRUE(second.method && second.method->dpo && second.method->dpo->hyperparameters);
  EXPECT_EQ(second.method->dpo->hyperparameters->beta, AutoOrNumber{0.1});
  // `extra` is for sending only: what the SDK does not model stays in to_dict().
  EXPECT_EQ(second.to_dict()["method"]["reinforcement"], json::parse(R"({"x":1})"));
  EXPECT_EQ(lazy.data()[2].status, "running");
  EXPECT_EQ(lazy.has_more_field(), std::optional<bool>(true));
  EXPECT_EQ(lazy.request_id(), std::optional<std::string>("req-lazy"));
}

TEST(ListDecodeResponse, ChatCompletionsMatchTheEagerDecoder) {
  auto const eager = eager_page<ChatCompletion>(kCompletionsPage);
  auto const lazy = lazy_page<ChatCompletion>(kCompletionsPage);
  json const data = json::parse(kCompletionsPage)["data"];
  ASSERT_EQ(lazy.data().size(), 2u);
  ASSERT_EQ(eager.data().size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    SCOPED_TRACE("item " + std::to_string(i));
    expect_same_completion(lazy.data()[i], eager.data()[i]);
    EXPECT_EQ(lazy.data()[i].to_dict(), data[i]);
  }
  ChatCompletion const& calls = lazy.data()[1];
  ASSERT_EQ(calls.choices.size(), 2u);
  ASSERT_EQ(calls.choices[0].message.tool_calls.size(), 2u);
  EXPECT_EQ(calls.choices[0].message.tool_calls[0].function.arguments, R"({"city":"Paris"})");
  EXPECT_EQ(calls.choices[1].message.content, std::optional<std::string>("second"));
  EXPECT_EQ(lazy.data()[0].usage->total_tokens, 29);
  EXPECT_EQ(lazy.has_more_field(), std::optional<bool>(false));
}

TEST(ListDecodeResponse, NestedModelsAnswerWithTheirOwnSubtree) {
  auto const lazy = lazy_page<ChatCompletion>(kCompletionsPage);
  auto const eager = eager_page<ChatCompletion>(kCompletionsPage);
  json const data = json::parse(kCompletionsPage)["data"];
  ChatCompletion const& first = lazy.data()[0];
  ASSERT_TRUE(first.usage.has_value());
  EXPECT_EQ(first.usage->to_dict(), data[0]["usage"]);
  EXPECT_EQ(first.usage->field("prompt_tokens_details"), json::parse(R"({"cached_tokens":7})"));
  EXPECT_EQ(first.choices[0].to_dict(), data[0]["choices"][0]);
  EXPECT_EQ(first.choices[0].message.to_dict(), data[0]["choices"][0]["message"]);
  EXPECT_TRUE(first.choices[0].message.is_null("refusal"));
  EXPECT_EQ(first.choices[0].message.field("annotations"), json::array());

  ChatCompletion const& second = lazy.data()[1];
  for (std::size_t c = 0; c < 2; ++c) {
    EXPECT_EQ(second.choices[c].to_dict(), data[1]["choices"][c]) << "choice " << c;
    EXPECT_EQ(second.choices[c].message.to_dict(), data[1]["choices"][c]["message"]) << "choice " << c;
    EXPECT_EQ(second.choices[c].message.to_dict(), eager.data()[1].choices[c].message.to_dict()) << "choice " << c;
  }
  auto const& calls = second.choices[0].message.tool_calls;
  for (std::size_t t = 0; t < calls.size(); ++t) {
    EXPECT_EQ(calls[t].to_dict(), data[1]["choices"][0]["message"]["tool_calls"][t]) << "tool call " << t;
  }
  EXPECT_EQ(calls[1].field("extra"), json::parse("[1,2]"));
  // A model absent from its item stays an empty object, as with the eager decoder.
  EXPECT_FALSE(second.usage.has_value());
}

TEST(ListDecodeResponse, FieldQueriesWorkOnLazyItems) {
  auto const lazy = lazy_page<FineTuningJob>(kJobsPage);
  auto const eager = eager_page<FineTuningJob>(kJobsPage);
  FineTuningJob const& job = lazy.data()[0];
  EXPECT_TRUE(job.has_field("fine_tuned_model"));
  EXPECT_TRUE(job.is_null("fine_tuned_model"));
  EXPECT_FALSE(job.is_null("model"));
  EXPECT_FALSE(job.has_field("suffix"));
  EXPECT_FALSE(job.is_null("suffix"));
  // Fields the SDK does not model are still there.
  EXPECT_EQ(job.field("user_provided_suffix"), "mine");
  EXPECT_EQ(job.field("integrations"), json::parse(R"([{"type":"wandb","wandb":{"project":"p"}}])"));
  EXPECT_TRUE(job.field("no-such-field").is_null());
  for (std::size_t i = 0; i < lazy.data().size(); ++i) {
    EXPECT_EQ(lazy.data()[i].fields_set(), eager.data()[i].fields_set()) << "item " << i;
  }
  EXPECT_EQ(lazy.data()[2].fields_set(),
            (std::vector<std::string>{"created_at", "id", "model", "status", "training_file"}));
}

TEST(ListDecodeResponse, CursorFallsBackToTheLastItemsId) {
  auto const lazy = lazy_page<FineTuningJob>(kJobsPage, unused_fetcher<FineTuningJob>());
  auto const eager = eager_page<FineTuningJob>(kJobsPage, unused_fetcher<FineTuningJob>());
  EXPECT_TRUE(lazy.has_next_page());
  EXPECT_EQ(lazy.next_page_info().get("after"), std::optional<std::string>("ftjob-3"));
  EXPECT_EQ(lazy.next_page_info(), eager.next_page_info());
}

TEST(ListDecodeResponse, CursorIsTheExplicitLastIdOrNext) {
  struct Case {
    std::string extra;
    std::string cursor;
  };
  std::string const item = R"({"id":"ftjob-z","created_at":1,"model":"m","status":"s","training_file":"f"})";
  for (Case const& c : {Case{R"("last_id":"ftjob-explicit")", "ftjob-explicit"},
                        Case{R"("last_id":"")", "ftjob-z"},  // an empty cursor is no cursor
                        Case{R"("next":"n-1","last_id":"l-1")", "n-1"}, Case{R"("last_id":5)", "ftjob-z"}}) {
    std::string const text = R"({"data":[)" + item + R"(],"has_more":true,)" + c.extra + "}";
    auto const lazy = lazy_page<FineTuningJob>(text, unused_fetcher<FineTuningJob>());
    auto const eager = eager_page<FineTuningJob>(text, unused_fetcher<FineTuningJob>());
    EXPECT_EQ(lazy.next_page_info().get("after"), std::optional<std::string>(c.cursor)) << text;
    EXPECT_EQ(lazy.next_page_info(), eager.next_page_info()) << text;
  }
}

TEST(ListDecodeResponse, CursorGoesUnderTheCallersParameterName) {
  auto const lazy = detail::decode_list_response<FineTuningJob>(list_response(kJobsPage),
                                                                unused_fetcher<FineTuningJob>(), "before");
  EXPECT_EQ(lazy.next_page_info().get("before"), std::optional<std::string>("ftjob-3"));
  EXPECT_FALSE(lazy.next_page_info().get("after").has_value());
}

TEST(ListDecodeResponse, HasMoreDecidesTheNextPageAsBefore) {
  std::string const item = R"({"id":"ftjob-z","created_at":1,"model":"m","status":"s","training_file":"f"})";
  struct Case {
    std::string text;
    bool has_next;
  };
  for (Case const& c : {Case{R"({"data":[)" + item + R"(],"has_more":false})", false},
                        Case{R"({"data":[)" + item + R"(]})", true},  // no has_more: the cursor decides
                        Case{R"({"data":[],"has_more":true,"last_id":"c"})", true},
                        Case{R"({"data":[]})", false}, Case{R"({"data":null,"has_more":true})", false},
                        Case{R"({"has_more":true,"last_id":"c"})", true}}) {
    auto const lazy = lazy_page<FineTuningJob>(c.text, unused_fetcher<FineTuningJob>());
    auto const eager = eager_page<FineTuningJob>(c.text, unused_fetcher<FineTuningJob>());
    EXPECT_EQ(lazy.has_next_page(), c.has_next) << c.text;
    EXPECT_EQ(lazy.has_next_page(), eager.has_next_page()) << c.text;
    EXPECT_EQ(lazy.has_more_field(), eager.has_more_field()) << c.text;
    EXPECT_EQ(lazy.next_page_info(), eager.next_page_info()) << c.text;
  }
}

TEST(ListDecodeResponse, GetNextPageHandsTheCursorToTheFetcher) {
  std::vector<PageInfo> asked;
  CursorPage<FineTuningJob>::Fetcher fetcher = [&](PageInfo const& info) {
    asked.push_back(info);
    return CursorPage<FineTuningJob>{};
  };
  auto const lazy = lazy_page<FineTuningJob>(kJobsPage, fetcher);
  (void)lazy.get_next_page();
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_EQ(asked[0].get("after"), std::optional<std::string>("ftjob-3"));
}

TEST(ListDecodeResponse, BadItemNamesItsPathUnderData) {
  json page = json::parse(kJobsPage);
  page["data"][2].erase("status");
  std::string const text = page.dump();
  std::string const message = validation_error_of([&] { (void)lazy_page<FineTuningJob>(text); });
  EXPECT_THAT(message, HasSubstr("/data/2/status"));
  EXPECT_THAT(message, HasSubstr("required field is missing"));
  // The eager decoder names the same place.
  try {
    (void)eager_page<FineTuningJob>(text);
    FAIL() << "the eager decoder accepted the bad item";
  } catch (detail::DecodeError const& e) {
    EXPECT_THAT(message, HasSubstr(e.what()));
  }
}

TEST(ListDecodeResponse, BadNestedFieldNamesItsFullPath) {
  json page = json::parse(kCompletionsPage);
  page["data"][1]["choices"][1]["message"]["content"] = 5;
  std::string const text = page.dump();
  EXPECT_THAT(validation_error_of([&] { (void)lazy_page<ChatCompletion>(text); }),
              HasSubstr("/data/1/choices/1/message/content"));
}

TEST(ListDecodeResponse, ValidationErrorKeepsTheWholeResponse) {
  // The body is moved into the page only on success: an error still shows what was received.
  json page = json::parse(kJobsPage);
  page["data"][0]["created_at"] = "yesterday";
  std::string const text = page.dump();
  try {
    (void)lazy_page<FineTuningJob>(text);
    FAIL() << "no error";
  } catch (APIResponseValidationError const& e) {
    EXPECT_EQ(e.status_code(), 200);
    EXPECT_EQ(e.response().body, text);
    EXPECT_EQ(e.response().request_id(), std::optional<std::string>("req-lazy"));
  }
}

TEST(ListDecodeResponse, BadJsonRaisesValidationError) {
  std::string const item = R"({"id":"ftjob-z","created_at":1,"model":"m","status":"s","training_file":"f"})";
  for (std::string const& text : {std::string(""), std::string("not json"), R"({"data":[)" + item,
                                 R"({"data":[)" + item + R"(,]})", R"({"data":[)" + item + R"(]} trailing)"}) {
    std::string const message = validation_error_of([&] { (void)lazy_page<FineTuningJob>(text); });
    EXPECT_THAT(message, HasSubstr("not valid JSON")) << text;
  }
}

TEST(ListDecodeResponse, TooDeepJsonRaisesValidationError) {
  std::string const deep = std::string(600, '[') + std::string(600, ']');
  std::string const item = R"({"id":"ftjob-z","created_at":1,"model":"m","status":"s","training_file":"f")";
  for (std::string const& text : {R"({"data":[)" + item + R"(,"x":)" + deep + "}]}",  // inside an item
                                 R"({"x":)" + deep + R"(,"data":[)" + item + "}]}",  // outside "data"
                                 R"({"data":[)" + item + "}]," + R"("x":)" + deep + "}"}) {
    std::string const message = validation_error_of([&] { (void)lazy_page<FineTuningJob>(text); });
    EXPECT_THAT(message, HasSubstr("max_json_depth"));
  }
}

TEST(ListDecodeResponse, NotAListIsRefusedLikeTheEagerDecoder) {
  for (std::string const text : {R"([{"id":"a"}])", R"("list")", R"({"data":{}})", R"({"data":"x"})",
                                 R"({"data":[],"has_more":"yes"})"}) {
    std::string const lazy = validation_error_of([&] { (void)lazy_page<FineTuningJob>(text); });
    EXPECT_THAT(lazy, HasSubstr("invalid for expected schema")) << text;
    try {
      (void)eager_page<FineTuningJob>(text);
      ADD_FAILURE() << "the eager decoder accepted " << text;
    } catch (detail::DecodeError const& e) {
      EXPECT_THAT(lazy, HasSubstr(e.what())) << text;
    }
  }
}

TEST(ListDecodeResponse, NullOrMissingDataIsAnEmptyPage) {
  for (std::string const text : {R"({"data":null})", R"({"object":"list"})", R"({"data":[]})"}) {
    auto const lazy = lazy_page<FineTuningJob>(text);
    EXPECT_TRUE(lazy.data().empty()) << text;
    EXPECT_FALSE(lazy.has_next_page()) << text;
  }
}

TEST(ListDecodeResponse, DuplicateDataFallsBackAndTheLastOneWins) {
  std::string const a = R"({"id":"ftjob-a","created_at":1,"model":"m","status":"s","training_file":"f"})";
  std::string const b = R"({"id":"ftjob-b","created_at":2,"model":"m","status":"s","training_file":"f","x":[1]})";
  std::string const c = R"({"id":"ftjob-c","created_at":3,"model":"m","status":"s","training_file":"f"})";
  std::string const text = R"({"data":[)" + a + R"(],"has_more":true,"data":[)" + b + "," + c + "]}";
  auto const lazy = lazy_page<FineTuningJob>(text, unused_fetcher<FineTuningJob>());
  auto const eager = eager_page<FineTuningJob>(text, unused_fetcher<FineTuningJob>());
  json const data = json::parse(text)["data"];
  ASSERT_EQ(lazy.data().size(), 2u);
  ASSERT_EQ(eager.data().size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    expect_same_job(lazy.data()[i], eager.data()[i]);
    EXPECT_EQ(lazy.data()[i].to_dict(), data[i]) << "item " << i;
  }
  EXPECT_EQ(lazy.data()[0].id, "ftjob-b");
  EXPECT_EQ(lazy.next_page_info().get("after"), std::optional<std::string>("ftjob-c"));
  EXPECT_EQ(lazy.request_id(), std::optional<std::string>("req-lazy"));
}

// The first "data" is overridden by the second, so its bad element must not matter: a whole
// document parse never decodes it. (decode_list_response holds an element's error back until the
// whole body has been read.)
TEST(ListDecodeResponse, DuplicateDataIgnoresABadElementOfTheOverriddenData) {
  std::string const good = R"({"id":"ftjob-b","created_at":2,"model":"m","status":"s","training_file":"f"})";
  std::string const text = R"({"data":[{"id":1}],"data":[)" + good + "]}";
  auto const eager = eager_page<FineTuningJob>(text);
  ASSERT_EQ(eager.data().size(), 1u);
  CursorPage<FineTuningJob> lazy;
  ASSERT_NO_THROW(lazy = lazy_page<FineTuningJob>(text));
  ASSERT_EQ(lazy.data().size(), 1u);
  EXPECT_EQ(lazy.data()[0].id, "ftjob-b");
}

TEST(ListDecodeResponse, CopiedItemsOutliveTheirPage) {
  json const data = json::parse(kCompletionsPage)["data"];
  std::optional<ChatCompletion> completion;
  std::optional<ChatCompletionMessage> message;
  {
    auto page = lazy_page<ChatCompletion>(kCompletionsPage);
    completion = page.data()[1];  // copied before anyone asked for JSON: the text is parsed later
    message = page.data()[1].choices[1].message;
    page = CursorPage<ChatCompletion>{};
  }
  EXPECT_EQ(completion->to_dict(), data[1]);
  EXPECT_EQ(completion->choices[0].message.tool_calls[1].to_dict(),
            data[1]["choices"][0]["message"]["tool_calls"][1]);
  EXPECT_EQ(message->to_dict(), data[1]["choices"][1]["message"]);

  std::optional<FineTuningJob> job;
  {
    auto page = lazy_page<FineTuningJob>(kJobsPage);
    (void)page.data()[0].to_dict();  // parsed while the page is alive, then the page goes
    job = page.data()[1];
  }
  EXPECT_EQ(job->to_dict(), json::parse(kJobsPage)["data"][1]);
  EXPECT_EQ(job->id, "ftjob-2");
}

TEST(ListDecodeResponse, ItemsOfAPageShareOneParsedDocument) {
  auto const page = lazy_page<FineTuningJob>(kJobsPage);
  json const* const first = &page.data()[0].to_dict();
  EXPECT_EQ(&page.data()[0].to_dict(), first) << "to_dict() found its node again";
  FineTuningJob const copy = page.data()[0];
  EXPECT_EQ(&copy.to_dict(), first) << "a copy parsed the page again";
  // Both items point into the same "data" array: consecutive elements of one vector.
  EXPECT_EQ(&page.data()[1].to_dict(), first + 1);
}

// A model outside the table-driven codec (only from_json): decoded from the whole document.
struct PlainItem : Model {
  std::string id;
};
void from_json(json const& j, PlainItem& out) { detail::read_required(j, "id", out.id); }

TEST(ListDecodeResponse, ModelsWithoutACodecAreDecodedFromTheWholeDocument) {
  std::string const text = R"({"data":[{"id":"p1","x":1},{"id":"p2"}],"has_more":false})";
  auto const page = detail::decode_list_response<PlainItem>(list_response(text), nullptr);
  ASSERT_EQ(page.data().size(), 2u);
  EXPECT_EQ(page.data()[1].id, "p2");
  EXPECT_EQ(page.data()[0].to_dict(), json::parse(R"({"id":"p1","x":1})"));
  EXPECT_THAT(validation_error_of([] {
                (void)detail::decode_list_response<PlainItem>(list_response(R"({"data":[{"x":1}]})"), nullptr);
              }),
              HasSubstr("/data/0/id"));
}

}  // namespace
}  // namespace smarter

// The Responses API over real HTTP, under both documented spellings.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <smarter/errors.hpp>
#include <smarter/resources/chat.hpp>
#include <smarter/resources/responses.hpp>

#include "openai_fixture.hpp"

namespace smarter {
namespace {

class ResponsesIT : public test_support::OpenAIFixture {};

TEST_F(ResponsesIT, SeedSnippetStringInput) {
  ResponseCreateParams params;
  params.model = "gpt-4o-mini";
  params.input = "Say 'this is a test'.";
  Response response = client().responses().create(params);
  EXPECT_EQ(response.output_text(), "Echo: Say 'this is a test'.");
  ASSERT_TRUE(response.request_id().has_value());
  EXPECT_EQ(response.status, "completed");
  ASSERT_TRUE(response.usage.has_value());
  EXPECT_GT(response.usage->output_tokens, 0);

  auto request = server_->requests().back();
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.path, "/v1/responses");
  EXPECT_EQ(request.json(), nlohmann::json::parse(R"({"model":"gpt-4o-mini","input":"Say 'this is a test'."})"));
}

TEST_F(ResponsesIT, RequestIdComesFromTheHeader) {
  ResponseCreateParams params;
  params.model = "m";
  params.input = "x";
  Response response = client().responses().create(params);
  ASSERT_TRUE(response.request_id().has_value());
  EXPECT_EQ(response.request_id()->rfind("req_", 0), 0u) << *response.request_id();
}

TEST_F(ResponsesIT, ListOfMessagesInput) {
  ResponseCreateParams params;
  params.model = "gpt-4o-mini";
  ResponseInputItem system;
  system.role = "developer";
  system.content = std::string("Be brief.");
  ResponseInputItem user;
  user.role = "user";
  user.content = std::vector<ResponseInputContent>{ResponseInputContent{"input_text", std::string("Hi there"), {}, {}, {}, nlohmann::json::object()}};
  params.input = std::vector<ResponseInputItem>{system, user};
  Response response = client().responses().create(params);
  EXPECT_EQ(response.output_text(), "Echo: Hi there");
  auto body = server_->requests().back().json();
  EXPECT_EQ(body["input"], nlohmann::json::parse(R"([
    {"role": "developer", "content": "Be brief."},
    {"role": "user", "content": [{"type": "input_text", "text": "Hi there"}]}])"));
}

TEST_F(ResponsesIT, ChatSpellingServesTheSameEndpointWithResponseFormat) {
  ChatResponseCreateParams params;
  params.input = "How much?";
  params.model = "gpt-4o";
  params.response_format = ResponseFormat::json_object();
  Response response = client().chat().responses().create(params);
  EXPECT_EQ(nlohmann::json::parse(response.output_text())["echo"], "How much?");
  auto request = server_->requests().back();
  EXPECT_EQ(request.path, "/v1/responses");
  EXPECT_EQ(request.json(),
            nlohmann::json::parse(R"({"model":"gpt-4o","input":"How much?","text":{"format":{"type":"json_object"}}})"));
}

TEST_F(ResponsesIT, JsonSchemaFormatIsFlattenedIntoText) {
  ResponseCreateParams params;
  params.model = "gpt-4o";
  params.input = "x";
  params.text = ResponseTextConfig{ResponseFormat::from_schema({"answer", std::nullopt, nlohmann::json{{"type", "object"}}, true}),
                                   std::nullopt};
  (void)client().responses().create(params);
  EXPECT_EQ(server_->requests().back().json()["text"],
            nlohmann::json::parse(R"({"format":{"type":"json_schema","name":"answer","schema":{"type":"object"},"strict":true}})"));
}

TEST_F(ResponsesIT, RetrieveReturnsTheStoredResponse) {
  ResponseCreateParams params;
  params.model = "m";
  params.input = "keep me";
  Response created = client().responses().create(params);
  Response fetched = client().responses().retrieve(created.id);
  EXPECT_EQ(fetched.id, created.id);
  EXPECT_EQ(fetched.output_text(), "Echo: keep me");
  EXPECT_TRUE(server_->requests().back().body.empty());
  EXPECT_THROW(client().responses().retrieve(""), SmarterError);
  EXPECT_THROW(client().responses().retrieve("resp_missing"), NotFoundError);
}

TEST_F(ResponsesIT, StreamYieldsTypedEventsUntilTheBodyEnds) {
  ResponseCreateParams params;
  params.model = "m";
  params.input = "one two";
  std::vector<std::string> types;
  std::string text;
  std::optional<Response> completed;
  for (auto const& event : client().responses().create_stream(params)) {
    types.push_back(event.type);
    if (event.type == "response.output_text.delta") text += event.delta.value_or("");
    if (event.type == "response.completed") completed = event.response;
  }
  EXPECT_EQ(types.front(), "response.created");
  EXPECT_EQ(types.back(), "response.completed");
  EXPECT_EQ(text, "Echo: one two");
  ASSERT_TRUE(completed.has_value());
  EXPECT_EQ(completed->output_text(), "Echo: one two");
  EXPECT_EQ(server_->requests().back().json()["stream"], true);
}

TEST_F(ResponsesIT, MissingInputIsABadRequestNamingTheParam) {
  ResponseCreateParams params;
  params.model = "m";
  try {
    (void)client().responses().create(params);
    FAIL() << "expected BadRequestError";
  } catch (BadRequestError const& e) {
    EXPECT_EQ(e.body()["error"]["param"], "input");
    EXPECT_EQ(e.code(), "missing_required_parameter");
  }
}

TEST_F(ResponsesIT, ExtraBodyAndPerCallExtraBodyAreMerged) {
  ResponseCreateParams params;
  params.model = "m";
  params.input = "x";
  params.temperature = 0.2;
  params.extra = {{"custom", 1}};
  RequestOptions options;
  options.extra_body = {{"temperature", nullptr}};
  (void)client().responses().create(params, options);
  auto body = server_->requests().back().json();
  EXPECT_EQ(body["custom"], 1);
  EXPECT_TRUE(body.contains("temperature"));
  EXPECT_TRUE(body["temperature"].is_null());
}

}  // namespace
}  // namespace smarter

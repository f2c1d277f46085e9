// Stored responses over real HTTP: retrieve with query parameters and as a stream, background
// responses and cancel, delete, input items, input token counts and compaction.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <smarter/errors.hpp>
#include <smarter/resources/responses.hpp>

#include "openai_fixture.hpp"

namespace smarter {
namespace {

class ResponsesStoredIT : public test_support::OpenAIFixture {
 protected:
  Response create(ResponseInput input, bool background = false) {
    ResponseCreateParams params;
    params.model = "gpt-4o-mini";
    params.input = std::move(input);
    if (background) params.background = true;
    return client().responses().create(params);
  }

  static std::vector<ResponseInputItem> conversation() {
    ResponseInputItem system;
    system.role = "developer";
    system.content = std::string("Be brief.");
    ResponseInputItem question;
    question.role = "user";
    question.content = std::string("What is two plus two?");
    return {system, question};
  }
};

TEST_F(ResponsesStoredIT, RetrieveSendsItsQueryParameters) {
  Response const created = create(std::string("Hi"));
  ResponseRetrieveParams params;
  params.include = std::vector<std::string>{"reasoning.encrypted_content", "message.output_text.logprobs"};
  Response const fetched = client().responses().retrieve(created.id, params);
  EXPECT_EQ(fetched.output_text(), "Echo: Hi");
  auto const request = server_->requests().back();
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.query, "include=reasoning.encrypted_content&include=message.output_text.logprobs");
  EXPECT_TRUE(request.body.empty());
}

TEST_F(ResponsesStoredIT, AStoredResponseStreamsBackAsEvents) {
  Response const created = create(std::string("once more"));
  std::string text;
  std::string last_type;
  ResponseRetrieveParams params;
  params.starting_after = 0;
  for (ResponseStreamEvent const& event : client().responses().retrieve_stream(created.id, params)) {
    if (event.type == "response.output_text.delta") text += event.delta.value_or("");
    last_type = event.type;
  }
  EXPECT_EQ(text, "Echo: once more");
  EXPECT_EQ(last_type, "response.completed");
  auto const request = server_->requests().back();
  EXPECT_EQ(request.param("stream"), "true");
  EXPECT_EQ(request.param("starting_after"), "0");
  EXPECT_EQ(request.header("Accept"), "text/event-stream, application/json");
}

TEST_F(ResponsesStoredIT, ABackgroundResponseIsQueuedThenFinishedOrCancelled) {
  Response const queued = create(std::string("later"), true);
  EXPECT_EQ(queued.status, "queued");
  EXPECT_EQ(client().responses().retrieve(queued.id).status, "completed");
  EXPECT_THROW(client().responses().cancel(queued.id), BadRequestError) << "a finished response cannot be cancelled";

  Response const other = create(std::string("never mind"), true);
  Response const cancelled = client().responses().cancel(other.id);
  EXPECT_EQ(cancelled.status, "cancelled");
  auto const request = server_->requests().back();
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.path, "/v1/responses/" + other.id + "/cancel");
  EXPECT_TRUE(request.body.empty()) << "a cancel sends no body";
  EXPECT_EQ(client().responses().retrieve(other.id).status, "cancelled");
}

TEST_F(ResponsesStoredIT, DeleteRemovesTheResponseAndItsItems) {
  Response const created = create(std::string("forget me"));
  client().responses().remove(created.id);
  EXPECT_EQ(server_->requests().back().method, "DELETE");
  EXPECT_THROW(client().responses().retrieve(created.id), NotFoundError);
  EXPECT_THROW(client().responses().input_items().list(created.id), NotFoundError);
  EXPECT_THROW(client().responses().remove(created.id), NotFoundError);
}

TEST_F(ResponsesStoredIT, InputItemsComeNewestFirstInPages) {
  Response const created = create(conversation());
  ResponseInputItemListParams params;
  params.limit = 1;
  std::vector<ResponseItem> items;
  for (ResponseItem const& item : client().responses().input_items().list(created.id, params)) items.push_back(item);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].role, "user");
  ASSERT_EQ(items[0].content.size(), 1u);
  EXPECT_EQ(items[0].content[0].type, "input_text");
  EXPECT_EQ(items[0].content[0].text, "What is two plus two?");
  EXPECT_EQ(items[1].role, "developer");
  EXPECT_TRUE(items[1].id.has_value());

  params.order = "asc";
  params.limit = 10;
  EXPECT_EQ(client().responses().input_items().list(created.id, params).data().at(0).role, "developer");
  EXPECT_EQ(server_->requests().back().param("order"), "asc");
}

TEST_F(ResponsesStoredIT, InputTokensAreCountedWithoutCreatingAResponse) {
  ResponseInputTokensParams params;
  params.model = "gpt-4o-mini";
  params.instructions = "Be brief.";
  params.input = conversation();
  ResponseInputTokens const counted = client().responses().input_tokens().count(params);
  EXPECT_EQ(counted.object, "response.input_tokens");
  EXPECT_GT(counted.input_tokens, 5);
  auto const request = server_->requests().back();
  EXPECT_EQ(request.path, "/v1/responses/input_tokens");
  EXPECT_EQ(request.json()["instructions"], "Be brief.");
  EXPECT_EQ(request.json()["input"].size(), 2u);
}

TEST_F(ResponsesStoredIT, ACountIsRetriedLikeAnyIdempotentCall) {
  openai_->fail_next(1, 503, "server_error", "busy");
  ResponseInputTokensParams params;
  params.input = std::string("one two three");
  EXPECT_EQ(client().responses().input_tokens().count(params).input_tokens, 3);
}

TEST_F(ResponsesStoredIT, CompactionKeepsTheItemsAndAddsASummary) {
  Response const earlier = create(conversation());
  ResponseCompactParams params;
  params.model = "gpt-4o-mini";
  params.previous_response_id = earlier.id;
  params.input = std::string("And times three?");
  ResponseCompaction const compacted = client().responses().compact(params);
  EXPECT_EQ(compacted.object, "response.compaction");
  ASSERT_EQ(compacted.output.size(), 4u);
  EXPECT_EQ(compacted.output[0].role, "developer");
  EXPECT_EQ(compacted.output[2].content.at(0).text, "And times three?");
  EXPECT_EQ(compacted.output[3].type, "compaction");
  EXPECT_TRUE(compacted.output[3].field("encrypted_content").is_string());
  ASSERT_TRUE(compacted.usage.has_value());
  EXPECT_EQ(server_->requests().back().json()["previous_response_id"], earlier.id);

  params.model.clear();
  params.previous_response_id = "resp_missing";
  EXPECT_THROW(client().responses().compact(params), BadRequestError) << "the model is required";
}

}  // namespace
}  // namespace smarter

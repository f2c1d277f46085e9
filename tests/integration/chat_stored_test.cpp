// Stored chat completions over real HTTP: list (filters, order, pages), retrieve, update,
// delete, and the messages of a stored completion, against the stateful fake.
#include <map>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <smarter/errors.hpp>
#include <smarter/resources/chat.hpp>

#include "openai_fixture.hpp"

namespace smarter {
namespace {

using ::testing::ElementsAre;

class ChatStoredIT : public test_support::OpenAIFixture {
 protected:
  /// Creates a completion; stored when `store` is set, with `metadata` when given.
  ChatCompletion create(std::string text, bool store = true, std::map<std::string, std::string> metadata = {},
                        std::string model = "gpt-4o-mini") {
    ChatCompletionCreateParams params;
    params.model = std::move(model);
    params.messages = {ChatMessage::system("Be brief."), ChatMessage::user(std::move(text))};
    params.store = store;
    if (!metadata.empty()) params.metadata = std::move(metadata);
    return client().chat().completions().create(params);
  }

  /// The ids of every completion a list walks through, following its pages.
  std::vector<std::string> ids_of(ChatCompletionListParams const& params) {
    std::vector<std::string> ids;
    for (ChatCompletion const& completion : client().chat().completions().list(params)) ids.push_back(completion.id);
    return ids;
  }
};

TEST_F(ChatStoredIT, OnlyStoredCompletionsAreListedOldestFirstAcrossPages) {
  std::string const a = create("one").id;
  create("not kept", false);
  std::string const b = create("two").id;
  std::string const c = create("three").id;
  ChatCompletionListParams params;
  params.limit = 2;
  EXPECT_THAT(ids_of(params), ElementsAre(a, b, c));
  auto const first = client().chat().completions().list(params);
  EXPECT_TRUE(first.has_next_page());
  EXPECT_EQ(server_->requests().back().param("limit"), "2");
  params.order = "desc";
  EXPECT_THAT(ids_of(params), ElementsAre(c, b, a));
  EXPECT_EQ(server_->requests().back().param("order"), "desc");
}

TEST_F(ChatStoredIT, ListFiltersByModelAndMetadata) {
  std::string const tagged = create("one", true, {{"team", "blue"}, {"env", "test"}}).id;
  create("two", true, {{"team", "red"}});
  std::string const other_model = create("three", true, {{"team", "blue"}}, "gpt-4o").id;
  ChatCompletionListParams params;
  params.metadata = std::map<std::string, std::string>{{"team", "blue"}};
  EXPECT_THAT(ids_of(params), ElementsAre(tagged, other_model));
  EXPECT_EQ(server_->requests().back().param("metadata[team]"), "blue");
  params.model = "gpt-4o";
  EXPECT_THAT(ids_of(params), ElementsAre(other_model));
}

TEST_F(ChatStoredIT, RetrieveUpdateAndDelete) {
  auto completions = client().chat().completions();
  ChatCompletion const created = create("keep me", true, {{"stage", "draft"}});
  ChatCompletion const retrieved = completions.retrieve(created.id);
  EXPECT_EQ(retrieved.id, created.id);
  EXPECT_EQ(retrieved.choices.at(0).message.content, "Echo: keep me");
  EXPECT_EQ(retrieved.metadata, (std::map<std::string, std::string>{{"stage", "draft"}}));

  ChatCompletionUpdateParams update;
  update.metadata = {{"stage", "final"}};
  ChatCompletion const updated = completions.update(created.id, update);
  EXPECT_EQ(updated.metadata, (std::map<std::string, std::string>{{"stage", "final"}}));
  auto const request = server_->requests().back();
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.path, "/v1/chat/completions/" + created.id);
  EXPECT_EQ(request.json(), (nlohmann::json{{"metadata", {{"stage", "final"}}}}));
  EXPECT_EQ(completions.retrieve(created.id).metadata, updated.metadata);

  ChatCompletionDeleted const deleted = completions.remove(created.id);
  EXPECT_TRUE(deleted.deleted);
  EXPECT_EQ(deleted.id, created.id);
  EXPECT_EQ(deleted.object, "chat.completion.deleted");
  EXPECT_THROW(completions.retrieve(created.id), NotFoundError);
  EXPECT_THROW(completions.remove(created.id), NotFoundError);
}

TEST_F(ChatStoredIT, AnUpdateIsRetriedLikeAnyIdempotentCall) {
  std::string const id = create("x").id;
  openai_->fail_next(1, 500, "server_error", "try again");
  ChatCompletionUpdateParams update;
  update.metadata = {{"k", "v"}};
  EXPECT_EQ(client().chat().completions().update(id, update).metadata->at("k"), "v");
}

TEST_F(ChatStoredIT, MessagesOfAStoredCompletionComeInPagesWithTheirParts) {
  ChatCompletionCreateParams params;
  params.model = "gpt-4o-mini";
  params.store = true;
  params.messages = {ChatMessage::system("Be brief."),
                     ChatMessage::user({ChatContentPart::text_part("Look "), ChatContentPart::text_part("here")}),
                     ChatMessage::assistant("Where?"), ChatMessage::user("There.")};
  std::string const id = client().chat().completions().create(params).id;

  ChatCompletionMessageListParams page;
  page.limit = 3;
  std::vector<ChatCompletionStoreMessage> messages;
  for (auto const& message : client().chat().completions().messages().list(id, page)) messages.push_back(message);
  ASSERT_EQ(messages.size(), 4u);
  EXPECT_EQ(messages[0].role, "system");
  EXPECT_EQ(messages[1].content, "Look here");
  ASSERT_TRUE(messages[1].content_parts.has_value());
  EXPECT_EQ(messages[1].content_parts->size(), 2u);
  EXPECT_FALSE(messages[0].content_parts.has_value()) << "a plain-text message has no parts";
  EXPECT_EQ(messages[3].content, "There.");
  EXPECT_FALSE(messages[3].id.empty());
  EXPECT_EQ(&messages[1].to_dict(), &messages[0].to_dict() + 1) << "the page's items share its document";

  page.order = "desc";
  page.limit = 1;
  EXPECT_EQ(client().chat().completions().messages().list(id, page).data().at(0).content, "There.");
  EXPECT_THROW(client().chat().completions().messages().list("chatcmpl-missing"), NotFoundError);
}

TEST_F(ChatStoredIT, IdsAreEncodedIntoOnePathSegment) {
  EXPECT_THROW(client().chat().completions().retrieve("../files"), NotFoundError);
  EXPECT_EQ(server_->requests().back().target, "/v1/chat/completions/..%2Ffiles");
}

}  // namespace
}  // namespace smarter

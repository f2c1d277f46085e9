// Every fake API on one server under one base URL, as tools/smarter-mock serves them: one client
// reaches the platform, chat completions and files through the same "/api/v1/" prefix.
#include <smarter/smarter.hpp>

#include <gtest/gtest.h>

#include <smarter/testkit/fake_files.hpp>
#include <smarter/testkit/fake_openai.hpp>
#include <smarter/testkit/fake_platform.hpp>
#include <smarter/testkit/fake_server.hpp>

namespace smarter {
namespace {

TEST(OneServer, PlatformChatAndFilesShareTheBaseUrl) {
  testkit::FakeServer server;
  auto platform = testkit::install_platform(server);
  auto openai = testkit::install_openai(server);
  auto files = testkit::install_files(server);

  ClientOptions options;
  options.api_key = platform->options().api_key;
  options.base_url = testkit::platform_base_url(server);
  Smarter client(options);

  auto chat = client.resources().chatbots().get("my-chatbot").prompt("Hello, World!");
  EXPECT_EQ(chat.answer, "Hello! How can I help you today?");

  ChatCompletionCreateParams params;
  params.model = "gpt-4o-mini";
  params.messages = {ChatMessage::user("Say hi")};
  ChatCompletion completion = client.chat().completions().create(params);
  ASSERT_FALSE(completion.choices.empty());
  EXPECT_TRUE(completion.choices[0].message.content.has_value());

  FileCreateParams upload{FileInput::from_contents("a.jsonl", "{}\n"), "fine-tune"};
  FileObject uploaded = client.files().create(upload);
  EXPECT_EQ(client.files().retrieve(uploaded.id).bytes, 3);

  for (auto const& request : server.requests()) {
    EXPECT_EQ(request.path.rfind("/api/v1/", 0), 0u) << request.path;
  }
}

}  // namespace
}  // namespace smarter

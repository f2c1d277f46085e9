// README section "Testing your code with the test kit": a GoogleTest file of your own that tests
// code using the SDK against the test kit's fake servers, on loopback, with a real client.
// Link it with smarter::smarter, smarter::testkit and GTest::gtest_main.
//
// It is written in C++17 (no designated initializers), so it builds with either standard.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <smarter/smarter.hpp>
#include <smarter/testkit/fake_faults.hpp>
#include <smarter/testkit/fake_files.hpp>
#include <smarter/testkit/fake_openai.hpp>
#include <smarter/testkit/fake_platform.hpp>
#include <smarter/testkit/fake_server.hpp>

// ---- snippet: the code under test
namespace my_app {

// Asks the support chatbot, and says sorry when the platform cannot answer.
std::string ask_support(smarter::Smarter const& client, std::string const& question) {
  try {
    return client.resources().chatbots().get("my-chatbot").prompt(question).answer;
  } catch (smarter::APIError const&) {
    return "Sorry, support is not available right now.";
  }
}

// Streams a model's answer and returns it whole.
std::string stream_answer(smarter::Smarter const& client, std::string const& question) {
  smarter::ChatCompletionCreateParams params;
  params.model = "gpt-4o-mini";
  params.messages = {smarter::ChatMessage::user(question)};
  std::string answer;
  for (auto const& chunk : client.chat().completions().create_stream(params)) {
    if (!chunk.choices.empty()) answer += chunk.choices[0].delta.content.value_or("");
  }
  return answer;
}

}  // namespace my_app
// ---- end snippet

// ---- snippet: the fixture
// One fake server per test: the platform, the OpenAI-shaped APIs, files and injected faults,
// all under the one base URL platform_base_url(server).
class MyAppTest : public ::testing::Test {
 protected:
  smarter::testkit::FakeServer server;  // 127.0.0.1, a free port, stopped with the test
  std::shared_ptr<smarter::testkit::FakePlatform> platform = smarter::testkit::install_platform(server);
  std::shared_ptr<smarter::testkit::FakeOpenAI> openai = smarter::testkit::install_openai(server);
  std::shared_ptr<smarter::testkit::FakeFiles> files = smarter::testkit::install_files(server);
  std::shared_ptr<smarter::testkit::FakeFaults> faults = smarter::testkit::install_faults(server);

  smarter::Smarter client() const {
    smarter::ClientOptions options;
    options.api_key = platform->options().api_key;
    options.base_url = smarter::testkit::platform_base_url(server);
    options.platform = smarter::PlatformGeneration::v0_13;  // the fake's default generation
    options.retry.initial_delay = 0.01;                     // retry quickly in tests
    return smarter::Smarter(options);
  }
};
// ---- end snippet

// ---- snippet: platform tests
TEST_F(MyAppTest, AnswersFromTheDemoChatbot) {
  EXPECT_EQ(my_app::ask_support(client(), "Hello, World!"), "Hello! How can I help you today?");

  // The request log shows what went over the wire.
  std::vector<smarter::testkit::RecordedRequest> requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);  // describe, then the prompt
  EXPECT_EQ(requests[1].path, "/api/v1/cli/chat/my-chatbot/");
  EXPECT_EQ(requests[1].json()["prompt"], "Hello, World!");
}

TEST_F(MyAppTest, RidesOutTwoOverloadedAnswers) {
  faults->fail_next(503, 2);  // the platform's own 503 body, twice; the client retries
  EXPECT_EQ(my_app::ask_support(client(), "Hello, World!"), "Hello! How can I help you today?");
  EXPECT_EQ(faults->injected(), 2u);
}

TEST_F(MyAppTest, ApologisesWhenThePlatformFails) {
  platform->fail_next("chat", 500, R"({"error": "boom"})");  // exactly this answer to the next prompt
  EXPECT_EQ(my_app::ask_support(client(), "Hello, World!"), "Sorry, support is not available right now.");
}
// ---- end snippet

// ---- snippet: OpenAI-shaped tests
TEST_F(MyAppTest, JoinsAScriptedStream) {
  smarter::testkit::ChatStreamScript script;
  script.pieces = {"Hel", "lo", "!"};
  script.pause_between = std::chrono::milliseconds(10);
  openai->script_next_stream(script);
  EXPECT_EQ(my_app::stream_answer(client(), "Hi"), "Hello!");
  EXPECT_EQ(openai->received_bodies().at(0)["stream"], true);
}

TEST_F(MyAppTest, SeesTheErrorOpenAISends) {
  openai->fail_next(1, 429, "requests", "Rate limit reached", "rate_limit_exceeded");
  smarter::ClientOptions no_retries;
  no_retries.max_retries = 0;
  EXPECT_THROW(my_app::stream_answer(client().with_options(no_retries), "Hi"), smarter::RateLimitError);
}

TEST_F(MyAppTest, ListsSeededFilesAndJobs) {
  files->add("train.jsonl", "fine-tune", "{\"messages\": []}\n");
  openai->seed_jobs(3);
  int jobs = 0;
  for (auto const& job : client().fine_tuning().jobs().list()) jobs += job.status == "succeeded" ? 1 : 0;
  EXPECT_EQ(jobs, 3);
  EXPECT_EQ(client().files().list().data().at(0).filename, "train.jsonl");
}
// ---- end snippet

// ---- snippet: scripted responses
TEST_F(MyAppTest, HandlesAServerThatHangsUp) {
  // Queued responses answer the next requests whatever their path, before any route.
  server.enqueue(smarter::testkit::FakeResponse::json(200, {{"status", "ok"}}));
  server.enqueue(smarter::testkit::FakeResponse::raw_bytes("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\ncut"));
  smarter::ClientOptions no_retries;
  no_retries.max_retries = 0;
  smarter::Smarter once = client().with_options(no_retries);
  EXPECT_EQ(once.request("GET", "health").json()["status"], "ok");
  EXPECT_THROW(once.request("GET", "health"), smarter::APIConnectionError);
}
// ---- end snippet

// Injected failures (FakeFaults, FakeServer::intercept, FakeServer::set_latency) seen by a real
// client over HTTP: the platform's journaled error for cli/ paths, OpenAI's error elsewhere,
// retries through them, dropped connections, the order faults apply in, and latency.
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <smarter/client.hpp>
#include <smarter/errors.hpp>
#include <smarter/resources/chat.hpp>
#include <smarter/resources/chatbots.hpp>
#include <smarter/resources/files.hpp>
#include <smarter/resources/resources.hpp>
#include <smarter/testkit/fake_faults.hpp>
#include <smarter/testkit/fake_files.hpp>
#include <smarter/testkit/fake_openai.hpp>
#include <smarter/testkit/fake_platform.hpp>
#include <smarter/testkit/fake_server.hpp>
#include <smarter/types/chat.hpp>
#include <smarter/types/files.hpp>
#include <smarter/types/platform.hpp>

namespace {

using nlohmann::json;
using smarter::testkit::FakeGeneration;

class FakeFaultsTest : public testing::TestWithParam<FakeGeneration> {
 protected:
  void SetUp() override {
    smarter::testkit::PlatformOptions options;
    options.generation = GetParam();
    platform_ = smarter::testkit::install_platform(server_, options);
    openai_ = smarter::testkit::install_openai(server_);
    files_ = smarter::testkit::install_files(server_);
    faults_ = smarter::testkit::install_faults(server_, GetParam());
  }

  bool v14() const { return GetParam() == FakeGeneration::v0_14; }

  smarter::Smarter client(int max_retries = 2) const {
    smarter::ClientOptions options;
    options.api_key = platform_->options().api_key;
    options.base_url = smarter::testkit::platform_base_url(server_);
    options.platform = v14() ? smarter::PlatformGeneration::v0_14 : smarter::PlatformGeneration::v0_13;
    options.max_retries = max_retries;
    options.retry.initial_delay = 0.01;
    options.retry.max_delay = 0.02;
    return smarter::Smarter(options);
  }

  smarter::ChatCompletionCreateParams say_hi() const {
    smarter::ChatCompletionCreateParams params;
    params.model = "gpt-4o-mini";
    params.messages = {smarter::ChatMessage::user("Say hi")};
    return params;
  }

  smarter::testkit::FakeServer server_;
  std::shared_ptr<smarter::testkit::FakePlatform> platform_;
  std::shared_ptr<smarter::testkit::FakeOpenAI> openai_;
  std::shared_ptr<smarter::testkit::FakeFiles> files_;
  std::shared_ptr<smarter::testkit::FakeFaults> faults_;
};

TEST_P(FakeFaultsTest, TwoPlatform503sAreRetriedThenTheAnswerArrives) {
  faults_->fail_next(503, 2);
  EXPECT_EQ(faults_->pending(), 2u);
  smarter::RawResponse response = client().request("POST", "cli/whoami/");
  EXPECT_EQ(response.status_code, 200);
  EXPECT_EQ(response.retries_taken, 2);
  EXPECT_EQ(response.json()["data"]["user"]["username"], smarter::testkit::kFakeUsername);
  EXPECT_EQ(server_.request_count(), 3u);
  EXPECT_EQ(faults_->pending(), 0u);
  EXPECT_EQ(faults_->injected(), 2u);
}

TEST_P(FakeFaultsTest, PlatformFailureCarriesTheJournaledErrorOfTheGeneration) {
  faults_->fail_next(503);
  try {
    client(0).whoami();
    FAIL() << "the injected 503 was not raised";
  } catch (smarter::InternalServerError const& e) {
    EXPECT_EQ(e.status_code(), 503);
    EXPECT_EQ(e.code(), "SAMBrokerErrorNotReady");
    json const& body = e.body();
    EXPECT_EQ(body["api"], "smarter.sh/v1");
    EXPECT_EQ(body["error"]["status"], "503");  // a string, as the platform sends it
    EXPECT_EQ(body["metadata"]["command"], "whoami");
    EXPECT_NE(body["error"]["args"].get<std::string>().find("/api/v1/cli/whoami/"), std::string::npos);
    if (v14()) {
      EXPECT_FALSE(body.contains("thing"));
      EXPECT_EQ(body["metadata"]["thing"], "None");
      EXPECT_EQ(body["error"]["command"], "whoami");
    } else {
      EXPECT_EQ(body["thing"], "None");
      EXPECT_FALSE(body["error"].contains("command"));
    }
  }
}

TEST_P(FakeFaultsTest, PlatformFailureNamesTheCommandAndKindOfThePath) {
  faults_->fail_next(404);
  faults_->fail_next(400);
  auto chatbots = client(0).resources().chatbots();
  try {
    chatbots.list();
    FAIL() << "the injected 404 was not raised";
  } catch (smarter::NotFoundError const& e) {
    EXPECT_EQ(e.code(), "SAMBrokerErrorNotFound");
    EXPECT_EQ(e.body()["metadata"]["command"], "get");
    EXPECT_EQ(v14() ? e.body()["metadata"]["thing"] : e.body()["thing"], v14() ? "LLMClient" : "Chatbot");
  }
  try {
    chatbots.get(smarter::testkit::kDemoChatbotName).prompt("Hello, World!");  // describe gets the 400
    FAIL() << "the injected 400 was not raised";
  } catch (smarter::BadRequestError const& e) {
    EXPECT_EQ(e.body()["metadata"]["command"], "describe");
  }
  // The faults are used up: the platform answers again.
  EXPECT_EQ(chatbots.get(smarter::testkit::kDemoChatbotName).prompt("Hello, World!").answer,
            smarter::testkit::kDemoHelloAnswer);
}

TEST_P(FakeFaultsTest, OpenAIFailureIsOpenAIShaped) {
  faults_->fail_next(429);
  faults_->fail_next(500);
  try {
    client(0).chat().completions().create(say_hi());
    FAIL() << "the injected 429 was not raised";
  } catch (smarter::RateLimitError const& e) {
    EXPECT_EQ(e.code(), "rate_limit_exceeded");
    EXPECT_EQ(e.body()["error"]["type"], "requests");
    EXPECT_TRUE(e.body()["error"]["param"].is_null());
    EXPECT_EQ(e.request_id().value_or("").rfind("req_fault_", 0), 0u);
  }
  try {
    client(0).chat().completions().create(say_hi());
    FAIL() << "the injected 500 was not raised";
  } catch (smarter::InternalServerError const& e) {
    EXPECT_EQ(e.body()["error"]["type"], "server_error");
    EXPECT_TRUE(e.body()["error"]["code"].is_null());
  }
  EXPECT_TRUE(openai_->received_bodies().empty()) << "a failed request must not reach the endpoint";
}

TEST_P(FakeFaultsTest, OpenAIFailuresAreRetriedThenTheAnswerArrives) {
  faults_->fail_next(503, 2);
  smarter::ChatCompletion completion = client().chat().completions().create(say_hi());
  EXPECT_EQ(completion.choices.at(0).message.content.value_or(""), "Echo: Say hi");
  EXPECT_EQ(server_.request_count(), 3u);
  EXPECT_EQ(openai_->received_bodies().size(), 1u);
}

TEST_P(FakeFaultsTest, DroppedConnectionIsRetriedForIdempotentCalls) {
  faults_->drop_next();
  smarter::RawResponse response = client().request("POST", "cli/whoami/");
  EXPECT_EQ(response.status_code, 200);
  EXPECT_EQ(response.retries_taken, 1);
}

TEST_P(FakeFaultsTest, DroppedConnectionFailsAPromptWhichIsNeverSentTwice) {
  auto chatbot = client().resources().chatbots().get(smarter::testkit::kDemoChatbotName);
  faults_->drop_next();
  EXPECT_THROW(chatbot.prompt("Hello, World!"), smarter::APIConnectionError);
  EXPECT_EQ(server_.request_count(), 2u);  // describe, then the one dropped prompt
}

TEST_P(FakeFaultsTest, FaultsApplyInTheOrderTheyWereAdded) {
  faults_->add(smarter::testkit::Fault::fail(500));
  faults_->add(smarter::testkit::Fault::drop());
  faults_->add(smarter::testkit::Fault::fail(429, 2));
  EXPECT_EQ(faults_->pending(), 4u);
  // A new client per call, so each request opens its own connection: libcurl itself sends a
  // request again when a *reused* connection turns out closed, which would use up a fault more.
  EXPECT_THROW(client(0).request("POST", "cli/status/"), smarter::InternalServerError);
  EXPECT_THROW(client(0).request("POST", "cli/status/"), smarter::APIConnectionError);
  EXPECT_THROW(client(0).request("POST", "cli/status/"), smarter::RateLimitError);
  EXPECT_THROW(client(0).request("POST", "cli/status/"), smarter::RateLimitError);
  EXPECT_EQ(client(0).request("POST", "cli/status/").status_code, 200);
  EXPECT_EQ(faults_->injected(), 4u);
}

TEST_P(FakeFaultsTest, ClearForgetsWaitingFaults) {
  faults_->fail_next(500, 3);
  faults_->clear();
  EXPECT_EQ(faults_->pending(), 0u);
  EXPECT_EQ(client(0).request("POST", "cli/status/").status_code, 200);
}

TEST_P(FakeFaultsTest, InvalidFaultsAreRefused) {
  EXPECT_THROW(faults_->fail_next(200), std::invalid_argument);
  EXPECT_THROW(faults_->fail_next(600), std::invalid_argument);
  EXPECT_THROW(faults_->fail_next(503, 0), std::invalid_argument);
  EXPECT_THROW(faults_->drop_next(0), std::invalid_argument);
  EXPECT_EQ(faults_->pending(), 0u);
}

TEST_P(FakeFaultsTest, FaultsComeBeforeTheScriptedQueue) {
  server_.enqueue(smarter::testkit::FakeResponse::json(200, {{"queued", true}}));
  faults_->fail_next(502);
  smarter::Smarter once = client(0);
  EXPECT_THROW(once.request("GET", "anything"), smarter::InternalServerError);
  EXPECT_EQ(once.request("GET", "anything").json()["queued"], true);
}

TEST_P(FakeFaultsTest, AFailedUploadIsDrainedNotStored) {
  faults_->fail_next(500);
  smarter::FileCreateParams upload{smarter::FileInput::from_contents("a.jsonl", std::string(100000, 'x')), "fine-tune"};
  EXPECT_THROW(client(0).files().create(upload), smarter::InternalServerError);
  auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 1u);
  // The streaming route never saw it, but its body was read (and only counted).
  EXPECT_TRUE(requests[0].body_streamed);
  EXPECT_GT(requests[0].body_size, 100000u);
  EXPECT_TRUE(files_->files().empty());
  EXPECT_TRUE(files_->upload_attempts().empty());
  // The connection is still good for the next upload.
  EXPECT_NO_THROW(client(0).files().create(upload));
  EXPECT_EQ(files_->files().size(), 1u);
}

TEST_P(FakeFaultsTest, LatencyDelaysEveryAnswer) {
  // A client whose limit is shorter than the latency times out; the latency is a lower bound, so
  // this cannot pass by luck on a slow machine.
  server_.set_latency(std::chrono::milliseconds(3000));
  EXPECT_EQ(server_.latency(), std::chrono::milliseconds(3000));
  smarter::RequestOptions quick;
  quick.timeout = 0.2;
  EXPECT_THROW(client(0).request("POST", "cli/status/", nullptr, quick), smarter::APITimeoutError);
  server_.set_latency(std::chrono::milliseconds(0));
  EXPECT_EQ(client(0).request("POST", "cli/status/", nullptr, quick).status_code, 200);
}

TEST_P(FakeFaultsTest, InterceptorsSeeTheHeadAndTheLastAddedGoesFirst) {
  std::vector<std::string> seen;
  std::mutex seen_mutex;
  server_.intercept([&](smarter::testkit::RecordedRequest const& head) -> std::optional<smarter::testkit::FakeResponse> {
    std::lock_guard<std::mutex> lock(seen_mutex);
    seen.push_back("first " + head.method + " " + head.path);
    return smarter::testkit::FakeResponse::json(418, {{"from", "first"}});
  });
  server_.intercept([&](smarter::testkit::RecordedRequest const& head) -> std::optional<smarter::testkit::FakeResponse> {
    std::lock_guard<std::mutex> lock(seen_mutex);
    seen.push_back("second " + head.method + " " + head.path);
    return std::nullopt;  // lets the request through to the next interceptor
  });
  try {
    client(0).request("POST", "cli/status/");
    FAIL() << "the interceptor's 418 was not raised";
  } catch (smarter::APIStatusError const& e) {
    EXPECT_EQ(e.status_code(), 418);
    EXPECT_EQ(e.body()["from"], "first");
  }
  // The second, added last, is asked first; the first answers, so install_faults' interceptor
  // (added before both) is not asked at all.
  std::lock_guard<std::mutex> lock(seen_mutex);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], "second POST /api/v1/cli/status/");
  EXPECT_EQ(seen[1], "first POST /api/v1/cli/status/");
}

INSTANTIATE_TEST_SUITE_P(Generations, FakeFaultsTest, testing::Values(FakeGeneration::v0_13, FakeGeneration::v0_14),
                         [](testing::TestParamInfo<FakeGeneration> const& param) {
                           return std::string(param.param == FakeGeneration::v0_13 ? "v0_13" : "v0_14");
                         });

}  // namespace

// The client core over real HTTP on loopback: headers, configuration, errors, retries, timeouts,
// connection reuse, threads, redirects and logging.
#include <smarter/client.hpp>
#include <smarter/errors.hpp>
#include <smarter/version.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <set>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <smarter/testkit/fake_server.hpp>

namespace smarter {
namespace {

using smarter::testkit::FakeResponse;
using smarter::testkit::FakeServer;
using smarter::testkit::RecordedRequest;
using ::testing::HasSubstr;
using ::testing::Not;
using Clock = std::chrono::steady_clock;

constexpr char kKey[] = "sk-test-0123456789abcdef";

/// Clears the SMARTER_* variables for the test and restores nothing (each test is its own process).
class ClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (char const* name : {"SMARTER_API_KEY", "SMARTER_BASE_URL", "SMARTER_ENVIRONMENT", "SMARTER_LOG"}) {
      unsetenv(name);
    }
  }

  /// Options for a client of `server` with fast retries.
  ClientOptions options_for(FakeServer const& server) const {
    ClientOptions options;
    options.api_key = kKey;
    options.base_url = server.url() + "api/v1";
    options.retry.initial_delay = 0.01;
    options.retry.max_delay = 0.05;
    return options;
  }

  static double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
  }

  static double seconds_between(RecordedRequest const& a, RecordedRequest const& b) {
    return std::chrono::duration<double>(b.received_at - a.received_at).count();
  }
};

// ------------------------------------------------------------------ headers

TEST_F(ClientTest, SendsAuthAcceptUserAgentAndRetryCount) {
  FakeServer server;
  server.enqueue(FakeResponse::json(200, {{"ok", true}}));
  Smarter client(options_for(server));
  RawResponse response = client.request("GET", "cli/whoami/");
  EXPECT_EQ(response.status_code, 200);
  auto request = server.requests().at(0);
  EXPECT_EQ(request.path, "/api/v1/cli/whoami/");
  EXPECT_EQ(request.header("Authorization"), std::string("Token ") + kKey);
  EXPECT_EQ(request.header("Accept"), "application/json");
  EXPECT_THAT(request.header("User-Agent").value_or(""), HasSubstr(std::string("smarter-cpp/") + SMARTER_VERSION));
  EXPECT_THAT(request.header("User-Agent").value_or(""), HasSubstr("libcurl/"));
  EXPECT_EQ(request.header("x-smarter-retry-count"), "0");
  EXPECT_FALSE(request.header("Idempotency-Key")) << "GET requests carry no idempotency key";
  EXPECT_FALSE(request.header("Content-Type")) << "no body, no content type";
}

TEST_F(ClientTest, BearerSchemeForOpenAICompatibleServers) {
  FakeServer server;
  server.enqueue(FakeResponse::json(200, {}));
  ClientOptions options = options_for(server);
  options.auth_scheme = AuthScheme::bearer;
  Smarter(options).request("GET", "models");
  EXPECT_EQ(server.requests().at(0).header("Authorization"), std::string("Bearer ") + kKey);
}

TEST_F(ClientTest, RetryCountGrowsAndIdempotencyKeyStaysTheSame) {
  FakeServer server;
  server.enqueue(FakeResponse::json(500, {{"error", "boom"}}));
  server.enqueue(FakeResponse::json(503, {{"error", "busy"}}));
  server.enqueue(FakeResponse::json(200, {{"ok", true}}));
  Smarter client(options_for(server));
  RequestOptions call;
  call.idempotent = true;  // cli/apply/ is not, by itself
  RawResponse response = client.request("POST", "cli/apply/", {{"kind", "Chatbot"}}, call);
  EXPECT_EQ(response.retries_taken, 2);
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  std::set<std::string> keys;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    EXPECT_EQ(requests[i].header("x-smarter-retry-count"), std::to_string(i));
    ASSERT_TRUE(requests[i].header("Idempotency-Key"));
    keys.insert(*requests[i].header("Idempotency-Key"));
    EXPECT_EQ(requests[i].json(), (nlohmann::json{{"kind", "Chatbot"}})) << "the body is re-sent whole";
    EXPECT_EQ(requests[i].header("Content-Type"), "application/json");
  }
  EXPECT_EQ(keys.size(), 1u) << "one idempotency key per logical call";
  EXPECT_THAT(*keys.begin(), HasSubstr("smarter-cpp-retry-"));
}

TEST_F(ClientTest, CallerIdempotencyKeyIsUsed) {
  FakeServer server;
  server.enqueue(FakeResponse::json(200, {}));
  RequestOptions per_call;
  per_call.idempotency_key = "my-key-1";
  Smarter(options_for(server)).request("POST", "files", nullptr, per_call);
  EXPECT_EQ(server.requests().at(0).header("Idempotency-Key"), "my-key-1");
}

TEST_F(ClientTest, HeaderPrecedenceBuiltInThenClientThenPerCall) {
  FakeServer server;
  server.enqueue(FakeResponse::json(200, {}));
  ClientOptions options = options_for(server);
  options.default_headers = {{"X-Team", "client"}, {"X-Only-Client", "yes"}, {"Accept", "application/x-client"}};
  RequestOptions per_call;
  per_call.extra_headers = {{"x-team", "call"}, {"User-Agent", std::nullopt}};
  Smarter(options).request("GET", "thing", nullptr, per_call);
  auto request = server.requests().at(0);
  EXPECT_EQ(request.header("X-Team"), "call");
  EXPECT_EQ(request.header("X-Only-Client"), "yes");
  EXPECT_EQ(request.header("Accept"), "application/x-client");
  EXPECT_FALSE(request.header("User-Agent")) << "a caller can remove a built-in header";
}

TEST_F(ClientTest, CallerRetryCountWinsAndCanBeRemoved) {
  FakeServer server;
  server.enqueue(FakeResponse::json(500, {}));
  server.enqueue(FakeResponse::json(200, {}));
  server.enqueue(FakeResponse::json(200, {}));
  Smarter client(options_for(server));
  RequestOptions fixed;
  fixed.extra_headers = {{"x-smarter-retry-count", "42"}};
  client.request("GET", "a", nullptr, fixed);
  RequestOptions removed;
  removed.extra_headers = {{"X-Smarter-Retry-Count", std::nullopt}};
  client.request("GET", "b", nullptr, removed);
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].header("x-smarter-retry-count"), "42");
  EXPECT_EQ(requests[1].header("x-smarter-retry-count"), "42");
  EXPECT_FALSE(requests[2].header("x-smarter-retry-count"));
}

TEST_F(ClientTest, DefaultQueryExtraQueryAndExtraBody) {
  FakeServer server;
  server.enqueue(FakeResponse::json(200, {}));
  ClientOptions options = options_for(server);
  options.default_query = {{"api-version", "1"}, {"team", "a"}};
  RequestOptions per_call;
  per_call.extra_query = {{"team", "b"}, {"debug", "true"}};
  per_call.extra_body = {{"temperature", nullptr}, {"extra", 1}};
  Smarter(options).request("POST", "chat/completions?beta=true", {{"model", "m"}, {"temperature", 0.5}}, per_call);
  auto request = server.requests().at(0);
  EXPECT_EQ(request.param("beta"), "true");
  EXPECT_EQ(request.param("api-version"), "1");
  EXPECT_EQ(request.param("team"), "b");
  EXPECT_EQ(request.param("debug"), "true");
  EXPECT_EQ(request.json(), (nlohmann::json{{"model", "m"}, {"temperature", nullptr}, {"extra", 1}}));
}

// ------------------------------------------------------------------ configuration

TEST_F(ClientTest, MissingApiKeyNamesTheVariable) {
  try {
    Smarter client;
    FAIL() << "constructed without a key";
  } catch (SmarterError const& e) {
    EXPECT_THAT(e.what(), HasSubstr("SMARTER_API_KEY"));
  }
  setenv("SMARTER_API_KEY", "   ", 1);
  EXPECT_THROW(Smarter{}, SmarterError) << "a blank variable counts as unset";
}

TEST_F(ClientTest, EnvironmentSuppliesKeyAndBaseUrl) {
  FakeServer server;
  server.enqueue(FakeResponse::json(200, {}));
  setenv("SMARTER_API_KEY", "env-key-123456", 1);
  setenv("SMARTER_BASE_URL", (server.url() + "from/env").c_str(), 1);
  Smarter client;
  EXPECT_EQ(client.base_url(), server.url() + "from/env/");
  EXPECT_EQ(client.timeout().total, 60.0);
  EXPECT_EQ(client.max_retries(), 2);
  client.request("GET", "/foo");
  auto request = server.requests().at(0);
  EXPECT_EQ(request.path, "/from/env/foo");
  EXPECT_EQ(request.header("Authorization"), "Token env-key-123456");
}

TEST_F(ClientTest, ExplicitOptionsBeatTheEnvironment) {
  setenv("SMARTER_API_KEY", "env-key", 1);
  setenv("SMARTER_BASE_URL", "http://127.0.0.1:9/env", 1);
  ClientOptions options;
  options.api_key = "option-key";
  options.base_url = "http://127.0.0.1:9/option";
  Smarter client(options);
  EXPECT_EQ(client.api_key(), "option-key");
  EXPECT_EQ(client.base_url(), "http://127.0.0.1:9/option/");
}

TEST_F(ClientTest, AnExplicitEmptyKeySendsNoAuthorization) {
  FakeServer server;
  server.enqueue(FakeResponse::json(200, {}));
  setenv("SMARTER_API_KEY", "env-key", 1);
  ClientOptions options = options_for(server);
  options.api_key = "";
  Smarter client(options);
  EXPECT_EQ(client.api_key(), "");
  client.request("GET", "/anonymous");
  EXPECT_FALSE(server.requests().at(0).header("Authorization").has_value()) << "the environment's key must not be used";
}

TEST_F(ClientTest, TheEnvironmentOptionBeatsTheBaseUrlVariable) {
  setenv("SMARTER_API_KEY", "k", 1);
  setenv("SMARTER_BASE_URL", "http://127.0.0.1:9/env", 1);
  ClientOptions options;
  options.environment = "alpha";
  EXPECT_EQ(Smarter(options).base_url(), "https://alpha.platform.smarter.sh/api/v1/");
}

TEST_F(ClientTest, EnvironmentNameSelectsThePlatformHost) {
  setenv("SMARTER_API_KEY", "k", 1);
  EXPECT_EQ(Smarter().base_url(), "https://platform.smarter.sh/api/v1/");
  setenv("SMARTER_ENVIRONMENT", "beta", 1);
  EXPECT_EQ(Smarter().base_url(), "https://beta.platform.smarter.sh/api/v1/");
  setenv("SMARTER_BASE_URL", "", 1);
  EXPECT_EQ(Smarter().base_url(), "https://beta.platform.smarter.sh/api/v1/") << "empty SMARTER_BASE_URL is unset";
  setenv("SMARTER_ENVIRONMENT", "local", 1);
  EXPECT_THROW(Smarter(), SmarterError);
}

TEST_F(ClientTest, BaseUrlJoiningAndAbsoluteUrls) {
  FakeServer server;
  FakeServer other;
  server.enqueue(FakeResponse::json(200, {}));
  server.enqueue(FakeResponse::json(200, {}));
  other.enqueue(FakeResponse::json(200, {}));
  ClientOptions options = options_for(server);
  options.base_url = server.url() + "custom/path";
  Smarter client(options);
  client.request("GET", "/foo");
  client.request("GET", "bar/");
  client.request("GET", other.url() + "elsewhere");
  EXPECT_EQ(server.requests().at(0).path, "/custom/path/foo");
  EXPECT_EQ(server.requests().at(1).path, "/custom/path/bar/");
  EXPECT_EQ(other.requests().at(0).path, "/elsewhere");
}

TEST_F(ClientTest, WithOptionsLeavesTheOriginalAloneAndSharesConnections) {
  FakeServer server;
  for (int i = 0; i < 4; ++i) server.enqueue(FakeResponse::json(200, {}));
  Smarter client(options_for(server));
  ClientOptions overrides;
  overrides.max_retries = 5;
  overrides.default_headers = {{"X-Copy", "1"}};
  Smarter copy = client.with_options(overrides);
  EXPECT_EQ(copy.max_retries(), 5);
  EXPECT_EQ(client.max_retries(), 2);
  client.request("GET", "a");
  copy.request("GET", "b");
  client.request("GET", "c");
  copy.request("GET", "d");
  auto requests = server.requests();
  EXPECT_FALSE(requests[0].header("X-Copy"));
  EXPECT_EQ(requests[1].header("X-Copy"), "1");
  EXPECT_EQ(server.connection_count(), 1u) << "both clients share one connection pool";
}

// ------------------------------------------------------------------ errors

struct StatusClass {
  int status;
  char const* expected;
};

std::string class_of(int status, FakeServer& server, Smarter const& client) {
  server.enqueue(FakeResponse::json(status, {{"error", {{"message", "nope"}}}}));
  try {
    client.request("GET", "x");
  } catch (RateLimitError const&) {
    return "RateLimitError";
  } catch (InternalServerError const&) {
    return "InternalServerError";
  } catch (BadRequestError const&) {
    return "BadRequestError";
  } catch (AuthenticationError const&) {
    return "AuthenticationError";
  } catch (PermissionDeniedError const&) {
    return "PermissionDeniedError";
  } catch (NotFoundError const&) {
    return "NotFoundError";
  } catch (ConflictError const&) {
    return "ConflictError";
  } catch (UnprocessableEntityError const&) {
    return "UnprocessableEntityError";
  } catch (APIStatusError const& e) {
    return e.status_code() == status ? "APIStatusError" : "wrong status";
  }
  return "nothing";
}

TEST_F(ClientTest, EveryStatusMapsToItsClassOverHttp) {
  FakeServer server;
  ClientOptions options = options_for(server);
  options.max_retries = 0;
  Smarter client(options);
  std::vector<StatusClass> table = {{400, "BadRequestError"},     {401, "AuthenticationError"},
                                    {403, "PermissionDeniedError"}, {404, "NotFoundError"},
                                    {409, "ConflictError"},        {422, "UnprocessableEntityError"},
                                    {429, "RateLimitError"},       {500, "InternalServerError"},
                                    {502, "InternalServerError"},  {503, "InternalServerError"},
                                    {405, "APIStatusError"},       {418, "APIStatusError"}};
  for (auto const& row : table) EXPECT_EQ(class_of(row.status, server, client), row.expected) << row.status;
}

TEST_F(ClientTest, StatusErrorCarriesResponseBodyAndRequestId) {
  FakeServer server;
  FakeResponse reply = FakeResponse::json(404, {{"error", {{"message", "No such chatbot"}, {"type", "invalid_request_error"}}}});
  reply.headers.emplace_back("x-request-id", "req_abc");
  server.enqueue(reply);
  try {
    Smarter(options_for(server)).request("GET", "chatbots/nope");
    FAIL();
  } catch (NotFoundError const& e) {
    EXPECT_STREQ(e.what(), "Error code: 404 - No such chatbot (invalid_request_error)");
    EXPECT_EQ(e.request_id(), "req_abc");
    EXPECT_EQ(e.body()["error"]["message"], "No such chatbot");
    EXPECT_EQ(e.response().headers.get("x-request-id"), "req_abc");
    EXPECT_EQ(e.method(), "GET");
    EXPECT_THAT(e.url(), HasSubstr("/api/v1/chatbots/nope"));
  }
}

TEST_F(ClientTest, ReadableMessageForEveryBodyShape) {
  FakeServer server;
  ClientOptions options = options_for(server);
  options.max_retries = 0;
  Smarter client(options);
  auto message = [&](FakeResponse reply) -> std::string {
    server.enqueue(std::move(reply));
    try {
      client.request("POST", "cli/whoami/");
    } catch (APIStatusError const& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_EQ(message(FakeResponse::json(403, {{"error", {{"errorClass", "SmarterAPIV1CLIViewErrorNotAuthenticated"},
                                                        {"description", "authentication failed"},
                                                        {"status", "403"}}},
                                             {"api", "smarter.sh/v1"}})),
            "Error code: 403 - authentication failed (SmarterAPIV1CLIViewErrorNotAuthenticated)");
  EXPECT_EQ(message(FakeResponse::json(404, {{"error", "User profile not found."}})),
            "Error code: 404 - User profile not found.");
  EXPECT_EQ(message(FakeResponse::json(404, nlohmann::json::object())), "Error code: 404 - Not Found");
  EXPECT_EQ(message(FakeResponse::text(403, "Forbidden: Invalid or missing authentication credentials.")),
            "Error code: 403 - Forbidden: Invalid or missing authentication credentials.");
  EXPECT_EQ(message(FakeResponse::text(405, "<html><head><title>405 Method Not Allowed</title></head><body>x</body></html>",
                                       "text/html")),
            "Error code: 405 - 405 Method Not Allowed");
}

// ------------------------------------------------------------------ retries

TEST_F(ClientTest, RetriesTransientStatusesButNotOtherClientErrors) {
  FakeServer server;
  Smarter client(options_for(server));
  for (int status : {408, 409, 429, 500, 502}) {
    server.clear_requests();
    server.enqueue(FakeResponse::json(status, {}));
    server.enqueue(FakeResponse::json(200, {}));
    EXPECT_EQ(client.request("GET", "x").status_code, 200) << status;
    EXPECT_EQ(server.request_count(), 2u) << status;
  }
  for (int status : {400, 401, 403, 404, 422}) {
    server.clear_requests();
    server.enqueue(FakeResponse::json(status, {}));
    EXPECT_THROW(client.request("GET", "x"), APIStatusError) << status;
    EXPECT_EQ(server.request_count(), 1u) << status;
  }
}

TEST_F(ClientTest, MissingResourceReportedAs503IsNotRetried) {
  FakeServer server;
  server.enqueue(FakeResponse::json(503, {{"error", {{"errorClass", "SAMBrokerErrorNotReady"},
                                                     {"description", "Chatbot nope not found"}}}}));
  try {
    Smarter(options_for(server)).request("POST", "cli/describe/chatbot/?name=nope");
    FAIL();
  } catch (NotFoundError const& e) {
    EXPECT_EQ(e.status_code(), 503);
  }
  EXPECT_EQ(server.request_count(), 1u) << "a missing resource stays missing";
}

TEST_F(ClientTest, GivesUpAfterMaxRetries) {
  FakeServer server;
  for (int i = 0; i < 5; ++i) server.enqueue(FakeResponse::json(500, {}));
  EXPECT_THROW(Smarter(options_for(server)).request("GET", "x"), InternalServerError);
  EXPECT_EQ(server.request_count(), 3u) << "1 attempt + 2 retries by default";
  server.clear_requests();
  RequestOptions per_call;
  per_call.max_retries = 0;
  EXPECT_THROW(Smarter(options_for(server)).request("GET", "x", nullptr, per_call), InternalServerError);
  EXPECT_EQ(server.request_count(), 1u);
}

TEST_F(ClientTest, ShouldRetryHeaderOverridesTheStatusRule) {
  FakeServer server;
  Smarter client(options_for(server));
  FakeResponse no = FakeResponse::json(503, {});
  no.headers.emplace_back("x-should-retry", "false");
  server.enqueue(no);
  EXPECT_THROW(client.request("GET", "x"), InternalServerError);
  EXPECT_EQ(server.request_count(), 1u);

  server.clear_requests();
  FakeResponse yes = FakeResponse::json(400, {});
  yes.headers.emplace_back("x-should-retry", "true");
  server.enqueue(yes);
  server.enqueue(FakeResponse::json(200, {}));
  EXPECT_EQ(client.request("GET", "x").status_code, 200);
  EXPECT_EQ(server.request_count(), 2u);
}

TEST_F(ClientTest, HonoursRetryAfterExactly) {
  FakeServer server;
  FakeResponse wait_ms = FakeResponse::json(429, {});
  wait_ms.headers.emplace_back("retry-after-ms", "400");
  FakeResponse wait_s = FakeResponse::json(503, {});
  wait_s.headers.emplace_back("Retry-After", "0.3");
  server.enqueue(wait_ms);
  server.enqueue(wait_s);
  server.enqueue(FakeResponse::json(200, {}));
  Smarter(options_for(server)).request("GET", "x");
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_GE(seconds_between(requests[0], requests[1]), 0.38);
  EXPECT_LT(seconds_between(requests[0], requests[1]), 1.5);
  EXPECT_GE(seconds_between(requests[1], requests[2]), 0.28);
  EXPECT_LT(seconds_between(requests[1], requests[2]), 1.5);
}

TEST_F(ClientTest, RetryAfterAboveTheCapFailsFastAndExposesTheWait) {
  FakeServer server;
  FakeResponse reply = FakeResponse::json(429, {{"error", {{"message", "slow down"}}}});
  reply.headers.emplace_back("Retry-After", "120");
  server.enqueue(reply);
  auto start = Clock::now();
  try {
    Smarter(options_for(server)).request("GET", "x");
    FAIL();
  } catch (RateLimitError const& e) {
    EXPECT_EQ(e.retry_after(), 120.0);
  }
  EXPECT_EQ(server.request_count(), 1u);
  EXPECT_LT(seconds_since(start), 2.0);
}

TEST_F(ClientTest, RetryAfterCapIsConfigurable) {
  FakeServer server;
  FakeResponse reply = FakeResponse::json(429, {});
  reply.headers.emplace_back("retry-after-ms", "200");
  server.enqueue(reply);
  ClientOptions options = options_for(server);
  options.retry.max_retry_after = 0.1;
  EXPECT_THROW(Smarter(options).request("GET", "x"), RateLimitError);
  EXPECT_EQ(server.request_count(), 1u);
}

TEST_F(ClientTest, ConnectFailureIsAConnectionErrorAfterRetries) {
  FakeServer closed;
  std::string url = closed.url();
  closed.stop();
  ClientOptions options;
  options.api_key = kKey;
  options.base_url = url;
  options.retry.initial_delay = 0.01;
  try {
    Smarter(options).request("GET", "x");
    FAIL();
  } catch (APITimeoutError const&) {
    FAIL() << "a refused connection is not a timeout";
  } catch (APIConnectionError const& e) {
    EXPECT_EQ(e.curl_code(), 7);
    EXPECT_FALSE(e.cause().empty());
    EXPECT_THAT(e.what(), Not(HasSubstr(kKey)));
  }
}

// ------------------------------------------------------------------ timeouts

TEST_F(ClientTest, StalledBodyTimesOutAfterTheReadLimit) {
  FakeServer server;
  FakeResponse stalled = FakeResponse::text(200, std::string(1000, 'x'));
  stalled.stall_after_bytes = 10;
  stalled.stall_for = std::chrono::milliseconds(3000);
  server.enqueue(stalled);
  ClientOptions options = options_for(server);
  options.max_retries = 0;
  options.timeout = Timeout(30.0).with_read(0.3);
  auto start = Clock::now();
  try {
    Smarter(options).request("GET", "x");
    FAIL();
  } catch (APITimeoutError const& e) {
    EXPECT_EQ(e.kind(), TimeoutKind::read);
  }
  double elapsed = seconds_since(start);
  EXPECT_GE(elapsed, 0.25);
  EXPECT_LT(elapsed, 2.0);
}

TEST_F(ClientTest, TimeoutsAreRetried) {
  FakeServer server;
  FakeResponse slow = FakeResponse::json(200, {{"attempt", 1}});
  slow.delay = std::chrono::milliseconds(1500);
  server.enqueue(slow);
  server.enqueue(FakeResponse::json(200, {{"attempt", 2}}));
  ClientOptions options = options_for(server);
  options.timeout = 0.3;
  RawResponse response = Smarter(options).request("GET", "x");
  EXPECT_EQ(response.json()["attempt"], 2);
  EXPECT_EQ(response.retries_taken, 1);
}

TEST_F(ClientTest, PerCallTimeoutOverridesTheClient) {
  FakeServer server;
  FakeResponse slow = FakeResponse::json(200, {});
  slow.delay = std::chrono::milliseconds(800);
  server.enqueue(slow);
  ClientOptions options = options_for(server);
  options.timeout = 0.2;
  options.max_retries = 0;
  RequestOptions per_call;
  per_call.timeout = Timeout(5.0);
  EXPECT_EQ(Smarter(options).request("GET", "x", nullptr, per_call).status_code, 200);
}

TEST_F(ClientTest, OverallDeadlineBoundsAllAttempts) {
  FakeServer server;
  for (int i = 0; i < 5; ++i) {
    FakeResponse slow = FakeResponse::json(200, {});
    slow.delay = std::chrono::milliseconds(400);
    server.enqueue(slow);
  }
  ClientOptions options = options_for(server);
  options.timeout = 0.25;  // each attempt times out, and is retried...
  options.max_retries = 10;
  RequestOptions per_call;
  per_call.deadline = 0.6;  // ...until the call's deadline
  auto start = Clock::now();
  try {
    Smarter(options).request("GET", "x", nullptr, per_call);
    FAIL();
  } catch (APITimeoutError const& e) {
    EXPECT_EQ(e.kind(), TimeoutKind::deadline);
    EXPECT_THAT(e.what(), HasSubstr("deadline"));
  }
  double elapsed = seconds_since(start);
  EXPECT_GE(elapsed, 0.55);
  EXPECT_LT(elapsed, 1.5);
  EXPECT_LT(server.request_count(), 5u);
}

// ------------------------------------------------------------------ connections and threads

TEST_F(ClientTest, SequentialCallsReuseOneConnection) {
  FakeServer server;
  for (int i = 0; i < 10; ++i) server.enqueue(FakeResponse::json(200, {{"i", i}}));
  Smarter client(options_for(server));
  for (int i = 0; i < 10; ++i) EXPECT_EQ(client.request("GET", "x").json()["i"], i);
  EXPECT_EQ(server.request_count(), 10u);
  EXPECT_EQ(server.connection_count(), 1u);
}

TEST_F(ClientTest, ConcurrentThreadsShareOneClient) {
  FakeServer server;
  server.route("GET", "/api/v1/echo/([0-9]+)", [](RecordedRequest const& request) {
    return FakeResponse::json(200, {{"n", std::stoi(request.path_groups.at(1))}});
  });
  Smarter client(options_for(server));
  constexpr int kThreads = 8;
  constexpr int kCalls = 20;
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&client, &good, t] {
      for (int i = 0; i < kCalls; ++i) {
        int n = t * 1000 + i;
        if (client.request("GET", "echo/" + std::to_string(n)).json()["n"] == n) ++good;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(good.load(), kThreads * kCalls);
  EXPECT_LE(server.connection_count(), static_cast<std::size_t>(kThreads));
}

TEST_F(ClientTest, AuthorizationNeverFollowsARedirectToAnotherHost) {
  FakeServer origin;
  FakeServer elsewhere;
  elsewhere.enqueue(FakeResponse::json(200, {{"where", "elsewhere"}}));
  FakeResponse cross = FakeResponse::text(302, "");
  cross.headers.emplace_back("Location", "http://localhost:" + std::to_string(elsewhere.port()) + "/landing");
  FakeResponse same = FakeResponse::text(302, "");
  same.headers.emplace_back("Location", "/api/v1/moved");
  origin.enqueue(cross);
  origin.enqueue(same);
  origin.enqueue(FakeResponse::json(200, {{"where", "origin"}}));
  Smarter client(options_for(origin));

  EXPECT_EQ(client.request("GET", "start").json()["where"], "elsewhere");
  auto landed = elsewhere.requests().at(0);
  EXPECT_EQ(landed.path, "/landing");
  EXPECT_FALSE(landed.header("Authorization")) << "credentials must not leave the configured host";

  EXPECT_EQ(client.request("GET", "start").json()["where"], "origin");
  auto moved = origin.requests().back();
  EXPECT_EQ(moved.path, "/api/v1/moved");
  EXPECT_EQ(moved.header("Authorization"), std::string("Token ") + kKey) << "same host keeps credentials";
}

// ------------------------------------------------------------------ logging

TEST_F(ClientTest, InfoLogsOneLinePerAttempt) {
  FakeServer server;
  server.enqueue(FakeResponse::json(500, {}));
  server.enqueue(FakeResponse::json(200, {}));
  std::mutex mutex;
  std::vector<std::string> lines;
  ClientOptions options = options_for(server);
  options.log_level = LogLevel::info;
  options.log_handler = [&](LogLevel, std::string_view line) {
    std::lock_guard<std::mutex> lock(mutex);
    lines.emplace_back(line);
  };
  Smarter(options).request("POST", "cli/status/");
  std::vector<std::string> attempts;
  for (auto const& line : lines) {
    if (line.find(" -> ") != std::string::npos) attempts.push_back(line);
  }
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_THAT(attempts[0], HasSubstr("POST " + server.url() + "api/v1/cli/status/ -> 500"));
  EXPECT_THAT(attempts[0], HasSubstr("retry 0"));
  EXPECT_THAT(attempts[1], HasSubstr("-> 200"));
  EXPECT_THAT(attempts[1], HasSubstr("retry 1"));
  EXPECT_THAT(attempts[1], HasSubstr(" ms"));
}

TEST_F(ClientTest, DebugLogShowsHeadersAndBodiesButNeverTheKey) {
  FakeServer server;
  server.enqueue(FakeResponse::json(200, {{"echo", kKey}}));
  std::mutex mutex;
  std::vector<std::string> lines;
  ClientOptions options = options_for(server);
  options.log_level = LogLevel::debug;
  options.log_handler = [&](LogLevel, std::string_view line) {
    std::lock_guard<std::mutex> lock(mutex);
    lines.emplace_back(line);
  };
  Smarter(options).request("POST", "cli/apply/", {{"kind", "Plugin"}, {"note", kKey}});
  std::string all;
  for (auto const& line : lines) all += line + "\n";
  EXPECT_THAT(all, HasSubstr("Authorization: <redacted>"));
  EXPECT_THAT(all, HasSubstr("\"kind\":\"Plugin\""));
  EXPECT_THAT(all, HasSubstr("x-smarter-retry-count: 0"));
  EXPECT_THAT(all, Not(HasSubstr(kKey)));
}

TEST_F(ClientTest, SmarterLogEnvironmentVariableEnablesLogging) {
  FakeServer server;
  server.enqueue(FakeResponse::json(200, {}));
  setenv("SMARTER_LOG", "info", 1);
  int count = 0;
  ClientOptions options = options_for(server);
  options.log_handler = [&](LogLevel level, std::string_view) { count += level == LogLevel::info; };
  Smarter(options).request("GET", "x");
  EXPECT_EQ(count, 1);

  unsetenv("SMARTER_LOG");
  server.enqueue(FakeResponse::json(200, {}));
  count = 0;
  Smarter(options).request("GET", "x");
  EXPECT_EQ(count, 0) << "nothing is logged when SMARTER_LOG is unset";
}

}  // namespace
}  // namespace smarter

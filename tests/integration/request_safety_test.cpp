// Every request goes only where it should, carries only what it should, and is sent again
// exactly when that is safe. Real HTTP on loopback.
#include <smarter/client.hpp>
#include <smarter/errors.hpp>
#include <smarter/resources/chat.hpp>
#include <smarter/resources/chatbots.hpp>
#include <smarter/resources/files.hpp>
#include <smarter/resources/fine_tuning.hpp>
#include <smarter/resources/manifests.hpp>
#include <smarter/resources/resources.hpp>
#include <smarter/streaming.hpp>

#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <set>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <smarter/testkit/fake_platform.hpp>
#include <smarter/testkit/fake_server.hpp>

#include "request_building.hpp"

namespace smarter {
namespace {

using smarter::testkit::BodyChunk;
using smarter::testkit::FakeResponse;
using smarter::testkit::FakeServer;
using ::testing::HasSubstr;
using ::testing::Not;
using std::chrono::milliseconds;

constexpr char kKey[] = "sk-safety-0123456789abcdef";

class RequestSafetyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (char const* name : {"SMARTER_API_KEY", "SMARTER_BASE_URL", "SMARTER_ENVIRONMENT", "SMARTER_LOG"}) {
      unsetenv(name);
    }
  }

  ClientOptions options() const {
    ClientOptions options;
    options.api_key = kKey;
    options.base_url = server_.url() + "api/v1";
    options.platform = PlatformGeneration::v0_13;  // no version probe before the call under test
    options.retry.initial_delay = 0.01;
    options.retry.max_delay = 0.02;
    return options;
  }

  /// The fake platform on server_, answering with our key.
  void install_platform() {
    smarter::testkit::PlatformOptions platform;
    platform.api_key = kKey;
    platform_ = smarter::testkit::install_platform(server_, platform);
  }

  std::size_t requests_to(std::string const& path_part) const {
    std::size_t n = 0;
    for (auto const& request : server_.requests()) n += request.path.find(path_part) != std::string::npos;
    return n;
  }

  FakeServer server_;
  std::shared_ptr<smarter::testkit::FakePlatform> platform_;
};

std::string error_of(std::function<void()> const& call) {
  try {
    call();
  } catch (SmarterError const& e) {
    return e.what();
  }
  return "(no error)";
}

// ------------------------------------------------------------------ 2. base URL

TEST_F(RequestSafetyTest, BaseUrlMustBeAbsoluteHttpWithoutQueryFragmentOrUserinfo) {
  auto construct = [](std::string base_url) {
    ClientOptions options;
    options.api_key = kKey;
    options.base_url = std::move(base_url);
    Smarter client(options);
  };
  EXPECT_THAT(error_of([&] { construct("127.0.0.1:8080/api/v1/"); }), HasSubstr("http:// or https://"));
  EXPECT_THAT(error_of([&] { construct("ftp://example.com/"); }), HasSubstr("http:// or https://"));
  EXPECT_THAT(error_of([&] { construct("http://example.com/api?x=1"); }), HasSubstr("query"));
  EXPECT_THAT(error_of([&] { construct("http://example.com/api#frag"); }), HasSubstr("fragment"));
  EXPECT_THAT(error_of([&] { construct("http://example.com/api#"); }), HasSubstr("fragment"));  // empty: libcurl sees none
  EXPECT_THAT(error_of([&] { construct("http://example.com/api?"); }), HasSubstr("query"));
  std::string const userinfo = error_of([&] { construct("https://user:hunter2@example.com/api/"); });
  EXPECT_THAT(userinfo, HasSubstr("user name or password"));
  EXPECT_THAT(userinfo, Not(HasSubstr("hunter2")));
  EXPECT_THAT(error_of([&] { construct("http://exa mple.com/"); }), HasSubstr("spaces"));
  EXPECT_EQ(error_of([&] { construct("HTTPS://Example.com/api/v1"); }), "(no error)");

  setenv("SMARTER_BASE_URL", "localhost:9357/api/v1/", 1);
  ClientOptions from_env;
  from_env.api_key = kKey;
  EXPECT_THROW(Smarter{from_env}, SmarterError);
  unsetenv("SMARTER_BASE_URL");
}

// ------------------------------------------------------------------ 3. paths

TEST_F(RequestSafetyTest, KindsThatCouldChangeThePathAreRefusedBeforeSending) {
  Smarter client(options());
  for (std::string kind : {"../../../../admin/users", "Plugin?name=other#", "http://cli/x", "Chat bot", ""}) {
    EXPECT_THROW(client.manifests().get(kind), SmarterError) << kind;
    EXPECT_THROW(client.manifests().describe(kind, "x"), SmarterError) << kind;
  }
  EXPECT_EQ(server_.request_count(), 0u);
}

TEST_F(RequestSafetyTest, DotSegmentsAreRefusedAndOtherIdsEncoded) {
  Smarter client(options());
  EXPECT_THROW(client.files().remove(".."), SmarterError);
  EXPECT_THROW(client.files().retrieve("."), SmarterError);
  EXPECT_THROW(client.fine_tuning().jobs().cancel(".."), SmarterError);
  EXPECT_THROW(client.resources().chatbots().prompt("..", "hi"), SmarterError);
  EXPECT_EQ(server_.request_count(), 0u);

  server_.enqueue(FakeResponse::json(200, {{"id", "x"}, {"object", "file"}, {"bytes", 1}, {"created_at", 0},
                                           {"filename", "f"}, {"purpose", "p"}}));
  client.files().retrieve("a/../b?c#d");
  EXPECT_EQ(server_.requests().at(0).target, "/api/v1/files/a%2F..%2Fb%3Fc%23d");
}

TEST_F(RequestSafetyTest, OnlyAnHttpUrlReplacesTheBase) {
  server_.enqueue(FakeResponse::json(200, {}));
  Smarter(options()).request("GET", "x/a://b");
  EXPECT_EQ(server_.requests().at(0).path, "/api/v1/x/a://b");
}

// ------------------------------------------------------------------ 4. request framing

TEST_F(RequestSafetyTest, MethodsHeadersAndKeysCannotInjectIntoTheRequest) {
  Smarter client(options());
  EXPECT_THROW(client.request("GET /x HTTP/1.1\r\n\r\nGET", "p"), SmarterError);
  EXPECT_THROW(client.request("GET\r\nX-Injected: 1", "p"), SmarterError);
  EXPECT_THROW(client.request("", "p"), SmarterError);
  RequestOptions bad_value;
  bad_value.extra_headers = {{"X-Note", std::string("a\0b", 3)}};
  EXPECT_THROW(client.request("GET", "p", nullptr, bad_value), SmarterError);
  bad_value.extra_headers = {{"X-Note", "a\x01" "b"}};
  EXPECT_THROW(client.request("GET", "p", nullptr, bad_value), SmarterError);
  RequestOptions bad_name;
  bad_name.extra_headers = {{"X Note", "x"}};
  EXPECT_THROW(client.request("GET", "p", nullptr, bad_name), SmarterError);
  EXPECT_THROW(client.request("GET", "a b"), SmarterError);
  EXPECT_THROW(client.request("GET", "a\r\nb"), SmarterError);
  EXPECT_EQ(server_.request_count(), 0u);

  ClientOptions nul_key = options();
  nul_key.api_key = std::string("sk-visible\0hidden", 17);
  std::string const message = error_of([&] { Smarter c(nul_key); });
  EXPECT_THAT(message, HasSubstr("control character"));
  EXPECT_THAT(message, Not(HasSubstr("sk-visible")));
  ClientOptions bad_default = options();
  bad_default.default_headers = {{"X-Team", "a\r\nX-Evil: 1"}};
  EXPECT_THROW(Smarter{bad_default}, SmarterError);
}

// ------------------------------------------------------------------ 5. secrets

TEST_F(RequestSafetyTest, ErrorsNeverShowTheKeyWhateverTheServerEchoes) {
  server_.route("*", "/api/v1/.*", [](auto const& request) {
    return FakeResponse::json(400, {{"error", {{"message", "bad auth header: " + request.header("Authorization").value_or("")},
                                               {"echo", request.header("X-Api-Key").value_or("")}}}});
  });
  ClientOptions opts = options();
  opts.default_headers = {{"X-Api-Key", "second-secret-value"}};
  opts.default_query = {{"api_key", "query-secret-value"}, {"page", "2"}};
  try {
    Smarter(opts).request("GET", "thing");
    FAIL() << "expected BadRequestError";
  } catch (BadRequestError const& e) {
    std::string const shown = std::string(e.what()) + e.url() + e.response().body + e.body().dump() + e.response().url;
    for (char const* secret : {kKey, "second-secret-value", "query-secret-value"}) {
      EXPECT_THAT(shown, Not(HasSubstr(secret))) << secret;
    }
    EXPECT_THAT(e.what(), HasSubstr("<redacted>"));
    EXPECT_THAT(e.url(), HasSubstr("page=2"));
    EXPECT_THAT(e.url(), HasSubstr("api_key=<redacted>"));
  }
}

TEST_F(RequestSafetyTest, ShortKeysAreRedactedToo) {
  server_.route("*", "/api/v1/.*", [](auto const& request) {
    return FakeResponse::text(500, "got " + request.header("Authorization").value_or(""));
  });
  ClientOptions opts = options();
  opts.api_key = "k3y";
  opts.max_retries = 0;
  EXPECT_THAT(error_of([&] { Smarter(opts).request("GET", "x"); }), Not(HasSubstr("k3y")));
}

TEST_F(RequestSafetyTest, ConnectionErrorsNeverShowConfiguredSecrets) {
  int const port = [] {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);  // nothing listens there now
    return ntohs(addr.sin_port);
  }();
  ClientOptions opts = options();
  opts.base_url = "http://127.0.0.1:" + std::to_string(port) + "/v1";
  opts.default_query = {{"token", "query-secret-value"}};
  opts.max_retries = 0;
  try {
    Smarter(opts).request("GET", "x");
    FAIL() << "expected APIConnectionError";
  } catch (APIConnectionError const& e) {
    EXPECT_THAT(std::string(e.what()) + e.url() + e.cause(), Not(HasSubstr("query-secret-value")));
    EXPECT_FALSE(e.request_sent());
  }
}

TEST_F(RequestSafetyTest, DebugLogsRedactCredentialsAndSecrets) {
  FakeResponse answer = FakeResponse::json(200, {{"echo", kKey}});
  answer.headers.emplace_back("Set-Cookie", "session=server-cookie");
  server_.enqueue(answer);
  std::mutex mutex;
  std::string log;
  ClientOptions opts = options();
  opts.log_level = LogLevel::debug;
  opts.log_handler = [&](LogLevel, std::string_view line) {
    std::lock_guard<std::mutex> lock(mutex);
    log.append(line).append("\n");
  };
  opts.default_headers = {{"Proxy-Authorization", "Basic cHJveHk6c2VjcmV0"}, {"X-Session-Token", "tok-123"}};
  opts.default_query = {{"access_token", "query-secret-value"}};
  Smarter(opts).request("GET", "x");
  for (char const* secret : {kKey, "cHJveHk6c2VjcmV0", "tok-123", "query-secret-value", "server-cookie"}) {
    EXPECT_THAT(log, Not(HasSubstr(secret))) << secret;
  }
  EXPECT_THAT(log, HasSubstr("Set-Cookie: <redacted>"));
  EXPECT_THAT(log, HasSubstr("Proxy-Authorization: <redacted>"));
}

TEST_F(RequestSafetyTest, StreamErrorsNeverShowTheKey) {
  server_.route("POST", "/api/v1/chat/completions", [](auto const& request) {
    FakeResponse response;
    response.headers.emplace_back("Content-Type", "text/event-stream");
    response.body = "data: {\"error\":{\"message\":\"saw " + request.header("Authorization").value_or("") + "\"}}\n\n";
    return response;
  });
  ClientOptions opts = options();
  opts.auth_scheme = AuthScheme::bearer;
  ChatCompletionCreateParams params;
  params.model = "m";
  params.messages = {ChatMessage::user("hi")};
  auto stream = Smarter(opts).chat().completions().create_stream(params);
  try {
    for (auto const& chunk : stream) (void)chunk;
    FAIL() << "expected APIStreamError";
  } catch (APIStreamError const& e) {
    EXPECT_THAT(std::string(e.what()) + e.error().dump(), Not(HasSubstr(kKey)));
  }
}

// ------------------------------------------------------------------ 6, 7. what the client sends about itself

TEST_F(RequestSafetyTest, DefaultClientIdRevealsNeitherHostNorHardwareAndIsEncodedOnce) {
  std::string const id = detail::machine_client_id();
  ASSERT_EQ(id.size(), 32u);
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(detail::machine_client_id(), id);
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  EXPECT_THAT(id, Not(HasSubstr(host)));

  install_platform();
  ClientOptions opts = options();
  Smarter(opts).resources().chatbots().prompt(smarter::testkit::kDemoChatbotName, "Hello");
  auto prompt = server_.requests().back();
  EXPECT_EQ(prompt.param("uid"), id);
  EXPECT_EQ(prompt.query.find('%'), std::string::npos) << prompt.query;

  opts.client_uid = "my-own-id";
  Smarter(opts).resources().chatbots().prompt(smarter::testkit::kDemoChatbotName, "Hello");
  EXPECT_EQ(server_.requests().back().param("uid"), "my-own-id");
}

TEST_F(RequestSafetyTest, IdempotencyKeysDifferAcrossFork) {
  std::string const before = detail::uuid4();
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  pid_t const child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    std::string const key = detail::uuid4();
    (void)!::write(pipe_fds[1], key.data(), key.size());
    ::_exit(0);
  }
  ::close(pipe_fds[1]);
  char buffer[64] = {};
  ssize_t const n = ::read(pipe_fds[0], buffer, sizeof buffer);
  ::close(pipe_fds[0]);
  ::waitpid(child, nullptr, 0);
  std::string const in_child(buffer, static_cast<std::size_t>(std::max<ssize_t>(0, n)));
  std::string const in_parent = detail::uuid4();
  EXPECT_EQ(in_child.size(), 36u);
  EXPECT_NE(in_child, in_parent) << "a forked child must not repeat its parent's keys";
  EXPECT_NE(before, in_parent);
  std::set<std::string> keys;
  for (int i = 0; i < 10000; ++i) keys.insert(detail::uuid4());
  EXPECT_EQ(keys.size(), 10000u);
  for (auto const& key : keys) {
    ASSERT_EQ(key[14], '4');
    ASSERT_NE(std::string("89ab").find(key[19]), std::string::npos);
  }
}

// ------------------------------------------------------------------ 8. failures inside a 2xx body

TEST_F(RequestSafetyTest, FailureInsideASuccessBodyIsRetriedForIdempotentCalls) {
  FakeResponse truncated = FakeResponse::json(200, {{"partial", true}, {"pad", std::string(5000, 'x')}});
  truncated.truncate_body = true;
  server_.enqueue(truncated);
  server_.enqueue(FakeResponse::json(200, {{"whole", true}}));
  RawResponse response = Smarter(options()).request("GET", "item");
  EXPECT_EQ(response.json()["whole"], true);
  EXPECT_EQ(response.retries_taken, 1);

  FakeResponse stalled = FakeResponse::json(200, {{"pad", std::string(5000, 'x')}});
  stalled.stall_after_bytes = 100;
  stalled.stall_for = milliseconds(2000);
  server_.enqueue(stalled);
  server_.enqueue(FakeResponse::json(200, {{"whole", true}}));
  RequestOptions quick;
  quick.timeout = Timeout(5.0).with_read(0.3);
  EXPECT_EQ(Smarter(options()).request("GET", "item", nullptr, quick).retries_taken, 1);
}

// ------------------------------------------------------------------ 9. idempotency

TEST_F(RequestSafetyTest, APromptIsNeverSentTwiceOnceItMayHaveArrived) {
  install_platform();
  FakeResponse dropped;
  dropped.drop_connection = true;  // the server read the whole request, then the connection died
  server_.enqueue(dropped);
  Smarter client(options());
  try {
    client.resources().chatbots().prompt(smarter::testkit::kDemoChatbotName, "Hello");
    FAIL() << "expected APIConnectionError";
  } catch (APIConnectionError const& e) {
    EXPECT_TRUE(e.request_sent());
  }
  EXPECT_EQ(requests_to("/cli/chat/"), 1u);

  server_.clear_requests();
  FakeResponse busy = FakeResponse::json(503, {{"error", "busy"}});
  server_.enqueue(busy);
  EXPECT_THROW(client.resources().chatbots().prompt(smarter::testkit::kDemoChatbotName, "Hello"), InternalServerError);
  EXPECT_EQ(requests_to("/cli/chat/"), 1u);

  server_.clear_requests();
  FakeResponse slow = FakeResponse::json(200, {});
  slow.delay = milliseconds(1500);
  server_.enqueue(slow);
  RequestOptions quick;
  quick.timeout = Timeout(0.3);
  EXPECT_THROW(client.resources().chatbots().prompt(smarter::testkit::kDemoChatbotName, "Hello", {}, quick),
               APITimeoutError);
  EXPECT_EQ(requests_to("/cli/chat/"), 1u);
}

TEST_F(RequestSafetyTest, APromptIsRetriedWhenTheServerAsksOrTheCallerAllows) {
  install_platform();
  Smarter client(options());
  FakeResponse asked = FakeResponse::json(503, {{"error", "busy"}});
  asked.headers.emplace_back("x-should-retry", "true");
  server_.enqueue(asked);
  EXPECT_EQ(client.resources().chatbots().prompt(smarter::testkit::kDemoChatbotName, "Hello, World!").answer,
            smarter::testkit::kDemoHelloAnswer);
  EXPECT_EQ(requests_to("/cli/chat/"), 2u);

  server_.clear_requests();
  server_.enqueue(FakeResponse::json(503, {{"error", "busy"}}));
  RequestOptions allow;
  allow.idempotent = true;
  client.resources().chatbots().prompt(smarter::testkit::kDemoChatbotName, "Hello", {}, allow);
  EXPECT_EQ(requests_to("/cli/chat/"), 2u);
}

TEST_F(RequestSafetyTest, ReadsAndDescribesKeepRetrying) {
  install_platform();
  server_.enqueue(FakeResponse::json(503, {{"error", "busy"}}));
  Smarter client(options());
  EXPECT_EQ(client.whoami().user.username, smarter::testkit::kFakeUsername);
  EXPECT_EQ(requests_to("/cli/whoami/"), 2u);
}

TEST_F(RequestSafetyTest, NonIdempotentCallsAreRetriedWhenTheyNeverLeft) {
  ClientOptions opts = options();
  opts.base_url = "http://127.0.0.1:1/api/v1";  // nothing listens on port 1
  opts.max_retries = 2;
  int retries = 0;
  opts.log_level = LogLevel::info;
  opts.log_handler = [&](LogLevel, std::string_view line) { retries += line.find("retrying") != std::string_view::npos; };
  try {
    Smarter(opts).resources().chatbots().prompt("bot", "Hello");
    FAIL() << "expected APIConnectionError";
  } catch (APIConnectionError const& e) {
    EXPECT_FALSE(e.request_sent());
  }
  EXPECT_EQ(retries, 2);
}

TEST_F(RequestSafetyTest, LibcurlsOwnResendOnADeadReusedConnectionOnlyHappensWhenSafe) {
  // The second request reuses the first one's connection; the server reads it and closes
  // without a byte of response. libcurl would send it again on a new connection by itself.
  FakeResponse dropped;
  dropped.drop_connection = true;
  RequestOptions once;
  once.max_retries = 0;

  server_.enqueue(FakeResponse::json(200, {{"n", 1}}));
  server_.enqueue(dropped);
  server_.enqueue(FakeResponse::json(200, {{"n", 3}}));
  Smarter client(options());
  client.request("GET", "warm", nullptr, once);
  EXPECT_EQ(client.request("GET", "read", nullptr, once).json()["n"], 3);  // a GET may go again
  EXPECT_EQ(server_.request_count(), 3u);

  server_.clear_requests();
  server_.enqueue(FakeResponse::json(200, {{"n", 1}}));
  server_.enqueue(dropped);
  server_.enqueue(FakeResponse::json(200, {{"n", 3}}));
  client.request("GET", "warm", nullptr, once);
  EXPECT_THROW(client.request("POST", "cli/apply/", nlohmann::json{{"kind", "Chatbot"}}, once), APIConnectionError);
  EXPECT_EQ(server_.request_count(), 2u) << "a non-idempotent request must not be re-sent";
  server_.clear_queue();
}

// ------------------------------------------------------------------ 10. deadline

TEST_F(RequestSafetyTest, TheDeadlineBoundsAWholeStream) {
  for (double timeout : {0.5, 3.0}) {
    std::vector<BodyChunk> keep_alive;
    for (int i = 0; i < 40; ++i) keep_alive.push_back({": keep-alive\n\n", milliseconds(100)});
    FakeResponse stream;
    stream.headers.emplace_back("Content-Type", "text/event-stream");
    stream.chunks = std::move(keep_alive);
    server_.enqueue(stream);
    ClientOptions opts = options();
    opts.auth_scheme = AuthScheme::bearer;
    opts.timeout = Timeout(timeout);
    opts.deadline = 1.0;
    ChatCompletionCreateParams params;
    params.model = "m";
    params.messages = {ChatMessage::user("hi")};
    auto started = std::chrono::steady_clock::now();
    auto events = Smarter(opts).chat().completions().create_stream(params);
    try {
      for (auto const& chunk : events) (void)chunk;
      FAIL() << "expected APITimeoutError";
    } catch (APITimeoutError const& e) {
      EXPECT_EQ(e.kind(), TimeoutKind::deadline) << timeout << ": " << e.what();
    }
    std::printf("timeout %.1f s: stream stopped after %.2f s\n", timeout,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    server_.clear_queue();
  }
}

// ------------------------------------------------------------------ 11. fork

TEST_F(RequestSafetyTest, AForkedChildNeverUsesItsParentsConnections) {
  server_.route("GET", "/api/v1/echo/([0-9]+)", [](auto const& request) {
    return FakeResponse::json(200, {{"n", std::stoi(request.path_groups.at(1))}});
  });
  Smarter client(options());
  ASSERT_EQ(client.request("GET", "echo/0").json()["n"], 0);  // a warm keep-alive connection
  pid_t const child = ::fork();
  ASSERT_GE(child, 0);
  int const base = child == 0 ? 1000 : 2000;
  int wrong = 0;
  for (int i = 1; i <= 50; ++i) {
    try {
      if (client.request("GET", "echo/" + std::to_string(base + i)).json()["n"] != base + i) ++wrong;
    } catch (std::exception const&) {
      ++wrong;
    }
  }
  if (child == 0) ::_exit(wrong == 0 ? 0 : 1);
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_EQ(wrong, 0) << "the parent got answers meant for the child";
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "the child got answers meant for the parent";
  std::set<std::string> child_connections;
  std::set<std::string> parent_connections;
  for (auto const& request : server_.requests()) {
    int const n = std::stoi(request.path.substr(request.path.rfind('/') + 1));
    (n >= 1000 && n < 2000 ? child_connections : parent_connections).insert(request.connection_id);
  }
  for (auto const& id : child_connections) EXPECT_EQ(parent_connections.count(id), 0u) << id;
}

}  // namespace
}  // namespace smarter

// The redirect policy over real HTTP: where a redirected request may go, what it carries there,
// and how its method and body change (RFC 9110 15.4).
#include <smarter/client.hpp>
#include <smarter/errors.hpp>

#include <cstdlib>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <smarter/testkit/fake_server.hpp>

namespace smarter {
namespace {

using smarter::testkit::FakeResponse;
using smarter::testkit::FakeServer;
using ::testing::HasSubstr;

constexpr char kKey[] = "sk-redirect-0123456789";

FakeResponse redirect(int status, std::string const& location) {
  FakeResponse response = FakeResponse::text(status, "moved");
  response.headers.emplace_back("Location", location);
  return response;
}

class RedirectTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (char const* name : {"SMARTER_API_KEY", "SMARTER_BASE_URL", "SMARTER_ENVIRONMENT", "SMARTER_LOG"}) {
      unsetenv(name);
    }
  }

  ClientOptions options() const {
    ClientOptions options;
    options.api_key = kKey;
    options.base_url = origin_.url() + "api/v1";
    options.retry.initial_delay = 0.01;
    options.retry.max_delay = 0.02;
    return options;
  }

  /// The same server under another name: another origin, same process.
  std::string other_origin(FakeServer const& server, std::string const& path) const {
    return "http://localhost:" + std::to_string(server.port()) + path;
  }

  FakeServer origin_;
};

TEST_F(RedirectTest, SameOriginKeepsCredentialsAndCallerHeaders) {
  origin_.enqueue(redirect(302, "/api/v1/moved"));
  origin_.enqueue(FakeResponse::json(200, {{"ok", true}}));
  ClientOptions opts = options();
  opts.default_headers = {{"X-Api-Key", "secondary-secret"}};
  RawResponse response = Smarter(opts).request("GET", "start");
  EXPECT_EQ(response.status_code, 200);
  EXPECT_EQ(response.url, origin_.url() + "api/v1/moved");
  auto moved = origin_.requests().at(1);
  EXPECT_EQ(moved.path, "/api/v1/moved");
  EXPECT_EQ(moved.header("Authorization"), std::string("Token ") + kKey);
  EXPECT_EQ(moved.header("X-Api-Key"), "secondary-secret");
}

TEST_F(RedirectTest, AnotherOriginGetsNoCredentialsAndNoCallerHeaders) {
  FakeServer elsewhere;
  elsewhere.enqueue(FakeResponse::json(200, {{"where", "elsewhere"}}));
  origin_.enqueue(redirect(307, other_origin(elsewhere, "/landing")));
  ClientOptions opts = options();
  opts.default_headers = {{"X-Api-Key", "secondary-secret"}, {"Cookie", "session=abc"}};
  RequestOptions call;
  call.extra_headers = {{"X-Trace-Secret", "per-call"}};
  EXPECT_EQ(Smarter(opts).request("GET", "start", nullptr, call).json()["where"], "elsewhere");
  auto landed = elsewhere.requests().at(0);
  EXPECT_EQ(landed.path, "/landing");
  EXPECT_FALSE(landed.header("Authorization"));
  EXPECT_FALSE(landed.header("X-Api-Key"));
  EXPECT_FALSE(landed.header("Cookie"));
  EXPECT_FALSE(landed.header("X-Trace-Secret"));
  EXPECT_TRUE(landed.header("User-Agent"));  // the SDK's own headers still go
}

TEST_F(RedirectTest, OnlyHttpAndHttpsTargetsAreFollowed) {
  origin_.enqueue(redirect(302, "ftp://127.0.0.1:" + std::to_string(origin_.port()) + "/etc/passwd"));
  try {
    Smarter(options()).request("GET", "start");
    FAIL() << "expected APIStatusError";
  } catch (APIStatusError const& e) {
    EXPECT_EQ(e.status_code(), 302);
    EXPECT_THAT(e.what(), HasSubstr("only http and https are followed"));
  }
  EXPECT_EQ(origin_.request_count(), 1u);
}

TEST_F(RedirectTest, SeeOtherTurnsAnyMethodIntoGetWithoutBody) {
  for (char const* method : {"POST", "PUT", "DELETE", "PATCH"}) {
    origin_.clear_requests();
    origin_.enqueue(redirect(303, "/api/v1/result"));
    origin_.enqueue(FakeResponse::json(200, {{"ok", true}}));
    RequestOptions call;
    call.idempotent = true;
    Smarter(options()).request(method, "start", nlohmann::json{{"payload", 1}}, call);
    auto requests = origin_.requests();
    ASSERT_EQ(requests.size(), 2u) << method;
    EXPECT_EQ(requests[0].method, method);
    EXPECT_EQ(requests[1].method, "GET") << method;
    EXPECT_TRUE(requests[1].body.empty()) << method;
    EXPECT_FALSE(requests[1].header("Content-Type")) << method;
  }
}

TEST_F(RedirectTest, PostBecomesGetOn301And302) {
  for (int status : {301, 302}) {
    origin_.clear_requests();
    origin_.enqueue(redirect(status, "/api/v1/result"));
    origin_.enqueue(FakeResponse::json(200, {{"ok", true}}));
    Smarter(options()).request("POST", "start", nlohmann::json{{"payload", 1}});
    auto requests = origin_.requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(requests[1].method, "GET") << status;
    EXPECT_TRUE(requests[1].body.empty()) << status;
  }
}

TEST_F(RedirectTest, PutAndDeleteKeepMethodAndBodyOnTheSameOrigin) {
  for (int status : {301, 302, 307, 308}) {
    for (char const* method : {"PUT", "DELETE"}) {
      origin_.clear_requests();
      origin_.enqueue(redirect(status, "/api/v1/there"));
      origin_.enqueue(FakeResponse::json(200, {{"ok", true}}));
      Smarter(options()).request(method, "here", nlohmann::json{{"payload", status}});
      auto requests = origin_.requests();
      ASSERT_EQ(requests.size(), 2u);
      EXPECT_EQ(requests[1].method, method) << status;
      EXPECT_EQ(requests[1].path, "/api/v1/there") << status;
      EXPECT_EQ(requests[1].json(), nlohmann::json({{"payload", status}})) << status << " " << method;
    }
  }
}

TEST_F(RedirectTest, BodyIsNeverSentToAnotherOrigin) {
  FakeServer elsewhere;
  for (int status : {307, 308}) {
    origin_.clear_requests();
    origin_.enqueue(redirect(status, other_origin(elsewhere, "/collect")));
    try {
      Smarter(options()).request("POST", "start", nlohmann::json{{"secret", "body"}});
      FAIL() << "expected APIStatusError";
    } catch (APIStatusError const& e) {
      EXPECT_EQ(e.status_code(), status);
      EXPECT_THAT(e.what(), HasSubstr("to another origin would send POST and its body"));
    }
  }
  EXPECT_EQ(elsewhere.request_count(), 0u);
}

TEST_F(RedirectTest, TooManyRedirectsIsOneCallNotARetryStorm) {
  origin_.route("GET", "/api/v1/loop", [this](auto const&) { return redirect(302, origin_.url() + "api/v1/loop"); });
  ClientOptions opts = options();
  opts.max_retries = 2;
  opts.max_redirects = 4;
  try {
    Smarter(opts).request("GET", "loop");
    FAIL() << "expected APIStatusError";
  } catch (APIStatusError const& e) {
    EXPECT_EQ(e.status_code(), 302);
    EXPECT_THAT(e.what(), HasSubstr("more than 4 redirects"));
  }
  EXPECT_EQ(origin_.request_count(), 5u);  // the request and 4 redirects; no retries
}

TEST_F(RedirectTest, RedirectsCanBeTurnedOff) {
  origin_.enqueue(redirect(302, "/api/v1/elsewhere"));
  origin_.enqueue(redirect(302, "/api/v1/elsewhere"));
  origin_.enqueue(FakeResponse::json(200, {{"followed", true}}));
  ClientOptions opts = options();
  opts.follow_redirects = false;
  try {
    Smarter(opts).request("GET", "start");
    FAIL() << "expected APIStatusError";
  } catch (APIStatusError const& e) {
    EXPECT_EQ(e.status_code(), 302);
    EXPECT_EQ(e.response().headers.get("Location"), "/api/v1/elsewhere");
  }
  RequestOptions call;
  call.follow_redirects = false;
  EXPECT_THROW(Smarter(options()).request("GET", "start", nullptr, call), APIStatusError);
  EXPECT_EQ(Smarter(options()).request("GET", "start").json()["followed"], true);
}

}  // namespace
}  // namespace smarter

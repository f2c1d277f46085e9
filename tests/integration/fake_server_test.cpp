// FakeServer's own behaviour: answer order, routes, the log and a bounded stop.
#include <smarter/errors.hpp>
#include <smarter/http/curl_transport.hpp>
#include <smarter/testkit/fake_server.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <thread>

namespace {

using namespace std::chrono_literals;
using smarter::http::CurlTransport;
using smarter::http::HttpRequest;
using smarter::testkit::FakeResponse;
using smarter::testkit::FakeServer;
using smarter::testkit::RecordedRequest;
using Clock = std::chrono::steady_clock;

HttpRequest get(FakeServer const& server, std::string const& path) {
  HttpRequest r;
  r.url = server.url() + path;
  r.limits.total = 5s;
  return r;
}

TEST(FakeServer, UrlAndPortDescribeTheListener) {
  FakeServer server;
  EXPECT_GT(server.port(), 0);
  EXPECT_EQ(server.host(), "127.0.0.1");
  EXPECT_EQ(server.url(), "http://127.0.0.1:" + std::to_string(server.port()) + "/");
}

TEST(FakeServer, ScriptedResponsesComeFirstThenRoutesThen404) {
  FakeServer server;
  CurlTransport transport;
  server.route("GET", "/a", [](RecordedRequest const&) { return FakeResponse::text(200, "route"); });
  server.enqueue(FakeResponse::text(201, "scripted-1"));
  server.enqueue(FakeResponse::text(202, "scripted-2"));
  EXPECT_EQ(server.pending_responses(), 2u);

  auto first = transport.send(get(server, "anything"));
  EXPECT_EQ(first.status_code, 201);
  EXPECT_EQ(first.read_all(), "scripted-1");
  auto second = transport.send(get(server, "a"));
  EXPECT_EQ(second.status_code, 202);
  EXPECT_EQ(second.read_all(), "scripted-2");
  EXPECT_EQ(server.pending_responses(), 0u);
  auto third = transport.send(get(server, "a"));
  EXPECT_EQ(third.read_all(), "route");
  auto missing = transport.send(get(server, "b"));
  EXPECT_EQ(missing.status_code, 404);
  auto body = nlohmann::json::parse(missing.read_all());
  EXPECT_EQ(body["error"]["message"], "no route");
  EXPECT_EQ(body["error"]["path"], "/b");
}

TEST(FakeServer, MostRecentMatchingRouteWinsAndGroupsAreCaptured) {
  FakeServer server;
  CurlTransport transport;
  server.route("*", "/items/(.*)", [](RecordedRequest const&) { return FakeResponse::text(200, "generic"); });
  server.route("GET", "/items/([0-9]+)", [](RecordedRequest const& r) {
    return FakeResponse::text(200, "item " + r.path_groups.at(1) + " q=" + r.param("q").value_or("-"));
  });
  EXPECT_EQ(transport.send(get(server, "items/42?q=a%20b")).read_all(), "item 42 q=a b");
  EXPECT_EQ(transport.send(get(server, "items/x")).read_all(), "generic");
  HttpRequest del = get(server, "items/42");
  del.method = "DELETE";
  EXPECT_EQ(transport.send(del).read_all(), "generic");
}

TEST(FakeServer, HandlerExceptionBecomes500) {
  FakeServer server;
  CurlTransport transport;
  server.route("GET", "/boom", [](RecordedRequest const&) -> FakeResponse { throw std::runtime_error("kaput"); });
  auto response = transport.send(get(server, "boom"));
  EXPECT_EQ(response.status_code, 500);
  EXPECT_NE(response.read_all().find("kaput"), std::string::npos);
  EXPECT_EQ(server.request_count(), 1u);
}

TEST(FakeServer, LogsRequestsAndCanForgetThem) {
  FakeServer server;
  CurlTransport transport;
  HttpRequest post = get(server, "log?x=1&x=2&y");
  post.method = "POST";
  post.body = R"({"a":1})";
  post.headers.set("Content-Type", "application/json");
  post.headers.set("X-Custom", "v");
  transport.send(post).read_all();

  auto log = server.requests();
  ASSERT_EQ(log.size(), 1u);
  RecordedRequest const& rec = log[0];
  EXPECT_EQ(rec.method, "POST");
  EXPECT_EQ(rec.path, "/log");
  EXPECT_EQ(rec.target, "/log?x=1&x=2&y");
  ASSERT_EQ(rec.params.size(), 3u);
  EXPECT_EQ(rec.params[1], (std::pair<std::string, std::string>("x", "2")));
  EXPECT_EQ(rec.params[2].first, "y");
  EXPECT_EQ(rec.header("x-custom"), "v");
  EXPECT_EQ(rec.json()["a"], 1);
  EXPECT_EQ(rec.body_size, 7u);
  EXPECT_FALSE(rec.connection_id.empty());
  EXPECT_GT(rec.remote_port, 0);

  server.clear_requests();
  EXPECT_EQ(server.request_count(), 0u);
  EXPECT_EQ(server.connection_count(), 0u);
}

TEST(FakeServer, StopIsQuickWithAnIdleKeepAliveClient) {
  auto server = std::make_unique<FakeServer>();
  CurlTransport transport;  // keeps its connection open after the request
  server->enqueue(FakeResponse::text(200, "x"));
  EXPECT_EQ(transport.send(get(*server, "x")).read_all(), "x");
  auto const start = Clock::now();
  server.reset();
  EXPECT_LT(Clock::now() - start, 1s);
}

TEST(FakeServer, StopCutsScriptedDelaysShort) {
  auto server = std::make_unique<FakeServer>();
  FakeResponse slow = FakeResponse::text(200, "late");
  slow.delay = 5s;
  server->enqueue(slow);
  HttpRequest request = get(*server, "slow");
  std::thread client([request] {
    CurlTransport transport;
    EXPECT_THROW(transport.send(request).read_all(), smarter::APIConnectionError);
  });
  // Wait (bounded) until the request is in, then stop while it is being delayed.
  for (int i = 0; i < 200 && server->request_count() == 0; ++i) std::this_thread::sleep_for(5ms);
  ASSERT_EQ(server->request_count(), 1u);
  auto const start = Clock::now();
  server.reset();
  EXPECT_LT(Clock::now() - start, 1s);
  client.join();
}

}  // namespace

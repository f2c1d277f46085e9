// Headers, StringBody and FunctionTransport: no network.
#include <smarter/errors.hpp>
#include <smarter/http/headers.hpp>
#include <smarter/http/response.hpp>
#include <smarter/http/transport.hpp>

#include <gtest/gtest.h>

namespace {

using smarter::http::Headers;
using smarter::http::header_name_equals;

TEST(HeaderNameEquals, IgnoresAsciiCaseOnly) {
  EXPECT_TRUE(header_name_equals("Content-Type", "content-type"));
  EXPECT_TRUE(header_name_equals("X-API-KEY", "x-api-key"));
  EXPECT_FALSE(header_name_equals("Content-Type", "Content-Typ"));
  EXPECT_FALSE(header_name_equals("a-b", "a_b"));
  EXPECT_TRUE(header_name_equals("", ""));
}

TEST(Headers, GetAndContainsAreCaseInsensitive) {
  Headers h{{"Content-Type", "application/json"}, {"X-Id", "1"}};
  EXPECT_EQ(h.size(), 2u);
  EXPECT_EQ(h.get("content-type"), "application/json");
  EXPECT_TRUE(h.contains("X-ID"));
  EXPECT_FALSE(h.contains("Accept"));
  EXPECT_EQ(h.get("Accept"), std::nullopt);
}

TEST(Headers, AddKeepsDuplicatesInOrder) {
  Headers h;
  h.add("Set-Cookie", "a=1");
  h.add("set-cookie", "b=2");
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h.get("SET-COOKIE"), "a=1");
  EXPECT_EQ(h.begin()->second, "a=1");
  EXPECT_EQ((h.begin() + 1)->second, "b=2");
}

TEST(Headers, SetReplacesAllOccurrencesAtTheFirstPosition) {
  Headers h{{"A", "1"}, {"x-dup", "1"}, {"B", "2"}, {"X-Dup", "2"}};
  h.set("X-DUP", "3");
  ASSERT_EQ(h.size(), 3u);
  EXPECT_EQ((h.begin() + 1)->first, "X-DUP");
  EXPECT_EQ((h.begin() + 1)->second, "3");
  EXPECT_EQ(h.get("x-dup"), "3");
  h.set("New", "");
  EXPECT_EQ(h.get("new"), "");
  EXPECT_EQ(h.size(), 4u);
}

TEST(Headers, RemoveDropsEveryOccurrence) {
  Headers h{{"A", "1"}, {"a", "2"}, {"B", "3"}};
  h.remove("A");
  EXPECT_EQ(h.size(), 1u);
  EXPECT_FALSE(h.contains("a"));
  h.remove("missing");
  EXPECT_EQ(h.size(), 1u);
  h.remove("b");
  EXPECT_TRUE(h.empty());
}

TEST(StringBody, ReadsInPiecesThenEnds) {
  smarter::http::StringBody body("hello world");
  char buf[4];
  EXPECT_EQ(body.read(buf, 4), 4u);
  EXPECT_EQ(std::string(buf, 4), "hell");
  std::string rest;
  for (std::size_t n; (n = body.read(buf, sizeof buf)) > 0;) rest.append(buf, n);
  EXPECT_EQ(rest, "o world");
  EXPECT_EQ(body.read(buf, 4), 0u);
}

TEST(StringBody, CloseEndsTheBody) {
  smarter::http::StringBody body("abc");
  body.close();
  char buf[4];
  EXPECT_EQ(body.read(buf, 4), 0u);
}

TEST(ResponseReadAll, ReadsEverythingOrThrowsPastTheLimit) {
  smarter::http::HttpResponse r;
  r.body = std::make_unique<smarter::http::StringBody>(std::string(100000, 'x'));
  EXPECT_EQ(r.read_all().size(), 100000u);

  smarter::http::HttpResponse limited;
  limited.body = std::make_unique<smarter::http::StringBody>(std::string(100, 'x'));
  EXPECT_EQ(limited.read_all(100).size(), 100u);

  smarter::http::HttpResponse over;
  over.body = std::make_unique<smarter::http::StringBody>(std::string(101, 'x'));
  EXPECT_THROW(over.read_all(100), smarter::SmarterError);
}

TEST(FunctionTransport, CallsTheHandler) {
  smarter::http::FunctionTransport transport([](smarter::http::HttpRequest const& request) {
    smarter::http::HttpResponse r;
    r.status_code = 299;
    r.headers.set("X-Method", request.method);
    r.body = std::make_unique<smarter::http::StringBody>(request.url);
    return r;
  });
  smarter::http::HttpRequest request;
  request.method = "PATCH";
  request.url = "http://example.invalid/x";
  auto response = transport.send(request);
  EXPECT_EQ(response.status_code, 299);
  EXPECT_EQ(response.headers.get("x-method"), "PATCH");
  EXPECT_EQ(response.read_all(), "http://example.invalid/x");
}

}  // namespace

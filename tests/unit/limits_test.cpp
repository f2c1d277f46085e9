// Bounds on what a server can make the client do, checked on the pure pieces (no sockets).
#include <chrono>
#include <cmath>
#include <limits>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <smarter/client.hpp>
#include <smarter/detail/decode.hpp>
#include <smarter/detail/retry.hpp>
#include <smarter/errors.hpp>
#include <smarter/resources/chat.hpp>
#include <smarter/streaming.hpp>
#include <smarter/types/chat.hpp>

#include "http/header_parser.hpp"
#include "json_parse.hpp"

namespace smarter {
namespace {

using ::testing::HasSubstr;
using Line = http::detail::HeaderBlockParser::Line;

// ------------------------------------------------------------------ header blocks

TEST(HeaderBlockParserTest, ReadsABlockAndEndsAtTheBlankLine) {
  http::detail::HeaderBlockParser parser(1024);
  EXPECT_EQ(parser.feed("HTTP/1.1 200 OK\r\n"), Line::status);
  EXPECT_EQ(parser.feed("Content-Type: application/json\r\n"), Line::header);
  EXPECT_EQ(parser.feed("X-Empty:\r\n"), Line::header);
  EXPECT_EQ(parser.feed("\r\n"), Line::end_of_block);
  http::Headers headers = parser.take_block();
  EXPECT_EQ(headers.get("content-type"), "application/json");
  EXPECT_EQ(headers.get("X-Empty"), "");
  EXPECT_FALSE(parser.in_block());
}

TEST(HeaderBlockParserTest, AStatusLookAlikeInsideABlockIsNotAStatusLine) {
  http::detail::HeaderBlockParser parser(1024);
  EXPECT_EQ(parser.feed("HTTP/1.1 500 Oops\r\n"), Line::status);
  EXPECT_EQ(parser.feed("HTTP/1.1 200: x\r\n"), Line::ignored);  // "HTTP/1.1 200" is not a token
  EXPECT_EQ(parser.feed("\r\n"), Line::end_of_block);
  EXPECT_EQ(parser.take_block().size(), 0u);
}

TEST(HeaderBlockParserTest, FoldedLinesContinueThePreviousHeaderOnly) {
  http::detail::HeaderBlockParser parser(1 << 20);
  parser.feed("HTTP/1.1 200 OK\r\n");
  parser.feed("Set-Cookie: a=1\r\n");
  parser.feed("Set-Cookie: b=2\r\n");
  EXPECT_EQ(parser.feed("\t ; Path=/\r\n"), Line::header);
  parser.feed("\r\n");
  http::Headers headers = parser.take_block();
  ASSERT_EQ(headers.size(), 2u);
  EXPECT_EQ((headers.begin() + 0)->second, "a=1");
  EXPECT_EQ((headers.begin() + 1)->second, "b=2 ; Path=/");
}

TEST(HeaderBlockParserTest, ManyFoldedLinesStayLinear) {
  // 100,000 continuation lines: quadratic work would take minutes here.
  http::detail::HeaderBlockParser parser(std::size_t(8) << 20);
  parser.feed("HTTP/1.1 200 OK\r\n");
  parser.feed("X-Long: v\r\n");
  for (int i = 0; i < 100000; ++i) ASSERT_EQ(parser.feed(" w\r\n"), Line::header);
  parser.feed("\r\n");
  EXPECT_EQ(parser.take_block().get("X-Long")->size(), 1u + 100000u * 2u);
}

TEST(HeaderBlockParserTest, StrayLinesAreIgnored) {
  http::detail::HeaderBlockParser parser(1024);
  EXPECT_EQ(parser.feed("\r\n"), Line::ignored);  // before any status line
  parser.feed("HTTP/1.1 200 OK\r\n");
  EXPECT_EQ(parser.feed(" leading continuation\r\n"), Line::ignored);
  EXPECT_EQ(parser.feed("no colon here\r\n"), Line::ignored);
  EXPECT_EQ(parser.feed("bad name: x\r\n"), Line::ignored);
  EXPECT_EQ(parser.feed(": no name\r\n"), Line::ignored);
}

TEST(HeaderBlockParserTest, TheByteBudgetCoversEveryBlock) {
  http::detail::HeaderBlockParser parser(42);
  EXPECT_EQ(parser.feed("HTTP/1.1 100 Continue\r\n"), Line::status);  // 23 bytes
  EXPECT_EQ(parser.feed("\r\n"), Line::end_of_block);
  parser.discard_block();
  EXPECT_EQ(parser.feed("HTTP/1.1 200 OK\r\n"), Line::status);  // 42 in all
  EXPECT_EQ(parser.feed("X: 1\r\n"), Line::too_large);
  EXPECT_EQ(parser.feed("\r\n"), Line::too_large);
}

TEST(HeaderBlockParserTest, TokensFollowRfc9110) {
  EXPECT_TRUE(http::detail::is_token("X-Request-Id"));
  EXPECT_TRUE(http::detail::is_token("!#$%&'*+-.^_`|~09azAZ"));
  EXPECT_FALSE(http::detail::is_token(""));
  EXPECT_FALSE(http::detail::is_token("a b"));
  EXPECT_FALSE(http::detail::is_token("a:b"));
  EXPECT_FALSE(http::detail::is_token("a\r\n"));
  EXPECT_FALSE(http::detail::is_token(std::string("a\0b", 3)));
  EXPECT_FALSE(http::detail::is_token("(x)"));
}

// ------------------------------------------------------------------ JSON nesting

TEST(JsonParseTest, RefusesNestingPastTheLimitWithoutBuildingIt) {
  std::string const deep = std::string(200000, '[') + std::string(200000, ']');
  detail::JsonParse parsed = detail::parse_json(deep, 512);
  EXPECT_EQ(parsed.failure, detail::JsonParse::Failure::too_deep);
  EXPECT_THAT(parsed.message, HasSubstr("deeper than 512"));
  EXPECT_TRUE(parsed.value.is_null());
}

TEST(JsonParseTest, AcceptsNestingUpToTheLimit) {
  std::string const text = std::string(512, '[') + std::string(512, ']');
  EXPECT_TRUE(detail::parse_json(text, 512));
  EXPECT_FALSE(detail::parse_json("[" + text + "]", 512));
  std::string objects;
  for (int i = 0; i < 513; ++i) objects += R"({"a":)";
  objects += "1" + std::string(513, '}');
  EXPECT_EQ(detail::parse_json(objects, 512).failure, detail::JsonParse::Failure::too_deep);
}

TEST(JsonParseTest, SyntaxErrorsAreReportedNotThrown) {
  detail::JsonParse parsed = detail::parse_json("{\"a\": }", 512);
  EXPECT_EQ(parsed.failure, detail::JsonParse::Failure::syntax);
  EXPECT_FALSE(parsed.message.empty());
  EXPECT_EQ(detail::parse_json("\"\xff\"", 512).failure, detail::JsonParse::Failure::syntax);  // not UTF-8
  EXPECT_EQ(detail::parse_json("", 512).failure, detail::JsonParse::Failure::syntax);
}

TEST(JsonParseTest, ParsesLikeNlohmann) {
  std::string const text = R"({"a":[1,-2,3.5,true,null,"x"],"b":{"c":18446744073709551615}})";
  EXPECT_EQ(detail::parse_json(text, 512).value, nlohmann::json::parse(text));
}

TEST(JsonParseTest, LenientDumpReplacesInvalidUtf8) {
  nlohmann::json value = std::string("bad \xff byte");
  EXPECT_THROW((void)value.dump(), nlohmann::json::type_error);
  EXPECT_EQ(detail::dump_lenient(value), "\"bad \xEF\xBF\xBD byte\"");
}

// ------------------------------------------------------------------ numbers into fields

TEST(CheckedNumberTest, IntegersOutOfRangeNameTheirField) {
  auto decode_chunk = [](nlohmann::json index) {
    nlohmann::json chunk = {{"id", "c"}, {"object", "chat.completion.chunk"}, {"created", 0}, {"model", "m"},
                            {"choices", {{{"index", index}, {"delta", nlohmann::json::object()}}}}};
    return detail::decode_value<ChatCompletionChunk>(chunk);
  };
  EXPECT_EQ(decode_chunk(3).choices.at(0).index, 3);
  EXPECT_EQ(decode_chunk(4.0).choices.at(0).index, 4);
  for (nlohmann::json bad : {nlohmann::json(1e300), nlohmann::json(4294967296LL), nlohmann::json(-4294967296LL),
                             nlohmann::json(2.5), nlohmann::json(true), nlohmann::json(18446744073709551615ULL),
                             nlohmann::json(std::numeric_limits<double>::quiet_NaN())}) {
    try {
      decode_chunk(bad);
      ADD_FAILURE() << "accepted " << bad.dump();
    } catch (detail::DecodeError const& e) {
      EXPECT_EQ(e.path(), "/choices/0/index") << bad.dump();
    }
  }
}

TEST(CheckedNumberTest, RangeEdges) {
  using detail::checked_number;
  EXPECT_EQ(checked_number<std::int64_t>(nlohmann::json(9223372036854775807LL)), 9223372036854775807LL);
  EXPECT_THROW(checked_number<std::int64_t>(nlohmann::json(9223372036854775808ULL)), detail::DecodeError);
  EXPECT_THROW(checked_number<std::int64_t>(nlohmann::json(9223372036854775808.0)), detail::DecodeError);
  EXPECT_EQ(checked_number<std::int64_t>(nlohmann::json(-9223372036854775807.0 - 1.0)),
            std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(checked_number<std::uint64_t>(nlohmann::json(18446744073709551615ULL)), 18446744073709551615ULL);
  EXPECT_THROW(checked_number<std::uint64_t>(nlohmann::json(-1)), detail::DecodeError);
  EXPECT_THROW(checked_number<int>(nlohmann::json(2147483648LL)), detail::DecodeError);
  EXPECT_EQ(checked_number<int>(nlohmann::json(-2147483648LL)), std::numeric_limits<int>::min());
  EXPECT_THROW(checked_number<int>(nlohmann::json("7")), detail::DecodeError);
  EXPECT_DOUBLE_EQ(checked_number<double>(nlohmann::json(7)), 7.0);
  EXPECT_THROW(checked_number<double>(nlohmann::json("7")), detail::DecodeError);
  EXPECT_THROW(checked_number<bool>(nlohmann::json(1)), detail::DecodeError);
}

// ------------------------------------------------------------------ time values

TEST(TimeLimitsTest, RetryAfterDatesPastTheClocksRangeAreClamped) {
  auto const now = std::chrono::system_clock::from_time_t(1696004797);
  http::Headers headers{{"retry-after", "Fri, 01 Jan 2300 00:00:00 GMT"}};
  auto wait = detail::parse_retry_after(headers, now);
  ASSERT_TRUE(wait.has_value());
  EXPECT_GT(*wait, 7e9);  // about 239 years, and no overflow getting there
  http::Headers far{{"retry-after", "Fri, 31 Dec 9999 23:59:59 GMT"}};
  ASSERT_TRUE(detail::parse_retry_after(far, now).has_value());
  EXPECT_GT(*detail::parse_retry_after(far, now), 7e9);
  detail::RetryPolicy policy;
  auto decision = detail::decide_status_retry(429, far, 0, policy, now, 0.0);
  EXPECT_FALSE(decision.retry);
  EXPECT_TRUE(decision.retry_after_too_long);
}

ClientOptions offline_options() {
  ClientOptions options;
  options.api_key = "sk-unit";
  options.base_url = "http://127.0.0.1:9/";
  // Any attempt to reach the network fails the test.
  options.http_client = std::make_shared<http::FunctionTransport>([](http::HttpRequest const&) -> http::HttpResponse {
    ADD_FAILURE() << "no request may be sent";
    throw APIConnectionError("unexpected", "GET", "");
  });
  return options;
}

TEST(TimeLimitsTest, InfiniteOrHugeLimitsMeanNoLimit) {
  double const inf = std::numeric_limits<double>::infinity();
  for (double value : {inf, 1e300, 1e10}) {
    ClientOptions options = offline_options();
    options.timeout = Timeout(value).with_read(value).with_connect(value).with_write(value);
    options.deadline = value;
    options.retry.max_delay = value;
    options.retry.initial_delay = value;
    options.retry.max_retry_after = value;
    Smarter client(options);
    EXPECT_FALSE(client.timeout().total.has_value()) << value;
    EXPECT_FALSE(client.timeout().read.has_value()) << value;
  }
}

TEST(TimeLimitsTest, NegativeOrNanLimitsAreRefusedAtConstruction) {
  double const nan = std::numeric_limits<double>::quiet_NaN();
  for (double value : {nan, -1.0, -std::numeric_limits<double>::infinity()}) {
    ClientOptions options = offline_options();
    options.timeout = Timeout(value);
    EXPECT_THROW(Smarter{options}, SmarterError) << value;
    options = offline_options();
    options.timeout = Timeout(5.0).with_read(value);
    EXPECT_THROW(Smarter{options}, SmarterError) << value;
    options = offline_options();
    options.deadline = value;
    EXPECT_THROW(Smarter{options}, SmarterError) << value;
    options = offline_options();
    options.retry.max_delay = value;
    EXPECT_THROW(Smarter{options}, SmarterError) << value;
  }
  try {
    ClientOptions options = offline_options();
    options.timeout = Timeout(nan);
    Smarter client(options);
  } catch (SmarterError const& e) {
    EXPECT_THAT(e.what(), HasSubstr("timeout.total must be a number of seconds >= 0"));
  }
}

TEST(TimeLimitsTest, PerCallLimitsAreCheckedBeforeSending) {
  Smarter client(offline_options());
  RequestOptions options;
  options.timeout = Timeout(-3.0);
  EXPECT_THROW(client.request("GET", "x", nullptr, options), SmarterError);
  options = {};
  options.deadline = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(client.request("GET", "x", nullptr, options), SmarterError);
  options = {};
  options.max_response_bytes = 0;
  EXPECT_THROW(client.request("GET", "x", nullptr, options), SmarterError);
}

TEST(SizeLimitsTest, ZeroSizesAreRefused) {
  ClientOptions options = offline_options();
  options.max_response_bytes = 0;
  EXPECT_THROW(Smarter{options}, SmarterError);
  options = offline_options();
  options.limits.max_json_depth = 0;
  EXPECT_THROW(Smarter{options}, SmarterError);
}

// ------------------------------------------------------------------ caller text

TEST(Utf8Test, InvalidUtf8InARequestIsASmarterError) {
  Smarter client(offline_options());
  ChatCompletionCreateParams params;
  params.model = "gpt-4o-mini";
  params.messages = {ChatMessage::user("caf\xe9 latin-1")};
  try {
    client.chat().completions().create(params);
    FAIL() << "expected SmarterError";
  } catch (APIError const&) {
    FAIL() << "nothing may be sent";
  } catch (SmarterError const& e) {
    EXPECT_THAT(e.what(), HasSubstr("not valid UTF-8"));
  }
  EXPECT_THROW(client.request("POST", "x", nlohmann::json{{"prompt", "\xff"}}), SmarterError);
}

// ------------------------------------------------------------------ server-sent events

TEST(SseLimitsTest, LinesAndEventsAreBounded) {
  detail::SseDecoder lines(16, 1024);
  EXPECT_NO_THROW(lines.feed("data: 1234567890\n"));  // 16 bytes: at the limit
  EXPECT_THROW(lines.feed("data: 12345678901"), detail::SseDecoder::LimitExceeded);

  detail::SseDecoder split(16, 1024);
  split.feed("data: 12345");
  EXPECT_THROW(split.feed("678901234"), detail::SseDecoder::LimitExceeded);  // the same line, in two pieces

  detail::SseDecoder events(1024, 20);
  EXPECT_NO_THROW(events.feed("data: 12345\ndata: 123456\n\n"));  // 6 + 7 bytes, then dispatched
  EXPECT_THROW(events.feed("data: 1234567890\ndata: 1234567890\n"), detail::SseDecoder::LimitExceeded);
}

TEST(SseLimitsTest, AMillionTinyEventsStreamThrough) {
  detail::SseDecoder decoder;
  std::string const block = [] {
    std::string b;
    for (int i = 0; i < 1000; ++i) b += "data: {}\n\n";
    return b;
  }();
  std::size_t events = 0;
  for (int i = 0; i < 1000; ++i) events += decoder.feed(block).size();
  EXPECT_EQ(events, 1000000u);
  EXPECT_EQ(decoder.lines_completed(), 2000000u);
}

}  // namespace
}  // namespace smarter

// The retry policy as pure functions: the table of client-behaviour.md section 1.4, without sleeping.
#include <smarter/detail/retry.hpp>

#include <chrono>
#include <cmath>
#include <limits>

#include <gtest/gtest.h>

namespace smarter::detail {
namespace {

using std::chrono::system_clock;

// Fri, 29 Sep 2023 16:26:37 GMT: the frozen "now" of the reference table.
system_clock::time_point const kNow = system_clock::from_time_t(1696004797);

http::Headers retry_after(std::string value) { return http::Headers{{"retry-after", std::move(value)}}; }

// The sleep for a 429 with `headers` after `retries_taken` retries, policy max_retries 3,
// with no jitter (random 0) so backoff values are the nominal ones.
RetryDecision decide(http::Headers const& headers, int retries_taken = 0) {
  RetryPolicy policy;
  policy.max_retries = 3;
  return decide_status_retry(429, headers, retries_taken, policy, kNow, 0.0);
}

struct RetryAfterCase {
  char const* header;
  double expected_delay;
  bool fails_fast;  // above the cap: no retry, the error surfaces at once
};

class RetryAfterTable : public ::testing::TestWithParam<RetryAfterCase> {};

TEST_P(RetryAfterTable, SleepsWhatTheTableSays) {
  RetryAfterCase const& c = GetParam();
  RetryDecision d = decide(retry_after(c.header));
  if (c.fails_fast) {
    EXPECT_FALSE(d.retry) << c.header;
    EXPECT_TRUE(d.retry_after_too_long) << c.header;
    ASSERT_TRUE(d.retry_after.has_value());
  } else {
    EXPECT_TRUE(d.retry) << c.header;
    EXPECT_NEAR(d.delay, c.expected_delay, 1e-6) << c.header;
  }
}

INSTANTIATE_TEST_SUITE_P(
    ReferenceTable, RetryAfterTable,
    ::testing::Values(RetryAfterCase{"20", 20, false}, RetryAfterCase{"0", 0.5, false},
                      RetryAfterCase{"-10", 0.5, false}, RetryAfterCase{"60", 60, false},
                      RetryAfterCase{"61", 0, true}, RetryAfterCase{"2.5", 2.5, false},
                      RetryAfterCase{"Fri, 29 Sep 2023 16:26:57 GMT", 20, false},
                      RetryAfterCase{"Fri, 29 Sep 2023 16:26:37 GMT", 0.5, false},
                      RetryAfterCase{"Fri, 29 Sep 2023 16:26:27 GMT", 0.5, false},
                      RetryAfterCase{"Fri, 29 Sep 2023 16:27:37 GMT", 60, false},
                      RetryAfterCase{"Fri, 29 Sep 2023 16:27:38 GMT", 0, true},
                      RetryAfterCase{"99999999999999999999999999999999999", 0, true},
                      RetryAfterCase{"inf", 0.5, false}, RetryAfterCase{"nan", 0.5, false},
                      RetryAfterCase{"Zun, 29 Sep 2023 16:26:27 GMT", 0.5, false},
                      RetryAfterCase{"Fri, 29 Sep 100000 16:26:57 GMT", 0.5, false},
                      RetryAfterCase{"", 0.5, false}, RetryAfterCase{"soon", 0.5, false}));

TEST(Backoff, DoublesFromHalfASecondUpToEight) {
  RetryPolicy policy;
  EXPECT_DOUBLE_EQ(backoff_delay(0, policy, 0.0), 0.5);
  EXPECT_DOUBLE_EQ(backoff_delay(1, policy, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(backoff_delay(2, policy, 0.0), 2.0);
  EXPECT_DOUBLE_EQ(backoff_delay(3, policy, 0.0), 4.0);
  EXPECT_DOUBLE_EQ(backoff_delay(4, policy, 0.0), 8.0);
  EXPECT_DOUBLE_EQ(backoff_delay(5, policy, 0.0), 8.0);
}

TEST(Backoff, HugeRetryCountsStayAtTheCapWithoutOverflow) {
  RetryPolicy policy;
  EXPECT_DOUBLE_EQ(backoff_delay(1103, policy, 0.0), 8.0);
  EXPECT_DOUBLE_EQ(backoff_delay(std::numeric_limits<int>::max(), policy, 0.0), 8.0);
  EXPECT_DOUBLE_EQ(backoff_delay(-1100, policy, 0.0), 0.5);
}

TEST(Backoff, JitterOnlyShortensByUpToAQuarter) {
  RetryPolicy policy;
  for (double r : {0.0, 0.25, 0.5, 0.999999}) {
    double d = backoff_delay(2, policy, r);
    EXPECT_LE(d, 2.0);
    EXPECT_GT(d, 2.0 * 0.75);
  }
  EXPECT_DOUBLE_EQ(backoff_delay(2, policy, 0.5), 2.0 * 0.875);
}

TEST(Backoff, ConfigurableInitialAndMaximum) {
  RetryPolicy policy;
  policy.initial_delay = 0.01;
  policy.max_delay = 0.03;
  EXPECT_DOUBLE_EQ(backoff_delay(0, policy, 0.0), 0.01);
  EXPECT_DOUBLE_EQ(backoff_delay(1, policy, 0.0), 0.02);
  EXPECT_DOUBLE_EQ(backoff_delay(2, policy, 0.0), 0.03);
}

TEST(RetryDecision, BackoffGrowsWithRetriesTaken) {
  EXPECT_DOUBLE_EQ(decide(retry_after(""), 0).delay, 0.5);
  EXPECT_DOUBLE_EQ(decide(retry_after(""), 1).delay, 1.0);
  EXPECT_DOUBLE_EQ(decide(retry_after(""), 2).delay, 2.0);
  EXPECT_FALSE(decide(retry_after(""), 3).retry);  // max_retries 3 already taken
}

TEST(RetryAfterParsing, MillisecondsHeaderWinsOverSeconds) {
  http::Headers headers{{"retry-after-ms", "1500"}, {"retry-after", "30"}};
  auto value = parse_retry_after(headers, kNow);
  ASSERT_TRUE(value);
  EXPECT_DOUBLE_EQ(*value, 1.5);
}

TEST(RetryAfterParsing, BadMillisecondsFallBackToSeconds) {
  http::Headers headers{{"retry-after-ms", "later"}, {"retry-after", "3"}};
  EXPECT_DOUBLE_EQ(parse_retry_after(headers, kNow).value(), 3.0);
}

TEST(RetryAfterParsing, MillisecondCapBoundary) {
  RetryPolicy policy;
  policy.max_retries = 2;
  policy.max_retry_after = 120;
  auto at = [&](char const* ms) {
    return decide_status_retry(429, http::Headers{{"retry-after-ms", ms}}, 0, policy, kNow, 0.0);
  };
  EXPECT_TRUE(at("120000").retry);
  EXPECT_DOUBLE_EQ(at("120000").delay, 120.0);
  EXPECT_FALSE(at("120001").retry);
  EXPECT_TRUE(at("120001").retry_after_too_long);
}

TEST(RetryAfterParsing, HeaderNamesAreCaseInsensitive) {
  EXPECT_DOUBLE_EQ(parse_retry_after(http::Headers{{"Retry-After", "7"}}, kNow).value(), 7.0);
}

TEST(HttpDate, ParsesTheThreeFormats) {
  auto expected = system_clock::from_time_t(784111777);  // Sun, 06 Nov 1994 08:49:37 GMT
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), expected);
  EXPECT_EQ(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), expected);
  EXPECT_EQ(parse_http_date("Sun Nov  6 08:49:37 1994"), expected);
  EXPECT_FALSE(parse_http_date("Sun, 06 Nov 1994 08:49:37"));
  EXPECT_FALSE(parse_http_date("Sun, 32 Nov 1994 08:49:37 GMT"));
  EXPECT_FALSE(parse_http_date("Sun, 06 Foo 1994 08:49:37 GMT"));
}

struct StatusCase {
  int status;
  bool retried;
};

class StatusRetry : public ::testing::TestWithParam<StatusCase> {};

TEST_P(StatusRetry, RetriesOnlyTransientStatuses) {
  RetryPolicy policy;
  RetryDecision d = decide_status_retry(GetParam().status, http::Headers{}, 0, policy, kNow, 0.0);
  EXPECT_EQ(d.retry, GetParam().retried) << GetParam().status;
}

INSTANTIATE_TEST_SUITE_P(Statuses, StatusRetry,
                         ::testing::Values(StatusCase{400, false}, StatusCase{401, false}, StatusCase{403, false},
                                           StatusCase{404, false}, StatusCase{405, false}, StatusCase{408, true},
                                           StatusCase{409, true}, StatusCase{410, false}, StatusCase{422, false},
                                           StatusCase{429, true}, StatusCase{500, true}, StatusCase{502, true},
                                           StatusCase{503, true}, StatusCase{504, true}, StatusCase{529, true}));

TEST(ShouldRetryHeader, TrueForcesARetryOfA400) {
  RetryPolicy policy;
  EXPECT_TRUE(decide_status_retry(400, http::Headers{{"x-should-retry", "true"}}, 0, policy, kNow, 0.0).retry);
}

TEST(ShouldRetryHeader, FalseStopsA500And429) {
  RetryPolicy policy;
  EXPECT_FALSE(decide_status_retry(500, http::Headers{{"x-should-retry", "false"}}, 0, policy, kNow, 0.0).retry);
  EXPECT_FALSE(decide_status_retry(429, http::Headers{{"x-should-retry", "false"}}, 0, policy, kNow, 0.0).retry);
}

TEST(ShouldRetryHeader, OtherValuesAreIgnored) {
  RetryPolicy policy;
  EXPECT_TRUE(decide_status_retry(503, http::Headers{{"x-should-retry", "maybe"}}, 0, policy, kNow, 0.0).retry);
  EXPECT_FALSE(decide_status_retry(400, http::Headers{{"x-should-retry", "TRUE "}}, 0, policy, kNow, 0.0).retry);
}

TEST(ShouldRetryHeader, NeverBeyondMaxRetries) {
  RetryPolicy policy;
  policy.max_retries = 0;
  EXPECT_FALSE(decide_status_retry(400, http::Headers{{"x-should-retry", "true"}}, 0, policy, kNow, 0.0).retry);
}

TEST(ConnectionRetry, BacksOffUntilRetriesRunOut) {
  RetryPolicy policy;
  auto first = decide_connection_retry(0, policy, 0.0);
  EXPECT_TRUE(first.retry);
  EXPECT_DOUBLE_EQ(first.delay, 0.5);
  EXPECT_TRUE(decide_connection_retry(1, policy, 0.0).retry);
  EXPECT_FALSE(decide_connection_retry(2, policy, 0.0).retry);
}

}  // namespace
}  // namespace smarter::detail

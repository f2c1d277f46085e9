// Fuzz target `retry`: the pure retry policy (include/smarter/detail/retry.hpp) on hostile
// headers and arbitrary numbers.
//
// Checks:
//   - parse_http_date, parse_retry_after, backoff_delay and decide_status_retry never crash or
//     throw (other than std::bad_alloc) for any header text, status, count or double;
//   - parse_retry_after gives a finite number or nothing;
//   - backoff_delay is never negative, and for a finite policy (0 <= initial, 0 <= max) it is
//     finite and at most max_delay;
//   - a decision to retry has retries left, a finite delay >= 0 (finite policy), equal to the
//     Retry-After when one was honoured and no more than the cap; "too long" never retries;
//   - an IMF-fixdate built from in-range fields parses to the instant a civil-calendar
//     computation independent of timegm gives.
//
// Input layout: a mode byte, then the numbers, then three header strings (backslash-terminated).
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

#include <smarter/detail/retry.hpp>
#include <smarter/http/headers.hpp>

#include "fuzz_support.hpp"

namespace {

constexpr char kTarget[] = "retry";

using smarter::detail::RetryPolicy;

bool finite_policy(RetryPolicy const& p) {
  return std::isfinite(p.initial_delay) && std::isfinite(p.max_delay) && std::isfinite(p.max_retry_after) &&
         p.initial_delay >= 0 && p.max_delay >= 0;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  std::int64_t const era = (y >= 0 ? y : y - 399) / 400;
  auto const yoe = static_cast<unsigned>(y - era * 400);
  unsigned const doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  unsigned const doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void check_structured_date(smarter_fuzz::Input& input) {
  static constexpr char const* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  static constexpr char const* kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  auto const year = static_cast<int>(input.in_range(1970, 2200));
  auto const month = static_cast<unsigned>(input.in_range(1, 12));
  auto const day = static_cast<unsigned>(input.in_range(1, 28));  // valid in every month
  auto const hour = static_cast<int>(input.in_range(0, 23));
  auto const minute = static_cast<int>(input.in_range(0, 59));
  auto const second = static_cast<int>(input.in_range(0, 59));
  char text[64];
  std::snprintf(text, sizeof text, "%s, %02u %s %04d %02d:%02d:%02d GMT", kDays[input.in_range(0, 6)], day,
                kMonths[month - 1], year, hour, minute, second);
  auto const parsed = smarter::detail::parse_http_date(text);
  SMARTER_FUZZ_CHECK(kTarget, parsed.has_value(), std::string("a valid IMF-fixdate was refused: ") + text);
  std::int64_t const expected = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  auto const got = std::chrono::duration_cast<std::chrono::seconds>(parsed->time_since_epoch()).count();
  SMARTER_FUZZ_CHECK(kTarget, got == expected,
                     std::string(text) + " parsed to " + std::to_string(got) + ", expected " + std::to_string(expected));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  smarter_fuzz::Input input(data, size);
  std::uint8_t const mode = input.byte();

  RetryPolicy policy;
  policy.max_retries = input.integral<std::int8_t>();
  if (mode & 0x01) {
    // Any doubles at all: the functions must not misbehave, though the bounds need not hold.
    policy.initial_delay = input.any_double();
    policy.max_delay = input.any_double();
    policy.max_retry_after = input.any_double();
  } else {
    // Plausible settings (ms resolution up to ~65 s; 0 allowed): the bounds must hold.
    policy.initial_delay = input.integral<std::uint16_t>() / 1000.0;
    policy.max_delay = input.integral<std::uint16_t>() / 1000.0;
    policy.max_retry_after = input.integral<std::uint16_t>() / 1000.0;
  }
  int const retries_taken = (mode & 0x02) ? input.integral<std::int32_t>() : input.byte() % 8;
  double const random01 = (mode & 0x04) ? input.any_double() : input.integral<std::uint16_t>() / 65536.0;
  int const status = (mode & 0x08) ? input.integral<std::int32_t>() : static_cast<int>(input.in_range(100, 599));
  // "now" between 2001 and about 2137: real clocks, and far enough from the ends of
  // system_clock's range that subtracting any HTTP date (1900-9999, clamped to 2262) cannot
  // overflow its 64-bit nanosecond count.
  auto const now = std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::seconds(1'000'000'000LL + input.integral<std::uint32_t>())));

  if (mode & 0x10) check_structured_date(input);

  // Header values from the input; an empty string still sends the header (present but empty).
  smarter::http::Headers headers;
  std::string const retry_after = input.string(64);
  std::string const retry_after_ms = input.string(64);
  std::string const should_retry = input.string(16);
  if (mode & 0x20) headers.add((mode & 0x80) ? "Retry-After" : "retry-after", retry_after);
  if (mode & 0x40) headers.add("retry-after-ms", retry_after_ms);
  if (!should_retry.empty()) headers.add("x-should-retry", should_retry);

  try {
    (void)smarter::detail::parse_http_date(retry_after);
    (void)smarter::detail::parse_http_date(input.rest());

    auto const wait = smarter::detail::parse_retry_after(headers, now);
    SMARTER_FUZZ_CHECK(kTarget, !wait || std::isfinite(*wait), "parse_retry_after returned a non-finite wait");

    double const backoff = smarter::detail::backoff_delay(retries_taken, policy, random01);
    SMARTER_FUZZ_CHECK(kTarget, !(backoff < 0), "backoff_delay is negative: " + std::to_string(backoff));
    if (finite_policy(policy)) {
      SMARTER_FUZZ_CHECK(kTarget, std::isfinite(backoff), "backoff_delay is not finite for a finite policy");
      SMARTER_FUZZ_CHECK(kTarget, backoff <= policy.max_delay,
                         "backoff_delay " + std::to_string(backoff) + " exceeds max_delay " +
                             std::to_string(policy.max_delay));
    }

    auto const decision =
        smarter::detail::decide_status_retry(status, headers, retries_taken, policy, now, random01);
    SMARTER_FUZZ_CHECK(kTarget, !(decision.retry && decision.retry_after_too_long), "retries although 'too long'");
    SMARTER_FUZZ_CHECK(kTarget, !decision.retry_after || (std::isfinite(*decision.retry_after) && *decision.retry_after > 0),
                       "a usable retry_after must be finite and positive");
    if (decision.retry) {
      SMARTER_FUZZ_CHECK(kTarget, retries_taken < policy.max_retries, "retries with no retries left");
      SMARTER_FUZZ_CHECK(kTarget, !(decision.delay < 0), "negative delay");
      if (finite_policy(policy)) {
        SMARTER_FUZZ_CHECK(kTarget, std::isfinite(decision.delay), "a retry with a non-finite delay");
      }
      if (decision.retry_after) {
        SMARTER_FUZZ_CHECK(kTarget, decision.delay == *decision.retry_after, "Retry-After not honoured exactly");
        SMARTER_FUZZ_CHECK(kTarget, !(decision.delay > policy.max_retry_after), "waits beyond the Retry-After cap");
      }
    }
    auto const connection = smarter::detail::decide_connection_retry(retries_taken, policy, random01);
    if (connection.retry && finite_policy(policy)) {
      SMARTER_FUZZ_CHECK(kTarget, std::isfinite(connection.delay) && connection.delay >= 0,
                         "a connection retry with a bad delay");
    }
  } catch (std::bad_alloc const&) {
  } catch (...) {
    smarter_fuzz::unexpected_exception(kTarget, "retry policy");
  }
  return 0;
}

#include <smarter/detail/retry.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>

namespace smarter::detail {

namespace {

// A float parse that accepts what Python's float() accepts for Retry-After values, but treats
// inf and nan as unusable: a server cannot mean "wait forever" or "wait NaN seconds".
std::optional<double> parse_finite_number(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  std::string owned(text);
  char* end = nullptr;
  double value = std::strtod(owned.c_str(), &end);
  if (end != owned.c_str() + owned.size()) return std::nullopt;
  if (!std::isfinite(value)) return std::nullopt;
  return value;
}

int month_index(std::string_view name) {
  static constexpr std::array<char const*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (name == kMonths[i]) return static_cast<int>(i);
  }
  return -1;
}

bool valid_weekday(std::string_view name) {
  static constexpr std::array<char const*, 7> kShort = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  static constexpr std::array<char const*, 7> kLong = {"Monday", "Tuesday", "Wednesday", "Thursday",
                                                       "Friday", "Saturday", "Sunday"};
  for (std::size_t i = 0; i < kShort.size(); ++i) {
    if (name == kShort[i] || name == kLong[i]) return true;
  }
  return false;
}

std::optional<std::chrono::system_clock::time_point> make_time(int year, int month, int day, int hour,
                                                               int minute, int second) {
  // Years past 9999 are not HTTP dates; refusing them also avoids time_t overflow.
  if (year < 1900 || year > 9999 || month < 0 || month > 11 || day < 1 || day > 31 || hour > 23 ||
      minute > 59 || second > 60 || hour < 0 || minute < 0 || second < 0) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  std::time_t t = timegm(&tm);
  if (t == static_cast<std::time_t>(-1)) return std::nullopt;
  // system_clock counts nanoseconds in 64 bits, so it ends in the year 2262; later dates are
  // clamped to its last instant rather than overflowing (they are far beyond any cap anyway).
  using Clock = std::chrono::system_clock;
  auto const last = std::chrono::duration_cast<std::chrono::seconds>(Clock::time_point::max().time_since_epoch());
  if (static_cast<long double>(t) >= static_cast<long double>(last.count())) {
    return Clock::time_point(std::chrono::duration_cast<Clock::duration>(last));
  }
  return Clock::from_time_t(t);
}

}  // namespace

double backoff_delay(int retries_taken, RetryPolicy const& policy, double random01) noexcept {
  // Cap the exponent so huge retry counts cannot overflow pow().
  int exponent = std::clamp(retries_taken, 0, 1000);
  double nominal = std::min(policy.initial_delay * std::pow(2.0, exponent), policy.max_delay);
  double jitter = 1.0 - 0.25 * std::clamp(random01, 0.0, 1.0);
  return std::max(0.0, nominal * jitter);
}

std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text) {
  std::string s(text);
  char weekday[16] = {0};
  char month[4] = {0};
  int day = 0, year = 0, hour = 0, minute = 0, second = 0;
  int consumed = 0;
  // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
  if (std::sscanf(s.c_str(), "%15[A-Za-z], %d %3s %d %d:%d:%d GMT%n", weekday, &day, month, &year, &hour,
                  &minute, &second, &consumed) == 7 &&
      static_cast<std::size_t>(consumed) == s.size()) {
    if (!valid_weekday(weekday)) return std::nullopt;
    return make_time(year, month_index(month), day, hour, minute, second);
  }
  // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
  if (std::sscanf(s.c_str(), "%15[A-Za-z], %d-%3s-%d %d:%d:%d GMT%n", weekday, &day, month, &year, &hour,
                  &minute, &second, &consumed) == 7 &&
      static_cast<std::size_t>(consumed) == s.size()) {
    if (!valid_weekday(weekday)) return std::nullopt;
    if (year < 100) year += year < 70 ? 2000 : 1900;
    return make_time(year, month_index(month), day, hour, minute, second);
  }
  // asctime: Sun Nov  6 08:49:37 1994
  if (std::sscanf(s.c_str(), "%15[A-Za-z] %3s %d %d:%d:%d %d%n", weekday, month, &day, &hour, &minute,
                  &second, &year, &consumed) == 7 &&
      static_cast<std::size_t>(consumed) == s.size()) {
    if (!valid_weekday(weekday)) return std::nullopt;
    return make_time(year, month_index(month), day, hour, minute, second);
  }
  return std::nullopt;
}

std::optional<double> parse_retry_after(http::Headers const& headers, std::chrono::system_clock::time_point now) {
  if (auto ms = headers.get("retry-after-ms")) {
    if (auto value = parse_finite_number(*ms)) return *value / 1000.0;
  }
  auto header = headers.get("retry-after");
  if (!header) return std::nullopt;
  if (auto seconds = parse_finite_number(*header)) return *seconds;
  if (auto date = parse_http_date(*header)) {
    return std::chrono::duration<double>(*date - now).count();
  }
  return std::nullopt;
}

RetryDecision decide_status_retry(int status, http::Headers const& headers, int retries_taken,
                                  RetryPolicy const& policy, std::chrono::system_clock::time_point now,
                                  double random01, bool idempotent) {
  RetryDecision decision;
  decision.retry_after = parse_retry_after(headers, now);
  if (decision.retry_after && *decision.retry_after <= 0) decision.retry_after.reset();

  auto should = headers.get("x-should-retry");
  bool wanted = false;
  if (should && *should == "true") {
    wanted = true;
    decision.reason = "x-should-retry is true";
  } else if (should && *should == "false") {
    decision.reason = "x-should-retry is false";
    return decision;
  } else if (!idempotent) {
    decision.reason = "status " + std::to_string(status) + ", and the operation is not idempotent";
    return decision;
  } else if (status == 408 || status == 409 || status == 429 || status >= 500) {
    wanted = true;
    decision.reason = "status " + std::to_string(status);
  } else {
    decision.reason = "status " + std::to_string(status) + " is not retryable";
    return decision;
  }
  if (!wanted) return decision;
  if (retries_taken >= policy.max_retries) {
    decision.reason += ", no retries left";
    return decision;
  }
  if (decision.retry_after && *decision.retry_after > policy.max_retry_after) {
    // A server asking for a long pause should not be hammered early: surface the error now.
    decision.retry_after_too_long = true;
    decision.reason += ", Retry-After above the cap";
    return decision;
  }
  decision.retry = true;
  decision.delay = decision.retry_after ? *decision.retry_after : backoff_delay(retries_taken, policy, random01);
  return decision;
}

RetryDecision decide_connection_retry(int retries_taken, RetryPolicy const& policy, double random01,
                                      bool idempotent, bool request_sent) {
  RetryDecision decision;
  if (!idempotent && request_sent) {
    decision.reason = "the request may have reached the server, and the operation is not idempotent";
    return decision;
  }
  if (retries_taken >= policy.max_retries) {
    decision.reason = "connection failed, no retries left";
    return decision;
  }
  decision.retry = true;
  decision.reason = "connection failed";
  decision.delay = backoff_delay(retries_taken, policy, random01);
  return decision;
}

}  // namespace smarter::detail

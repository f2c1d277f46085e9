// Fuzz target `url`: the pure URL helpers of request building (src/request_building.hpp) and
// the path-segment encoder (src/text_util.hpp) on arbitrary text.
//
// Checks:
//   - normalize_base_url, join_url, append_query, merge_query, percent_encode and path_segment
//     return or throw SmarterError (the validation they are gaining raises it), nothing else;
//   - normalize_base_url's result has no query or fragment, ends in exactly one '/', and
//     normalising it again changes nothing;
//   - join_url returns an absolute path unchanged or puts the path under the base;
//   - append_query only appends '?'/'&'-separated, percent-encoded pairs that decode back to the
//     query given;
//   - merge_query keeps its documented order of precedence: per-call extras replace (or remove)
//     every earlier value of a key, request params beat client defaults;
//   - path_segment(x) is made of unreserved characters and %XX only (never '/', '?', '#'),
//     decodes back to x, is never a dot-segment ("." or ".."), and refuses an empty x with
//     SmarterError (it may refuse other values the same way).
//
// Input layout: a mode byte, then backslash-terminated strings.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fuzz_support.hpp"
#include "request_building.hpp"
#include "text_util.hpp"

namespace {

constexpr char kTarget[] = "url";

bool unreserved(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Decodes text made only of unreserved characters and %XX; nullopt for anything else.
std::optional<std::string> strict_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (unreserved(text[i])) {
      out += text[i];
    } else if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

void check_encoded(std::string const& input, std::string const& encoded, char const* what) {
  SMARTER_FUZZ_CHECK(kTarget, encoded.find_first_of("/?#") == std::string::npos,
                     std::string(what) + " let '/', '?' or '#' through: " + smarter_fuzz::show(encoded));
  auto const decoded = strict_decode(encoded);
  SMARTER_FUZZ_CHECK(kTarget, decoded.has_value(),
                     std::string(what) + " produced a character outside unreserved and %XX: " + smarter_fuzz::show(encoded));
  SMARTER_FUZZ_CHECK(kTarget, *decoded == input, std::string(what) + " does not decode back to its input " +
                                                     smarter_fuzz::show(input));
}

void check_path_segment(std::string const& value) {
  bool const ok = smarter_fuzz::allow_smarter_error(kTarget, "path_segment", [&] {
    std::string const segment = smarter::detail::path_segment("file_id", value);
    check_encoded(value, segment, "path_segment");
    // "." and ".." are dot-segments: a URL resolver would move up the path instead of naming an id.
    SMARTER_FUZZ_CHECK(kTarget, segment != "." && segment != "..", "path_segment returned a dot-segment");
  });
  // Values may be refused (SmarterError) before any request; an empty one always is.
  SMARTER_FUZZ_CHECK(kTarget, !ok || !value.empty(), "path_segment accepted an empty value");
  check_encoded(value, smarter::detail::percent_encode(value), "percent_encode");
}

void check_base_url(std::string const& raw) {
  smarter_fuzz::allow_smarter_error(kTarget, "normalize_base_url", [&] {
    std::string const base = smarter::detail::normalize_base_url(raw);
    SMARTER_FUZZ_CHECK(kTarget, base.find_first_of("?#") == std::string::npos,
                       "normalize_base_url let a query or fragment through: " + smarter_fuzz::show(base));
    SMARTER_FUZZ_CHECK(kTarget, !base.empty() && base.back() == '/',
                       "normalize_base_url result does not end in '/': " + smarter_fuzz::show(base));
    SMARTER_FUZZ_CHECK(kTarget, base.size() < 2 || base[base.size() - 2] != '/',
                       "normalize_base_url result ends in more than one '/': " + smarter_fuzz::show(base));
    std::string again;
    bool const stable = smarter_fuzz::allow_smarter_error(
        kTarget, "normalize_base_url(normalized)", [&] { again = smarter::detail::normalize_base_url(base); });
    SMARTER_FUZZ_CHECK(kTarget, stable && again == base,
                       "normalize_base_url is not idempotent on " + smarter_fuzz::show(raw) + " -> " + smarter_fuzz::show(base));
  });
}

void check_join(std::string const& base, std::string const& path) {
  smarter_fuzz::allow_smarter_error(kTarget, "join_url", [&] {
    std::string const joined = smarter::detail::join_url(base, path);
    SMARTER_FUZZ_CHECK(kTarget, joined == path || joined.compare(0, base.size(), base) == 0,
                       "join_url(" + smarter_fuzz::show(base) + ", " + smarter_fuzz::show(path) +
                           ") is neither the path nor under the base");
  });
}

void check_append_query(std::string const& url, smarter::detail::QueryParams const& query) {
  smarter_fuzz::allow_smarter_error(kTarget, "append_query", [&] {
    std::string const out = smarter::detail::append_query(url, query);
    SMARTER_FUZZ_CHECK(kTarget, out.compare(0, url.size(), url) == 0, "append_query changed the URL it appends to");
    if (query.empty()) {
      SMARTER_FUZZ_CHECK(kTarget, out == url, "append_query with no parameters changed the URL");
      return;
    }
    // Parse the appended part back: SEP key '=' value, repeated.
    std::string_view rest = std::string_view(out).substr(url.size());
    for (std::size_t i = 0; i < query.size(); ++i) {
      SMARTER_FUZZ_CHECK(kTarget, !rest.empty() && (rest.front() == '?' || rest.front() == '&'), "missing separator");
      rest.remove_prefix(1);
      std::size_t const eq = rest.find('=');
      SMARTER_FUZZ_CHECK(kTarget, eq != std::string_view::npos, "missing '='");
      std::size_t end = rest.find('&', eq);
      if (end == std::string_view::npos) end = rest.size();
      auto const key = strict_decode(rest.substr(0, eq));
      auto const value = strict_decode(rest.substr(eq + 1, end - eq - 1));
      SMARTER_FUZZ_CHECK(kTarget, key && *key == query[i].first, "query key " + std::to_string(i) + " does not round-trip");
      SMARTER_FUZZ_CHECK(kTarget, value && *value == query[i].second,
                         "query value " + std::to_string(i) + " does not round-trip");
      rest.remove_prefix(end);
    }
    SMARTER_FUZZ_CHECK(kTarget, rest.empty(), "append_query appended more than the parameters");
  });
}

using Overrides = std::vector<std::pair<std::string, std::optional<std::string>>>;

void check_merge(smarter::detail::QueryParams const& params, Overrides const& defaults, Overrides const& extra) {
  smarter_fuzz::allow_smarter_error(kTarget, "merge_query", [&] {
    auto const merged = smarter::detail::merge_query(params, defaults, extra);
    auto values_of = [&merged](std::string const& key) {
      std::vector<std::string> out;
      for (auto const& [k, v] : merged)
        if (k == key) out.push_back(v);
      return out;
    };
    // Every key the result holds came from one of the sources.
    for (auto const& [key, value] : merged) {
      bool known = false;
      for (auto const& p : params) known = known || p.first == key;
      for (auto const& d : defaults) known = known || d.first == key;
      for (auto const& e : extra) known = known || e.first == key;
      SMARTER_FUZZ_CHECK(kTarget, known, "merge_query invented key " + smarter_fuzz::show(key));
    }
    // The last extra entry of a key decides it alone.
    for (std::size_t i = 0; i < extra.size(); ++i) {
      bool last = true;
      for (std::size_t j = i + 1; j < extra.size(); ++j) last = last && extra[j].first != extra[i].first;
      if (!last) continue;
      auto const values = values_of(extra[i].first);
      if (extra[i].second) {
        SMARTER_FUZZ_CHECK(kTarget, values.size() == 1 && values[0] == *extra[i].second,
                           "an extra query value did not replace every earlier one");
      } else {
        SMARTER_FUZZ_CHECK(kTarget, values.empty(), "an extra query removal left values behind");
      }
    }
    // A key only in the request params keeps all of its values, in order; defaults do not add to it.
    for (auto const& [key, unused] : params) {
      bool in_extra = false;
      for (auto const& e : extra) in_extra = in_extra || e.first == key;
      if (in_extra) continue;
      std::vector<std::string> expected;
      for (auto const& [k, v] : params)
        if (k == key) expected.push_back(v);
      SMARTER_FUZZ_CHECK(kTarget, values_of(key) == expected, "request params lost or gained values of a key");
    }
    // A key only in the defaults appears once, with the first value given for it (if any).
    for (auto const& [key, unused] : defaults) {
      bool elsewhere = false;
      for (auto const& p : params) elsewhere = elsewhere || p.first == key;
      for (auto const& e : extra) elsewhere = elsewhere || e.first == key;
      if (elsewhere) continue;
      std::vector<std::string> expected;
      for (auto const& [k, v] : defaults) {
        if (k == key && v) {
          expected.push_back(*v);
          break;
        }
      }
      SMARTER_FUZZ_CHECK(kTarget, values_of(key) == expected, "a client default was dropped or repeated");
    }
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  smarter_fuzz::Input input(data, size);
  std::uint8_t const mode = input.byte();

  std::string const segment = input.string(256);
  check_path_segment(segment);

  // A base URL: sometimes raw text, sometimes a plausible prefix with fuzzed text after it, so
  // the checks past the scheme test are reached often.
  static constexpr char const* kPrefixes[] = {"", "http://", "https://", "http://127.0.0.1:8080", "HTTPS://h/"};
  std::string const base = std::string(kPrefixes[mode % 5]) + input.string(128);
  check_base_url(base);

  std::string const path = input.string(128);
  check_join(base, path);
  check_join("https://platform.smarter.sh/api/v1/", path);

  smarter::detail::QueryParams params;
  Overrides defaults;
  Overrides extra;
  std::size_t const count = input.in_range(0, 6);
  for (std::size_t i = 0; i < count; ++i) {
    std::uint8_t const kind = input.byte();
    // Short keys collide often, which is what the precedence rules are about.
    std::string key = input.string(kind & 0x80 ? 32 : 2);
    std::string value = input.string(32);
    switch (kind % 3) {
      case 0: params.emplace_back(std::move(key), std::move(value)); break;
      case 1: defaults.emplace_back(std::move(key), (kind & 0x40) ? std::nullopt : std::optional<std::string>(value)); break;
      default: extra.emplace_back(std::move(key), (kind & 0x40) ? std::nullopt : std::optional<std::string>(value)); break;
    }
  }
  check_merge(params, defaults, extra);
  check_append_query(path, params);
  check_append_query("http://h/p?x=1", params);
  return 0;
}

// YAML manifest loading under hostile input: scalar resolution without std::regex (long digit
// strings), limits on alias expansion and nesting, and UTF-8 checks (src/types/yaml_json.hpp,
// src/utf8.hpp).
#include <smarter/errors.hpp>
#include <smarter/types/manifest.hpp>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <limits>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "types/yaml_json.hpp"
#include "utf8.hpp"

namespace {

using nlohmann::json;
namespace yaml = smarter::detail::yaml;

constexpr char kHead[] = "apiVersion: smarter.sh/v1\nkind: Plugin\nmetadata:\n  name: p\nspec:\n";

// spec.value of a manifest that gives it as the plain scalar `value`.
json spec_value(std::string const& value) {
  return smarter::Manifest::parse_yaml(std::string(kHead) + "  value: " + value + "\n").value()["spec"]["value"];
}

// The message of the SmarterError that `parse` throws; prints how long it took to come.
template <class Parse>
std::string error_of(Parse parse) {
  auto const start = std::chrono::steady_clock::now();
  try {
    parse();
  } catch (smarter::SmarterError const& e) {
    auto const ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    std::cout << "[ refused  ] after " << ms.count() << " ms: " << e.what() << "\n";
    return e.what();
  }
  ADD_FAILURE() << "no SmarterError thrown";
  return {};
}

// The message of the SmarterError Manifest::parse_yaml throws for `text`.
std::string yaml_error(std::string const& text) {
  return error_of([&] { smarter::Manifest::parse_yaml(text); });
}

// Same JSON type and value (json's == alone says 1 == 1.0).
::testing::AssertionResult same_json(json const& actual, json const& expected) {
  if (actual.type() == expected.type() && actual == expected) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << actual.dump() << " (" << actual.type_name() << ") != " << expected.dump()
                                       << " (" << expected.type_name() << ")";
}

// The std::regex resolver these rules replaced, kept as the oracle for "same behaviour".
json legacy_resolve(std::string const& text) {
  static std::regex const kInt(R"(^[-+]?(0|[1-9][0-9_]*)$)");
  static std::regex const kHex(R"(^[-+]?0x[0-9a-fA-F_]+$)");
  static std::regex const kFloat(R"(^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$)");
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") return nullptr;
  if (text == "true" || text == "True" || text == "TRUE" || text == "yes" || text == "Yes" || text == "YES" ||
      text == "on" || text == "On" || text == "ON") {
    return true;
  }
  if (text == "false" || text == "False" || text == "FALSE" || text == "no" || text == "No" || text == "NO" ||
      text == "off" || text == "Off" || text == "OFF") {
    return false;
  }
  std::string digits;
  for (char c : text) {
    if (c != '_') digits += c;
  }
  if (std::regex_match(text, kInt) || std::regex_match(text, kHex)) {
    errno = 0;
    char* end = nullptr;
    long long value = std::strtoll(digits.c_str(), &end, 0);
    if (errno == 0 && end && *end == '\0') return static_cast<std::int64_t>(value);
    return text;
  }
  if (std::regex_match(text, kFloat)) return std::strtod(digits.c_str(), nullptr);
  if (text == ".inf" || text == ".Inf" || text == ".INF" || text == "+.inf") {
    return std::numeric_limits<double>::infinity();
  }
  if (text == "-.inf" || text == "-.Inf" || text == "-.INF") return -std::numeric_limits<double>::infinity();
  return text;
}

// Every string of length 1..max_length over `alphabet`, appended to `out`.
void all_strings(std::string const& alphabet, std::size_t max_length, std::vector<std::string>& out) {
  std::vector<std::string> level{""};
  for (std::size_t length = 1; length <= max_length; ++length) {
    std::vector<std::string> next;
    for (auto const& prefix : level) {
      for (char c : alphabet) next.push_back(prefix + c);
    }
    out.insert(out.end(), next.begin(), next.end());
    level = std::move(next);
  }
}

// Short strings covering every branch of the three number grammars.
std::vector<std::string> const& number_like_strings() {
  static std::vector<std::string> const strings = [] {
    std::vector<std::string> out;
    all_strings("019_.eE+-xaF", 4, out);
    all_strings("01_.e-x", 5, out);
    return out;
  }();
  return strings;
}

// ---------------------------------------------------------------- scalar resolution

TEST(YamlScalarTest, ScannersAcceptExactlyWhatTheRegexesDid) {
  std::regex const int_re(R"(^[-+]?(0|[1-9][0-9_]*)$)");
  std::regex const hex_re(R"(^[-+]?0x[0-9a-fA-F_]+$)");
  std::regex const float_re(R"(^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$)");
  for (auto const& text : number_like_strings()) {
    ASSERT_EQ(yaml::is_int_literal(text), std::regex_match(text, int_re)) << '"' << text << '"';
    ASSERT_EQ(yaml::is_hex_literal(text), std::regex_match(text, hex_re)) << '"' << text << '"';
    ASSERT_EQ(yaml::is_float_literal(text), std::regex_match(text, float_re)) << '"' << text << '"';
  }
}

TEST(YamlScalarTest, ResolutionMatchesTheRegexResolver) {
  std::vector<std::string> texts = number_like_strings();
  for (char const* word : {"", "~", "null", "NULL", "Null", "nULL", "true", "True", "TRUE", "tRUE", "yes", "Yes",
                           "YES", "on", "On", "ON", "y", "n", "false", "False", "FALSE", "no", "No", "NO", "off",
                           "Off", "OFF", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "-.inf", "-.Inf", "-.INF",
                           ".nan", ".NaN", "inf", "nan", "0o17", "0b101", "1:20", "9223372036854775807",
                           "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
                           "0x7fffffffffffffff", "0x8000000000000000", "-0x8000000000000000", "1.7976931348623157e308",
                           "1e400", "-1e400", "4.9e-324", "1e-400", "0.1.0"}) {
    texts.emplace_back(word);
  }
  for (auto const& text : texts) {
    json const legacy = legacy_resolve(text);
    if (legacy.is_number_float() && !std::isfinite(legacy.get<double>())) {
      // The one change: an infinity is refused, as JSON cannot carry it (it went out as null).
      EXPECT_THROW(yaml::resolve_plain_scalar(text), yaml::Error) << '"' << text << '"';
      continue;
    }
    ASSERT_TRUE(same_json(yaml::resolve_plain_scalar(text), legacy)) << '"' << text << '"';
  }
}

TEST(YamlScalarTest, InfinitiesAreRefusedRatherThanSentAsNull) {
  for (char const* text : {".inf", ".Inf", "+.inf", "-.inf", "-.INF", "1e400", "-1e400"}) {
    EXPECT_THROW(yaml::resolve_plain_scalar(text), yaml::Error) << text;
  }
  try {
    smarter::Manifest::parse_yaml("kind: Chatbot\nspec:\n  temperature: .inf\n");
    FAIL() << "expected SmarterError";
  } catch (smarter::SmarterError const& e) {
    EXPECT_NE(std::string(e.what()).find("'.inf' is infinite"), std::string::npos) << e.what();
  }
  // Quoted, it is text and loads.
  EXPECT_EQ(smarter::Manifest::parse_yaml("kind: Chatbot\nv: '.inf'\n").value()["v"], ".inf");
}

struct ScalarCase {
  char const* text;
  json expected;
};

std::vector<ScalarCase> scalar_table() {
  return {
      // integers (underscores dropped; a leading 0 makes it not an integer)
      {"0", 0},
      {"-0", 0},
      {"7", 7},
      {"+7", 7},
      {"-12", -12},
      {"1_000", 1000},
      {"2048", 2048},
      {"9223372036854775807", std::numeric_limits<std::int64_t>::max()},
      {"-9223372036854775808", std::numeric_limits<std::int64_t>::min()},
      {"9223372036854775808", "9223372036854775808"},  // too large: text kept
      {"123456789012345678901234567890", "123456789012345678901234567890"},
      {"0x1F", 31},
      {"0x1f", 31},
      {"-0x10", -16},
      {"0xdead_beef", std::int64_t{0xdeadbeef}},
      {"0X1F", "0X1F"},
      {"0x", "0x"},
      {"0xG", "0xG"},
      // floats (a leading zero, an exponent without a dot and a trailing dot all count)
      {"012", 12.0},
      {"0.5", 0.5},
      {"-3.5e2", -350.0},
      {"1e5", 100000.0},
      {"-1e5", -100000.0},
      {"1E+2", 100.0},
      {"1.", 1.0},
      {".5", 0.5},
      {"-.5", -0.5},
      {"1_0.2_5", 10.25},
      // bools and nulls, YAML 1.1 style
      {"true", true},
      {"Yes", true},
      {"ON", true},
      {"false", false},
      {"no", false},
      {"Off", false},
      {"~", nullptr},
      {"null", nullptr},
      {"NULL", nullptr},
      // strings
      {"0.1.0", "0.1.0"},
      {"1.2.3", "1.2.3"},
      {".", "."},
      {"1e", "1e"},
      {"1e+", "1e+"},
      {"e5", "e5"},
      {"_1", "_1"},
      {"+.Inf", "+.Inf"},
      {".nan", ".nan"},
      {"y", "y"},
      {"tRUE", "tRUE"},
      {"hello", "hello"},
  };
}

TEST(YamlScalarTest, ResolvesTheManifestScalarTable) {
  for (auto const& c : scalar_table()) {
    EXPECT_TRUE(same_json(yaml::resolve_plain_scalar(c.text), c.expected)) << '"' << c.text << '"';
  }
}

TEST(YamlScalarTest, ParseYamlResolvesTheManifestScalarTable) {
  for (auto const& c : scalar_table()) {
    EXPECT_TRUE(same_json(spec_value(c.text), c.expected)) << '"' << c.text << '"';
  }
  EXPECT_TRUE(same_json(spec_value("'0x1F'"), "0x1F"));  // quoted: always a string
  EXPECT_TRUE(same_json(spec_value("!!str 12"), "12"));
}

TEST(YamlScalarTest, HugeDigitStringsResolveQuicklyWithoutCrashing) {
  std::string const digits(50'000, '7');
  // Too large for int64: the text stays (as it did for 30 digits).
  EXPECT_TRUE(same_json(yaml::resolve_plain_scalar(digits), digits));
  EXPECT_TRUE(same_json(yaml::resolve_plain_scalar("-" + digits), "-" + digits));
  EXPECT_TRUE(same_json(yaml::resolve_plain_scalar("0x" + digits), "0x" + digits));
  EXPECT_TRUE(same_json(yaml::resolve_plain_scalar("1" + std::string(50'000, '_')), 1));
  // Not an integer (leading zero) but a float.
  EXPECT_TRUE(same_json(yaml::resolve_plain_scalar(std::string(50'000, '0')), 0.0));
  json const fraction = yaml::resolve_plain_scalar("1." + digits);
  ASSERT_TRUE(fraction.is_number_float());
  EXPECT_NEAR(fraction.get<double>(), 1.7777777777777777, 1e-12);
  json const leading_dot = yaml::resolve_plain_scalar("." + digits);
  ASSERT_TRUE(leading_dot.is_number_float());
  EXPECT_NEAR(leading_dot.get<double>(), 0.7777777777777777, 1e-12);
  // Overflowing to infinity: refused (JSON cannot carry it), not crashed on.
  EXPECT_THROW(yaml::resolve_plain_scalar("1e" + digits), yaml::Error);
  EXPECT_THROW(yaml::resolve_plain_scalar(digits + ".5"), yaml::Error);
  EXPECT_TRUE(same_json(yaml::resolve_plain_scalar("1." + digits + "x"), "1." + digits + "x"));

  // The same through the manifest loader, which is where the crash was.
  EXPECT_TRUE(same_json(spec_value(digits), digits));
  EXPECT_TRUE(spec_value("1." + digits).is_number_float());
  EXPECT_TRUE(spec_value("." + digits).is_number_float());
  EXPECT_THROW(spec_value("1e" + digits), smarter::SmarterError);
}

// ---------------------------------------------------------------- expansion and nesting limits

// A manifest of `levels` anchored lists, each holding nine aliases of the one before, so the
// last one stands for 9^levels strings.
std::string billion_laughs(int levels) {
  std::string text = std::string(kHead) + "  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i < levels; ++i) {
    std::string const previous = "*l" + std::to_string(i - 1);
    text += "  l" + std::to_string(i) + ": &l" + std::to_string(i) + " [" + previous;
    for (int k = 1; k < 9; ++k) text += ", " + previous;
    text += "]\n";
  }
  return text;
}

TEST(YamlLimitsTest, BillionLaughsAtTenLevelsIsRefused) {
  std::string const text = billion_laughs(10);
  EXPECT_LT(text.size(), 1000u);
  std::string const message = yaml_error(text);
  EXPECT_EQ(message, "manifest is not valid YAML: document expands beyond 1000000 nodes (alias expansion?)");
}

TEST(YamlLimitsTest, BillionLaughsAtTwentyTwoLevelsIsRefused) {
  std::string const message = yaml_error(billion_laughs(22));
  EXPECT_EQ(message, "manifest is not valid YAML: document expands beyond 1000000 nodes (alias expansion?)");
}

TEST(YamlLimitsTest, AliasesOfLongTextHitTheByteLimit) {
  // A thousand copies of a 100 kB string: few nodes, 100 MB of text.
  std::string text = std::string(kHead) + "  a0: &a0 " + std::string(100'000, 'x') + "\n";
  for (int i = 1; i <= 3; ++i) {
    std::string const previous = "*a" + std::to_string(i - 1);
    text += "  a" + std::to_string(i) + ": &a" + std::to_string(i) + " [" + previous;
    for (int k = 1; k < 10; ++k) text += ", " + previous;
    text += "]\n";
  }
  EXPECT_EQ(yaml_error(text),
            "manifest is not valid YAML: document expands beyond 67108864 bytes of text (alias expansion?)");
}

TEST(YamlLimitsTest, ModestAliasesStillExpand) {
  auto manifest = smarter::Manifest::parse_yaml(std::string(kHead) +
                                                "  base: &base {model: gpt, temperature: 0.5}\n"
                                                "  copies: [*base, *base]\n"
                                                "  list: &l [1, 2]\n"
                                                "  again: *l\n");
  json const& spec = manifest.value()["spec"];
  json const base = {{"model", "gpt"}, {"temperature", 0.5}};
  EXPECT_EQ(spec["base"], base);
  EXPECT_EQ(spec["copies"], json::array({base, base}));
  EXPECT_EQ(spec["again"], json::array({1, 2}));
}

TEST(YamlLimitsTest, DeeplyNestedFlowSequencesAreRefused) {
  std::string const message = yaml_error(std::string(kHead) + "  deep: " + std::string(100'000, '['));
  EXPECT_NE(message.find("manifest is not valid YAML: line "), std::string::npos) << message;
  EXPECT_NE(message.find("nesting deeper than"), std::string::npos) << message;
}

TEST(YamlLimitsTest, DeeplyNestedFlowMappingsAreRefused) {
  std::string text = std::string(kHead) + "  deep: ";
  for (int i = 0; i < 100'000; ++i) text += "{a: ";
  std::string const message = yaml_error(text);
  EXPECT_NE(message.find("nesting deeper than"), std::string::npos) << message;
}

TEST(YamlLimitsTest, DeeplyNestedBlockMappingsAreRefused) {
  std::string text = "spec:\n";
  for (int i = 1; i < 1000; ++i) text += std::string(static_cast<std::size_t>(i), ' ') + "a:\n";
  std::string const message = yaml_error(text);
  EXPECT_NE(message.find("nesting deeper than"), std::string::npos) << message;
}

// Nesting the parser accepts (300 levels) aliased inside as much again: 600 levels once expanded.
TEST(YamlLimitsTest, AliasesNestedPastTheDepthLimitAreRefused) {
  std::string const sequences = std::string(kHead) + "  inner: &inner " + std::string(300, '[') +
                                std::string(300, ']') + "\n  outer: " + std::string(300, '[') + "*inner" +
                                std::string(300, ']') + "\n";
  EXPECT_EQ(yaml_error(sequences), "manifest is not valid YAML: nesting deeper than 512 levels");

  std::string mappings = std::string(kHead) + "  inner: &inner ";
  for (int i = 0; i < 300; ++i) mappings += "{a: ";
  mappings += "1" + std::string(300, '}') + "\n  outer: ";
  for (int i = 0; i < 300; ++i) mappings += "{b: ";
  mappings += "*inner" + std::string(300, '}') + "\n";
  EXPECT_EQ(yaml_error(mappings), "manifest is not valid YAML: nesting deeper than 512 levels");
}

TEST(YamlLimitsTest, SelfReferentialAliasesAreRefused) {
  EXPECT_EQ(yaml_error(std::string(kHead) + "  loop: &a [*a]\n"),
            "manifest is not valid YAML: nesting deeper than 512 levels");
  EXPECT_EQ(yaml_error(std::string(kHead) + "  loop: &m {self: *m}\n"),
            "manifest is not valid YAML: nesting deeper than 512 levels");
  EXPECT_EQ(yaml_error(std::string(kHead) + "  ? &k [*k]\n  : value\n"),
            "manifest is not valid YAML: nesting deeper than 512 levels");
}

TEST(YamlLimitsTest, ComplexKeysKeepTheirYamlText) {
  auto manifest = smarter::Manifest::parse_yaml(std::string(kHead) + "  ? [1, 2]\n  : pair\n");
  EXPECT_EQ(manifest.value()["spec"]["[1, 2]"], "pair");
}

TEST(YamlLimitsTest, SyntaxErrorsNameTheirPositionOnce) {
  EXPECT_EQ(yaml_error("a: {b: 1"), "manifest is not valid YAML: line 1, column 1: end of map flow not found");
  std::string const message = yaml_error("a: [unclosed");
  EXPECT_EQ(message.rfind("manifest is not valid YAML: line 1, column ", 0), 0u) << message;
  EXPECT_EQ(message.find("yaml-cpp"), std::string::npos) << message;
  EXPECT_EQ(message.find("invalid YAML"), std::string::npos) << message;
}

// ---------------------------------------------------------------- UTF-8

TEST(YamlUtf8Test, InvalidUtf8IsRefusedWithItsOffset) {
  std::string const head = std::string(kHead) + "  value: ";
  EXPECT_EQ(yaml_error(head + "caf\xE9\n"),
            "manifest is not valid YAML: text is not valid UTF-8 at byte " + std::to_string(head.size() + 3));
  EXPECT_EQ(yaml_error(head + "\xC0\xAF\n"),  // overlong '/'
            "manifest is not valid YAML: text is not valid UTF-8 at byte " + std::to_string(head.size()));
  EXPECT_EQ(yaml_error(head + "'\xED\xA0\x80'\n"),  // a surrogate, quoted
            "manifest is not valid YAML: text is not valid UTF-8 at byte " + std::to_string(head.size() + 1));
  EXPECT_EQ(yaml_error("\xFF" + std::string(kHead)), "manifest is not valid YAML: text is not valid UTF-8 at byte 0");
}

TEST(YamlUtf8Test, ValidMultiByteTextLoadsAndDumps) {
  auto manifest = smarter::Manifest::parse_yaml(std::string(kHead) + "  value: \"caf\xC3\xA9 \xE5\x90\x8D \xF0\x9F\x98\x80\"\n");
  EXPECT_EQ(manifest.value()["spec"]["value"], "caf\xC3\xA9 \xE5\x90\x8D \xF0\x9F\x98\x80");
  EXPECT_NO_THROW(manifest.dump());
}

// UTF-16/32 input is decoded by yaml-cpp itself; the decoded text is what gets checked.
std::string utf32le(std::string const& ascii, std::uint32_t extra) {
  std::string out("\xFF\xFE\0\0", 4);
  auto put = [&](std::uint32_t c) {
    for (int shift = 0; shift < 32; shift += 8) out += static_cast<char>((c >> shift) & 0xFF);
  };
  for (char c : ascii) put(static_cast<unsigned char>(c));
  put(extra);
  put('\n');
  return out;
}

TEST(YamlUtf8Test, Utf16And32ManifestsAreDecodedAndChecked) {
  std::string const text = std::string(kHead) + "  value: x";
  std::string utf16("\xFF\xFE", 2);
  for (char c : text + "\n") {
    utf16 += c;
    utf16 += '\0';
  }
  EXPECT_EQ(smarter::Manifest::parse_yaml(utf16).value()["spec"]["value"], "x");
  EXPECT_EQ(smarter::Manifest::parse_yaml(utf32le(text, 0xE9)).value()["spec"]["value"], "x\xC3\xA9");

  // A lone surrogate in UTF-32 would become bytes nlohmann refuses to dump.
  std::string const message = yaml_error(utf32le(text, 0xD800));
  EXPECT_EQ(message, "manifest is not valid YAML: line 6, column 10: text is not valid UTF-8");
}

TEST(YamlUtf8Test, JsonManifestsRefuseInvalidUtf8WithItsOffset) {
  std::string const text = "{\"kind\": \"Plugin\", \"name\": \"caf\xE9\"}";
  std::string const message = error_of([&] { smarter::Manifest::parse_json(text); });
  EXPECT_EQ(message, "manifest is not valid UTF-8 at byte " + std::to_string(text.find('\xE9')));
  EXPECT_EQ(smarter::Manifest::parse_json("{\"kind\": \"caf\xC3\xA9\"}").kind(), "caf\xC3\xA9");
}

// ---------------------------------------------------------------- utf8_valid

using smarter::detail::utf8_valid;

// `bytes` as hex pairs, for failure messages.
std::string hex(std::string const& bytes) {
  static char const kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (char c : bytes) {
    auto const b = static_cast<unsigned char>(c);
    out += kDigits[b >> 4];
    out += kDigits[b & 0xF];
    out += ' ';
  }
  return out;
}

// The offset utf8_valid reports for `text`, or npos when it finds the text valid.
std::size_t bad_offset(std::string const& text) {
  std::size_t offset = 12345;
  if (utf8_valid(text, &offset)) {
    EXPECT_EQ(offset, 12345u) << "offset written for valid text";
    return std::string::npos;
  }
  return offset;
}

TEST(Utf8ValidTest, AcceptsWellFormedText) {
  for (auto const& text : {
           std::string(),
           std::string("plain ASCII\n\t~"),
           std::string("\0", 1),
           std::string("\xC2\x80"),          // U+0080, smallest two-byte
           std::string("\xDF\xBF"),          // U+07FF
           std::string("\xE0\xA0\x80"),      // U+0800, smallest three-byte
           std::string("\xED\x9F\xBF"),      // U+D7FF, just below the surrogates
           std::string("\xEE\x80\x80"),      // U+E000, just above them
           std::string("\xEF\xBF\xBF"),      // U+FFFF
           std::string("\xF0\x90\x80\x80"),  // U+10000, smallest four-byte
           std::string("\xF4\x8F\xBF\xBF"),  // U+10FFFF, the last code point
           std::string("caf\xC3\xA9 \xE5\x90\x8D \xF0\x9F\x98\x80"),
       }) {
    EXPECT_EQ(bad_offset(text), std::string::npos) << hex(text);
    EXPECT_TRUE(utf8_valid(text));
  }
}

TEST(Utf8ValidTest, RefusesOverlongForms) {
  EXPECT_EQ(bad_offset("\xC0\x80"), 0u);
  EXPECT_EQ(bad_offset("\xC1\xBF"), 0u);
  EXPECT_EQ(bad_offset("\xE0\x80\x80"), 0u);
  EXPECT_EQ(bad_offset("\xE0\x9F\xBF"), 0u);
  EXPECT_EQ(bad_offset("\xF0\x80\x80\x80"), 0u);
  EXPECT_EQ(bad_offset("\xF0\x8F\xBF\xBF"), 0u);
}

TEST(Utf8ValidTest, RefusesSurrogates) {
  EXPECT_EQ(bad_offset("\xED\xA0\x80"), 0u);  // U+D800
  EXPECT_EQ(bad_offset("\xED\xBF\xBF"), 0u);  // U+DFFF
  EXPECT_EQ(bad_offset("\xED\xA0\xBD\xED\xB8\x80"), 0u);  // a CESU-8 pair
}

TEST(Utf8ValidTest, RefusesCodePointsPastU10FFFF) {
  EXPECT_EQ(bad_offset("\xF4\x90\x80\x80"), 0u);  // U+110000
  EXPECT_EQ(bad_offset("\xF5\x80\x80\x80"), 0u);
  EXPECT_EQ(bad_offset("\xF8\x88\x80\x80\x80"), 0u);
  EXPECT_EQ(bad_offset("\xFE"), 0u);
  EXPECT_EQ(bad_offset("\xFF"), 0u);
}

TEST(Utf8ValidTest, RefusesTruncatedAndStraySequences) {
  EXPECT_EQ(bad_offset("\xC3"), 0u);
  EXPECT_EQ(bad_offset("ab\xE2\x82"), 2u);
  EXPECT_EQ(bad_offset("ab\xE2\x82z"), 2u);
  EXPECT_EQ(bad_offset("\xF0\x9F\x98"), 0u);
  EXPECT_EQ(bad_offset("\xF0\x9F\x98 "), 0u);
  EXPECT_EQ(bad_offset("x\x80"), 1u);  // continuation byte with no lead
  EXPECT_EQ(bad_offset("\xC3\xA9\xBF"), 2u);
}

TEST(Utf8ValidTest, ReportsTheFirstBadSequence) {
  EXPECT_EQ(bad_offset("ok \xC3\xA9 \xF0\x9F\x98\x80 then \xFF and \xC0"), 16u);
  EXPECT_FALSE(utf8_valid("\xFF"));  // no offset wanted
}

// nlohmann's parser checks UTF-8 inside strings independently: the two must agree.
TEST(Utf8ValidTest, AgreesWithNlohmannJson) {
  auto check = [](std::string const& bytes) {
    bool const nlohmann_ok = !json::parse("\"" + bytes + "\"", nullptr, false).is_discarded();
    ASSERT_EQ(utf8_valid(bytes), nlohmann_ok) << hex(bytes);
  };
  std::vector<char> any;  // Every byte JSON allows raw in a string.
  for (int b = 0x20; b <= 0xFF; ++b) {
    if (b != '"' && b != '\\') any.push_back(static_cast<char>(b));
  }
  std::vector<char> const edges{'A', '\x7F', '\x80', '\x8F', '\x90', '\x9F', '\xA0', '\xBF', '\xC0'};
  for (char lead : any) {
    check(std::string(1, lead));
    for (char second : any) check(std::string{lead, second});
    if (static_cast<unsigned char>(lead) < 0xC0) continue;
    for (char second : edges) {
      for (char third : edges) {
        check(std::string{lead, second, third});
        for (char fourth : edges) check(std::string{lead, second, third, fourth});
      }
    }
  }
}

TEST(YamlDocumentsTest, EveryDocumentIsReadInOrder) {
  std::string const text =
      "kind: Chatbot\nmetadata:\n  name: first\n---\nkind: Plugin\nmetadata:\n  name: second\n---\n";
  std::vector<smarter::Manifest> const manifests = smarter::Manifest::parse_yaml_all(text);
  ASSERT_EQ(manifests.size(), 2u) << "the empty document after the last --- is left out";
  EXPECT_EQ(manifests[0].name(), "first");
  EXPECT_EQ(manifests[1].kind(), "Plugin");
  EXPECT_EQ(manifests[1].name(), "second");
}

TEST(YamlDocumentsTest, OneManifestRefusesSeveralInsteadOfDroppingThem) {
  std::string const text = "kind: Chatbot\nmetadata:\n  name: a\n---\nkind: Chatbot\nmetadata:\n  name: b\n";
  EXPECT_EQ(yaml_error(text),
            "manifest is not valid YAML: the text holds 2 YAML documents where one was expected "
            "(Manifest::parse_yaml_all reads them all)");
  EXPECT_EQ(smarter::Manifest::parse_yaml("---\nkind: Chatbot\nmetadata:\n  name: a\n---\n").name(), "a");
}

TEST(YamlDocumentsTest, TheLimitsCountEveryDocument) {
  // Each document expands to about 300,000 values, well within the limit of a million; four of
  // them together pass it, so the text is refused as a whole.
  std::string one = std::string(kHead) + "  base: &b [";
  for (int i = 0; i < 1000; ++i) one += (i ? ", " : "") + std::to_string(i);
  one += "]\n  copies: [";
  for (int i = 0; i < 300; ++i) one += i ? ", *b" : "*b";
  one += "]\n";
  EXPECT_EQ(smarter::Manifest::parse_yaml_all(one + "---\n" + one).size(), 2u);
  std::string const four = one + "---\n" + one + "---\n" + one + "---\n" + one;
  EXPECT_THROW(smarter::Manifest::parse_yaml_all(four), smarter::SmarterError);
}

TEST(YamlDocumentsTest, ADocumentThatIsNotAMappingIsNamed) {
  try {
    smarter::Manifest::parse_yaml_all("kind: Chatbot\n---\n- a list\n");
    FAIL() << "a list is not a manifest";
  } catch (smarter::SmarterError const& e) {
    EXPECT_EQ(std::string(e.what()).rfind("YAML document 2: ", 0), 0u) << e.what();
  }
}

TEST(YamlDocumentsTest, AStreamThatNeverEndsIsRefusedQuickly) {
  // yaml-cpp 0.7 reports empty documents forever after this text's first one (found by the
  // manifest fuzz target; YAML::LoadAll never returned): the walk is bounded instead.
  std::string const text = R"yaml({
  rovider": "openai",
      "systemRole": "You anseesuwq rtions about widgets.",
      "model": "gpt-4o-mini",
      "temperature": 0.2,
      "maxTokens": 512.
    },
    "data": {
      "description": "Facts about widgets.",
      "staticData": {"colors": ["red", "blue"], "price": 12.     "maxTokens": 512.
    },
    "data": {
      "description": "Facts about widgets.",
      "staticData": {"colors": ["red", "blue"], "price": 12.5}
    }
  }
}
)yaml";
  try {
    smarter::Manifest::parse_yaml_all(text);
    FAIL() << "an endless document stream was accepted";
  } catch (smarter::SmarterError const& e) {
    EXPECT_NE(std::string(e.what()).find("more than 1000 YAML documents"), std::string::npos) << e.what();
  }
  EXPECT_THROW(smarter::Manifest::parse_yaml(text), smarter::SmarterError);
}

}  // namespace

// YAML -> JSON conversion for manifests. Private and header-only so both the SDK and the fake
// server (which must not link the SDK) can use it. The scalar rules and the limits need only
// nlohmann::json and are always available (the unit tests call them directly); the yaml-cpp part
// is compiled only where SMARTER_HAVE_YAML is set.
#pragma once

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <new>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "utf8.hpp"

namespace smarter::detail::yaml {

// The scalar scanners below are hand-written rather than regular expressions: libstdc++'s matcher
// recurses once per character, so a long digit string overflowed the stack. Each is a single
// left-to-right pass with no backtracking.

namespace impl {

/// True for an ASCII decimal digit.
constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

/// True for an ASCII hexadecimal digit.
constexpr bool is_hex_digit(char c) noexcept {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/// The index just past an optional leading '+' or '-'.
constexpr std::size_t after_sign(std::string_view text) noexcept {
  return !text.empty() && (text[0] == '+' || text[0] == '-') ? 1 : 0;
}

}  // namespace impl

/// True when `text` is a decimal integer as the manifest rules read it, i.e. matches
/// ^[-+]?(0|[1-9][0-9_]*)$ (so "012" is not one).
constexpr bool is_int_literal(std::string_view text) noexcept {
  std::size_t i = impl::after_sign(text);
  if (i == text.size()) return false;
  if (text[i] == '0') return i + 1 == text.size();
  if (!impl::is_digit(text[i])) return false;
  for (++i; i < text.size(); ++i) {
    if (!impl::is_digit(text[i]) && text[i] != '_') return false;
  }
  return true;
}

/// True when `text` is a hexadecimal integer, i.e. matches ^[-+]?0x[0-9a-fA-F_]+$.
constexpr bool is_hex_literal(std::string_view text) noexcept {
  std::size_t i = impl::after_sign(text);
  if (text.size() - i < 3 || text[i] != '0' || text[i + 1] != 'x') return false;
  for (i += 2; i < text.size(); ++i) {
    if (!impl::is_hex_digit(text[i]) && text[i] != '_') return false;
  }
  return true;
}

/// True when `text` is a float as the manifest rules read it, i.e. matches
/// ^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$ (so "1e5" and "012" are floats).
constexpr bool is_float_literal(std::string_view text) noexcept {
  std::size_t const size = text.size();
  std::size_t i = impl::after_sign(text);
  if (i < size && text[i] == '.') {
    std::size_t const first = ++i;
    while (i < size && impl::is_digit(text[i])) ++i;
    if (i == first) return false;
  } else if (i < size && impl::is_digit(text[i])) {
    ++i;
    while (i < size && (impl::is_digit(text[i]) || text[i] == '_')) ++i;
    if (i < size && text[i] == '.') {
      ++i;
      while (i < size && (impl::is_digit(text[i]) || text[i] == '_')) ++i;
    }
  } else {
    return false;
  }
  if (i < size && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < size && (text[i] == '+' || text[i] == '-')) ++i;
    std::size_t const first = i;
    while (i < size && impl::is_digit(text[i])) ++i;
    if (i == first) return false;
  }
  return i == size;
}

/// A document the conversion refuses: over a Limits cap, not UTF-8, or holding a number JSON cannot carry. Its message reads on its
/// own and after "manifest is not valid YAML: ".
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Refuses an infinite float: JSON cannot carry one (it would be sent as null).
[[noreturn]] inline void throw_not_finite(std::string const& text) {
  throw Error("the number '" + text + "' is infinite, which JSON (what apply sends) cannot carry; quote it to keep it as text");
}

/// Resolves a plain (unquoted) scalar the way PyYAML's safe_load does for the types manifests
/// use, so a file reads the same here as on the platform: null, bools (incl. yes/no/on/off),
/// integers, floats; anything else stays a string (e.g. "0.1.0"). Integers too large for int64
/// stay strings rather than lose digits.
inline nlohmann::json resolve_plain_scalar(std::string const& text) {
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") return nullptr;
  if (text == "true" || text == "True" || text == "TRUE" || text == "yes" || text == "Yes" ||
      text == "YES" || text == "on" || text == "On" || text == "ON") {
    return true;
  }
  if (text == "false" || text == "False" || text == "FALSE" || text == "no" || text == "No" ||
      text == "NO" || text == "off" || text == "Off" || text == "OFF") {
    return false;
  }
  bool const is_int = is_int_literal(text) || is_hex_literal(text);
  if (is_int || is_float_literal(text)) {
    std::string digits;
    digits.reserve(text.size());
    for (char c : text) {
      if (c != '_') digits += c;
    }
    if (!is_int) {
      double const value = std::strtod(digits.c_str(), nullptr);
      if (!std::isfinite(value)) throw_not_finite(text);
      return value;
    }
    errno = 0;
    char* end = nullptr;
    long long value = std::strtoll(digits.c_str(), &end, 0);
    if (errno == 0 && end && *end == '\0') return static_cast<std::int64_t>(value);
    return text;  // Too large for an integer: keep the text rather than lose digits.
  }
  if (text == ".inf" || text == ".Inf" || text == ".INF" || text == "+.inf" || text == "-.inf" ||
      text == "-.Inf" || text == "-.INF") {
    throw_not_finite(text);
  }
  return text;
}

/// Caps on what one YAML document may turn into. yaml-cpp keeps an alias as a shared node, but
/// JSON has no sharing, so the conversion copies it: a few hundred bytes of nested aliases
/// ("billion laughs") would otherwise become gigabytes.
struct Limits {
  std::size_t max_nodes = 1'000'000;         ///< JSON values produced, an alias counted each time expanded.
  std::size_t max_bytes = 64 * 1024 * 1024;  ///< Bytes of scalar text and keys produced (approximate size).
  std::size_t max_depth = 512;               ///< Nesting of sequences and mappings.
  std::size_t max_documents = 1000;          ///< Documents in one text ("---" separated).
};

/// The running totals of one conversion, checked against its Limits as values are produced so
/// an oversized document fails after at most the allowed amount of work.
class Budget {
 public:
  /// A budget with nothing spent.
  explicit Budget(Limits const& limits = {}) noexcept : limits_(limits) {}

  /// Counts one more JSON value; throws Error past Limits::max_nodes.
  void add_node() {
    if (nodes_ == limits_.max_nodes) {
      throw Error("document expands beyond " + std::to_string(limits_.max_nodes) +
                  " nodes (alias expansion?)");
    }
    ++nodes_;
  }

  /// Counts `count` more bytes of text; throws Error past Limits::max_bytes.
  void add_bytes(std::size_t count) {
    if (count > limits_.max_bytes - bytes_) {
      throw Error("document expands beyond " + std::to_string(limits_.max_bytes) +
                  " bytes of text (alias expansion?)");
    }
    bytes_ += count;
  }

  /// One level of sequence or mapping nesting, held for the object's lifetime; constructing it
  /// throws Error past Limits::max_depth.
  class Level {
   public:
    /// Enters one level deeper in `budget`.
    explicit Level(Budget& budget) : budget_(budget) {
      if (budget_.depth_ == budget_.limits_.max_depth) {
        throw Error("nesting deeper than " + std::to_string(budget_.limits_.max_depth) + " levels");
      }
      ++budget_.depth_;
    }
    ~Level() { --budget_.depth_; }
    Level(Level const&) = delete;
    Level& operator=(Level const&) = delete;

   private:
    Budget& budget_;
  };

 private:
  Limits limits_;
  std::size_t nodes_ = 0;
  std::size_t bytes_ = 0;  // Never above limits_.max_bytes, so the check above cannot wrap.
  std::size_t depth_ = 0;
};

}  // namespace smarter::detail::yaml

#if defined(SMARTER_HAVE_YAML)

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>
// yaml-cpp 0.7 stops its recursive parser 500 levels deep with DeepRecursion; older versions
// have no such guard.
#if __has_include(<yaml-cpp/depthguard.h>)
#include <yaml-cpp/depthguard.h>
#define SMARTER_YAML_HAS_DEPTH_GUARD 1
#endif

namespace smarter::detail::yaml {

namespace impl {

/// "line L, column C: " for a yaml-cpp position (1-based, as editors count); empty when
/// yaml-cpp has no position.
inline std::string where(YAML::Mark const& mark) {
  if (mark.is_null()) return {};
  return "line " + std::to_string(mark.line + 1) + ", column " + std::to_string(mark.column + 1) + ": ";
}

/// Throws Error when `text`, taken from the node at `mark`, is not UTF-8. parse() checks UTF-8
/// input as a whole; this catches what yaml-cpp decodes from UTF-16/32, which it passes on
/// unchecked (lone surrogates, code points past U+10FFFF).
inline void require_utf8(std::string const& text, YAML::Mark const& mark) {
  if (!utf8_valid(text)) throw Error(where(mark) + "text is not valid UTF-8");
}

/// True when yaml-cpp will read `text` as UTF-8 rather than decode it as UTF-16/32, which it
/// picks from a byte-order mark or a NUL among the first two bytes (YAML 1.2, 5.2). A text this
/// misjudges as UTF-16/32 is still covered by require_utf8.
inline bool read_as_utf8(std::string_view text) noexcept {
  // Past the end counts as 'A', a byte that never means UTF-16/32.
  auto const byte = [&](std::size_t i) { return i < text.size() ? static_cast<unsigned char>(text[i]) : 'A'; };
  if ((byte(0) == 0xFE && byte(1) == 0xFF) || (byte(0) == 0xFF && byte(1) == 0xFE)) return false;
  return byte(0) != 0 && byte(1) != 0;
}

template <bool kBuild>
nlohmann::json convert(YAML::Node const& node, Budget& budget);

/// The JSON object key for mapping key `key`, charged to `budget`: its text when it is a
/// scalar, otherwise its YAML rendering. With kBuild false only the charge is made (and "" is
/// returned for scalars).
template <bool kBuild>
std::string key_text(YAML::Node const& key, Budget& budget) {
  if (key.IsScalar()) {
    budget.add_bytes(key.Scalar().size());
    if constexpr (!kBuild) {
      return {};
    } else {
      require_utf8(key.Scalar(), key.Mark());
      return key.Scalar();
    }
  }
  // YAML::Dump walks the whole key, so charge that walk first: an aliased or cyclic key
  // (`? &k [*k]`) must hit the limits here rather than run unchecked.
  convert<false>(key, budget);
  std::string text = YAML::Dump(key);
  budget.add_bytes(text.size());
  if constexpr (kBuild) require_utf8(text, key.Mark());
  return text;
}

/// Converts `node` to JSON, charging every value, byte and nesting level to `budget`. With
/// kBuild false nothing is built (null is returned): a dry run that finds an oversized document
/// without allocating for it.
template <bool kBuild>
nlohmann::json convert(YAML::Node const& node, Budget& budget) {
  budget.add_node();
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      return nullptr;
    case YAML::NodeType::Scalar: {
      std::string const& text = node.Scalar();
      budget.add_bytes(text.size());
      if constexpr (!kBuild) {
        return nullptr;
      } else {
        require_utf8(text, node.Mark());
        std::string const& tag = node.Tag();
        // "!" marks a quoted scalar: always a string. Explicit core tags are honoured.
        if (tag == "!" || tag == "tag:yaml.org,2002:str") return text;
        return resolve_plain_scalar(text);
      }
    }
    case YAML::NodeType::Sequence: {
      Budget::Level const level(budget);
      if constexpr (!kBuild) {
        for (auto const& item : node) convert<false>(item, budget);
        return nullptr;
      } else {
        nlohmann::json array = nlohmann::json::array();
        for (auto const& item : node) array.push_back(convert<true>(item, budget));
        return array;
      }
    }
    case YAML::NodeType::Map: {
      Budget::Level const level(budget);
      if constexpr (!kBuild) {
        for (auto const& item : node) {
          key_text<false>(item.first, budget);
          convert<false>(item.second, budget);
        }
        return nullptr;
      } else {
        nlohmann::json object = nlohmann::json::object();
        for (auto const& item : node) {
          std::string key = key_text<true>(item.first, budget);
          object[key] = convert<true>(item.second, budget);
        }
        return object;
      }
    }
  }
  return nullptr;
}

}  // namespace impl

/// Converts a yaml-cpp node (mappings, sequences, scalars, aliases expanded) to JSON, charging
/// what it produces to `budget`. Throws Error past the budget's limits, or for text that is not
/// UTF-8.
inline nlohmann::json to_json(YAML::Node const& node, Budget& budget) {
  return impl::convert<true>(node, budget);
}

/// Converts a yaml-cpp node to JSON within `limits`. Throws Error past them, or for text that is
/// not UTF-8; an oversized document fails before any of its JSON is built.
inline nlohmann::json to_json(YAML::Node const& node, Limits const& limits = {}) {
  // Counting only while building would hold up to max_nodes values in memory by the time a limit
  // fires; the dry run finds an oversized document first, without allocating for it.
  Budget dry_run(limits);
  impl::convert<false>(node, dry_run);
  Budget budget(limits);
  return impl::convert<true>(node, budget);
}

namespace impl {

/// Counts the documents of a YAML stream and nothing else.
class DocumentCounter final : public YAML::EventHandler {
 public:
  void OnDocumentStart(YAML::Mark const&) override {}
  void OnDocumentEnd() override {}
  void OnNull(YAML::Mark const&, YAML::anchor_t) override {}
  void OnAlias(YAML::Mark const&, YAML::anchor_t) override {}
  void OnScalar(YAML::Mark const&, std::string const&, YAML::anchor_t, std::string const&) override {}
  void OnSequenceStart(YAML::Mark const&, std::string const&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(YAML::Mark const&, std::string const&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

/// Walks the documents of `text` without building them and refuses more than `limit`. yaml-cpp
/// 0.7 can report documents forever on some malformed streams (e.g. a stray "}" after the first
/// document), and YAML::LoadAll would then never return; the same walk, bounded, comes first.
inline void check_document_count(std::string const& text, std::size_t limit) {
  std::istringstream stream(text);
  YAML::Parser parser(stream);
  DocumentCounter counter;
  std::size_t documents = 0;
  while (parser.HandleNextDocument(counter)) {
    if (++documents > limit) {
      throw Error("more than " + std::to_string(limit) + " YAML documents (or a stream that never ends)");
    }
  }
}

}  // namespace impl

/// Parses every document of YAML text into JSON, within `limits` counted over all of them
/// (empty documents, e.g. after a trailing "---", are left out). Throws std::runtime_error (an
/// Error) for text that is not valid UTF-8 or YAML, or that expands past `limits`; the message
/// gives the position where yaml-cpp has one, e.g. "line 1, column 1: end of map flow not found".
/// std::bad_alloc is let through.
inline std::vector<nlohmann::json> parse_all(std::string_view text, Limits const& limits = {}) {
  std::size_t bad_offset = 0;
  if (impl::read_as_utf8(text) && !utf8_valid(text, &bad_offset)) {
    throw Error("text is not valid UTF-8 at byte " + std::to_string(bad_offset));
  }
  try {
    std::string const source(text);
    impl::check_document_count(source, limits.max_documents);
    std::vector<YAML::Node> documents = YAML::LoadAll(source);
    documents.erase(std::remove_if(documents.begin(), documents.end(),
                                   [](YAML::Node const& node) { return node.IsNull(); }),
                    documents.end());
    // As in to_json: a dry run over every document first, so an oversized text fails before
    // any of its JSON is built.
    Budget dry_run(limits);
    for (YAML::Node const& node : documents) impl::convert<false>(node, dry_run);
    Budget budget(limits);
    std::vector<nlohmann::json> out;
    out.reserve(documents.size());
    for (YAML::Node const& node : documents) out.push_back(impl::convert<true>(node, budget));
    return out;
  } catch (Error const&) {
    throw;
#if defined(SMARTER_YAML_HAS_DEPTH_GUARD)
  } catch (YAML::DeepRecursion const& e) {
    // yaml-cpp's own nesting guard says only "bad file".
    throw Error(impl::where(e.mark) + "nesting deeper than " + std::to_string(e.depth() - 1) + " levels");
#endif
  } catch (YAML::Exception const& e) {
    throw Error(impl::where(e.mark) + e.msg);
  } catch (std::bad_alloc const&) {
    throw;  // Running out of memory says nothing about the text; report it as what it is.
  } catch (std::exception const& e) {
    // yaml-cpp throws standard exceptions too on some malformed input.
    throw Error(std::string("YAML parser failed: ") + e.what());
  }
}

/// Parses YAML text that holds one document (null when it holds none) into JSON within
/// `limits`. More than one document is an Error rather than a silent loss of the others.
inline nlohmann::json parse(std::string_view text, Limits const& limits = {}) {
  std::vector<nlohmann::json> documents = parse_all(text, limits);
  if (documents.size() > 1) {
    throw Error("the text holds " + std::to_string(documents.size()) +
                " YAML documents where one was expected (Manifest::parse_yaml_all reads them all)");
  }
  return documents.empty() ? nlohmann::json() : std::move(documents.front());
}

}  // namespace smarter::detail::yaml

#undef SMARTER_YAML_HAS_DEPTH_GUARD

#endif  // SMARTER_HAVE_YAML

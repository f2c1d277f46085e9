// JSON, YAML and table rendering.
#include "output.hpp"

#include <algorithm>
#include <cstdlib>
#include <regex>
#include <stdexcept>
#include <string_view>

#include <sys/ioctl.h>
#include <unistd.h>

#include <yaml-cpp/yaml.h>

namespace smarter_cli {

namespace {

using nlohmann::json;

/// JSON text of `value` on one line, bad UTF-8 replaced.
std::string compact(json const& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

/// Writes a string scalar, quoted when a YAML reader would not read it back as this string.
void emit_string(YAML::Emitter& out, std::string const& text) {
  if (yaml_needs_quotes(text)) out << YAML::DoubleQuoted;
  out << text;
}

/// Writes one JSON value as YAML. Numbers and booleans keep their JSON spelling, so 1.0 stays a
/// float.
void emit_yaml(YAML::Emitter& out, json const& value) {
  switch (value.type()) {
    case json::value_t::object:
      if (value.empty()) {
        out << YAML::Flow << YAML::BeginMap << YAML::EndMap;
        return;
      }
      out << YAML::BeginMap;
      for (auto const& [key, item] : value.items()) {
        out << YAML::Key;
        emit_string(out, key);
        out << YAML::Value;
        emit_yaml(out, item);
      }
      out << YAML::EndMap;
      return;
    case json::value_t::array:
      if (value.empty()) {
        out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
        return;
      }
      out << YAML::BeginSeq;
      for (auto const& item : value) emit_yaml(out, item);
      out << YAML::EndSeq;
      return;
    case json::value_t::string:
      emit_string(out, value.get_ref<std::string const&>());
      return;
    case json::value_t::boolean:
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      out << value.dump();
      return;
    case json::value_t::null:
    case json::value_t::binary:
    case json::value_t::discarded:
      out << YAML::Null;
      return;
  }
}

/// Number of characters (UTF-8 code points) in `text`: what a terminal shows for the text
/// tables hold (names, URLs, dates).
std::size_t display_width(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

/// `text` cut to `width` characters, the last one an ellipsis when something was cut.
std::string fit(std::string const& text, std::size_t width) {
  if (display_width(text) <= width) return text;
  if (width == 0) return {};
  std::size_t keep = width - 1;
  std::size_t bytes = 0;
  while (bytes < text.size()) {
    bool const starts_character = (static_cast<unsigned char>(text[bytes]) & 0xC0) != 0x80;
    if (starts_character) {
      if (keep == 0) break;
      --keep;
    }
    ++bytes;
  }
  return text.substr(0, bytes) + "\u2026";
}

/// `text` with line breaks and tabs turned into spaces, so one cell stays on one line.
std::string one_line(std::string text) {
  std::replace_if(text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
  return text;
}

/// "2026-01-01T00:00:01.000000Z" as "2026-Jan-01 00:00" (the Go tool's "2006-Jan-02 15:04"); any
/// other text as it is.
std::string short_date(std::string const& text) {
  static char const* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  static std::regex const kIso(R"(^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}).*)");
  std::smatch m;
  if (!std::regex_match(text, m, kIso)) return text;
  int const month = std::stoi(m[2].str());
  if (month < 1 || month > 12) return text;
  return m[1].str() + "-" + kMonths[month - 1] + "-" + m[3].str() + " " + m[4].str() + ":" + m[5].str();
}

/// A table cell for a JSON value of the column type `type` (a Django field type).
std::string cell_text(json const& value, std::string const& type) {
  if (value.is_null()) return {};
  if (value.is_string()) {
    std::string const& text = value.get_ref<std::string const&>();
    return one_line(type == "DateTimeField" ? short_date(text) : text);
  }
  return one_line(compact(value));
}

/// Adds one row per scalar under `value` to `table`, named by its path from the top.
void add_fields(Table& table, std::string const& path, json const& value) {
  bool const container = value.is_object() || value.is_array();
  if (!container || value.empty()) {
    table.rows.push_back({path.empty() ? "value" : path, cell_text(value, "")});
    return;
  }
  for (auto const& [key, item] : value.items()) {
    std::string const name = value.is_array() ? path + "[" + key + "]" : (path.empty() ? key : path + "." + key);
    add_fields(table, name, item);
  }
}

}  // namespace

void write_json(std::ostream& out, nlohmann::json const& value) {
  out << value.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
}

void write_yaml(std::ostream& out, nlohmann::json const& value) {
  YAML::Emitter emitter;
  emitter.SetIndent(2);
  emitter.SetNullFormat(YAML::LowerNull);
  emit_yaml(emitter, value);
  if (!emitter.good()) throw std::runtime_error("cannot write YAML: " + emitter.GetLastError());
  out << emitter.c_str() << "\n";
}

bool yaml_needs_quotes(std::string const& text) {
  // The implicit types of YAML 1.1 (PyYAML, which the platform uses) and YAML 1.2's core schema:
  // null, booleans, integers (also 0x, 0o, octal, sexagesimal), floats and timestamps.
  static std::regex const kNull(R"(^(~|null|Null|NULL|)$)");
  static std::regex const kBool(R"(^(y|Y|n|N|yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$)");
  static std::regex const kInt(
      R"(^[-+]?(0b[01_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*|[1-9][0-9_]*(:[0-5]?[0-9])+)$)");
  static std::regex const kFloat(
      R"(^([-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$)");
  static std::regex const kTimestamp(R"(^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ]|$).*)");
  return std::regex_match(text, kNull) || std::regex_match(text, kBool) || std::regex_match(text, kInt) ||
         std::regex_match(text, kFloat) || std::regex_match(text, kTimestamp);
}

std::string render_table(Table const& table, std::size_t width) {
  std::size_t const columns = table.headers.size();
  if (columns == 0) return {};
  std::vector<std::size_t> widths(columns, 0);
  for (std::size_t c = 0; c < columns; ++c) {
    widths[c] = display_width(table.headers[c]);
    for (auto const& row : table.rows) {
      if (c < row.size()) widths[c] = std::max(widths[c], display_width(row[c]));
    }
  }
  constexpr std::size_t kGap = 2;
  constexpr std::size_t kNarrowest = 6;
  std::size_t total = (columns - 1) * kGap;
  for (std::size_t w : widths) total += w;
  // Narrow the widest column one character at a time, so long URLs and descriptions give way
  // first; the first column (the names) keeps its width unless nothing else can give.
  auto narrow_widest = [&](std::size_t from) {
    auto widest = std::max_element(widths.begin() + static_cast<std::ptrdiff_t>(from), widths.end());
    if (widest == widths.end() || *widest <= kNarrowest) return false;
    --*widest;
    --total;
    return true;
  };
  while (width > 0 && total > width && (narrow_widest(1) || narrow_widest(0))) {
  }

  std::string text;
  auto add_line = [&](std::vector<std::string> const& cells) {
    std::string line;
    for (std::size_t c = 0; c < columns; ++c) {
      std::string const cell = fit(c < cells.size() ? cells[c] : std::string(), widths[c]);
      line += cell;
      if (c + 1 < columns) line += std::string(widths[c] - display_width(cell) + kGap, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    text += line + "\n";
  };
  add_line(table.headers);
  std::vector<std::string> dashes;
  for (std::size_t c = 0; c < columns; ++c) {
    dashes.push_back(std::string(std::min(widths[c], display_width(table.headers[c])), '-'));
  }
  add_line(dashes);
  for (auto const& row : table.rows) add_line(row);
  return text;
}

std::size_t output_width() {
  if (char const* columns = std::getenv("COLUMNS"); columns != nullptr && *columns != '\0') {
    char* end = nullptr;
    long value = std::strtol(columns, &end, 10);
    if (end != nullptr && *end == '\0' && value > 0) return static_cast<std::size_t>(value);
  }
  if (::isatty(STDOUT_FILENO)) {
    winsize size{};
    if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  }
  return 0;
}

Table listing_table(nlohmann::json const& data) {
  Table table;
  json const* listing = &data;
  if (data.is_object() && data.contains("data") && data["data"].is_object()) listing = &data["data"];
  json const empty = json::array();
  json const& titles = listing->contains("titles") && (*listing)["titles"].is_array() ? (*listing)["titles"] : empty;
  json const& items = listing->contains("items") && (*listing)["items"].is_array() ? (*listing)["items"] : empty;

  std::vector<std::pair<std::string, std::string>> columns;  // name, Django type
  for (auto const& title : titles) {
    if (title.is_object() && title.contains("name") && title["name"].is_string()) {
      columns.emplace_back(title["name"].get<std::string>(), title.value("type", ""));
    }
  }
  if (columns.empty()) {
    // No titles: the keys of the items, in the order first seen.
    for (auto const& item : items) {
      if (!item.is_object()) continue;
      for (auto const& field : item.items()) {
        std::string const& key = field.key();
        bool const known = std::any_of(columns.begin(), columns.end(), [&](auto const& c) { return c.first == key; });
        if (!known) columns.emplace_back(key, "");
      }
    }
  }
  for (auto const& [name, type] : columns) table.headers.push_back(name);
  for (auto const& item : items) {
    std::vector<std::string> row;
    for (auto const& [name, type] : columns) {
      row.push_back(item.is_object() && item.contains(name) ? cell_text(item[name], type) : std::string());
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

Table field_table(nlohmann::json const& value) {
  Table table;
  table.headers = {"field", "value"};
  add_fields(table, "", value);
  return table;
}

}  // namespace smarter_cli

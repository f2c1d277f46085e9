// How `smarter` prints results: JSON, YAML (readable back by the platform's own YAML parser) and
// aligned tables that fit the terminal.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace smarter_cli {

/// Writes `value` as indented JSON followed by a newline. Text that is not valid UTF-8 is
/// replaced rather than failing the command.
void write_json(std::ostream& out, nlohmann::json const& value);

/// Writes `value` as block-style YAML followed by a newline. Strings a YAML 1.1 reader (such as
/// the platform's) would take for a number, boolean, null or date are quoted, so the output can
/// be edited and applied as it is.
void write_yaml(std::ostream& out, nlohmann::json const& value);

/// True when `text` must be quoted in YAML to be read back as a string.
bool yaml_needs_quotes(std::string const& text);

/// Rows of text under column headers.
struct Table {
  std::vector<std::string> headers{};           ///< Column titles.
  std::vector<std::vector<std::string>> rows{};  ///< One cell per column.
};

/// Renders `table`: the headers, a dashed line, then the rows, columns left-aligned and two
/// spaces apart. When the table is wider than `width` (0: no limit), the widest columns are
/// narrowed and their long cells cut with "…".
std::string render_table(Table const& table, std::size_t width);

/// The width a table should fit: COLUMNS when set, else the terminal's width when standard
/// output is a terminal, else 0 (no limit, so piped output is never cut).
std::size_t output_width();

/// The `get` listing `data` (`{"data": {"titles": [...], "items": [...]}}`) as a table; dates
/// (`DateTimeField`) are shown as "2026-Jan-01 00:00" like the Go tool, null as "".
Table listing_table(nlohmann::json const& data);

/// A "field  value" table of every scalar in `value`, nested keys joined with '.'.
Table field_table(nlohmann::json const& value);

}  // namespace smarter_cli

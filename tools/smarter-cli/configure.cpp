// `smarter configure`: the Go tool's configuration command, writing the same file.
#include <algorithm>
#include <cctype>
#include <functional>
#include <iostream>
#include <regex>
#include <string>
#include <vector>

#include <unistd.h>

#include "commands.hpp"
#include "exit_status.hpp"

namespace smarter_cli {

namespace {

/// One setting `configure` manages: where it lives in the file and what it accepts.
struct Field {
  std::string label;                                 ///< Flag and prompt name, e.g. "api_key".
  std::string section;                               ///< Section of config.yaml.
  std::string key;                                   ///< Key within the section.
  std::regex accepted;                               ///< What a valid value looks like.
  std::string rule;                                  ///< What to tell the user when it does not.
  bool secret = false;                               ///< Shown masked.
  std::optional<std::string> given{};                ///< The value from the command line.
  bool asked = true;                                 ///< Asked for when no flag is given.
};

/// The value as it may be shown: API keys only by their last four characters.
std::string shown(Field const& field, std::string const& value) {
  if (!field.secret) return value;
  return value.size() > 4 ? "\u2026" + value.substr(value.size() - 4) : "\u2026";
}

/// `value` as stored: output formats in lower case, everything else as typed.
std::string normalized(Field const& field, std::string value) {
  if (field.label == "output_format") {
    std::transform(value.begin(), value.end(), value.begin(), [](unsigned char c) { return std::tolower(c); });
  }
  return value;
}

/// The settings `configure` manages, in the order the Go tool asks for them; the API key is
/// stored under the environment in use (`prod.api_key`, `alpha.api_key`, ...).
std::vector<Field> fields(ConfigureArgs const& args, std::string const& environment) {
  std::vector<Field> list;
  list.push_back({"account_number", "config", "account_number", std::regex(R"(^\d{4}-\d{4}-\d{4}$)"),
                  "an account number looks like 1234-5678-9012", false, args.account_number});
  list.push_back({"api_key", environment, "api_key", std::regex(R"(^[0-9a-fA-F]{64}$)"),
                  "an API key is 64 hexadecimal characters", true, args.api_key});
  list.push_back({"username", "config", "username", std::regex(R"(^[A-Za-z0-9_]+$)"),
                  "a username has only letters, digits and underscores", false, args.username});
  list.push_back({"output_format", "config", "output_format", std::regex(R"(^(?:[jJ][sS][oO][nN]|[yY][aA][mM][lL])$)"),
                  "the output format is json or yaml", false, args.output_format});
  list.push_back({"root_domain", "config", "root_domain",
                  std::regex(R"(^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$)"),
                  "the root domain is a host name such as platform.smarter.sh", false, args.root_domain, false});
  return list;
}

/// Asks for `field` on standard input and stores the answer; an empty answer or the end of the
/// input keeps the current value. A person is asked again after a bad value; a script fails.
void ask(Context& ctx, Field const& field, bool terminal) {
  std::optional<std::string> const current = ctx.config().get(field.section, field.key);
  while (true) {
    if (terminal) {
      ctx.out << field.label;
      if (current) ctx.out << " [" << shown(field, *current) << "]";
      ctx.out << ": " << std::flush;
    }
    std::string line;
    if (!std::getline(ctx.in, line)) return;
    line.erase(line.find_last_not_of(" \t\r") + 1);
    line.erase(0, line.find_first_not_of(" \t"));
    if (line.empty()) return;
    if (std::regex_match(line, field.accepted)) {
      ctx.config().set(field.section, field.key, normalized(field, line));
      return;
    }
    if (!terminal) throw InputError("invalid " + field.label + " on standard input: " + field.rule);
    ctx.err << "Invalid " << field.label << ": " << field.rule << "\n";
  }
}

}  // namespace

void run_configure(Context& ctx, ConfigureArgs const& args) {
  std::vector<Field> const all = fields(args, ctx.settings().environment);
  bool const any_given = std::any_of(all.begin(), all.end(), [](Field const& f) { return f.given.has_value(); });
  if (any_given) {
    for (Field const& field : all) {
      if (!field.given) continue;
      if (!std::regex_match(*field.given, field.accepted)) {
        throw UsageError("invalid --" + field.label + ": " + field.rule);
      }
      ctx.config().set(field.section, field.key, normalized(field, *field.given));
    }
  } else {
    bool const terminal = ::isatty(STDIN_FILENO) != 0;
    for (Field const& field : all) {
      if (field.asked) ask(ctx, field, terminal);
    }
  }
  ctx.config().save();
  if (!ctx.settings().quiet) {
    ctx.out << "Saved " << ctx.config().path() << " (API key for the " << ctx.settings().environment
            << " environment)\n";
  }
}

}  // namespace smarter_cli

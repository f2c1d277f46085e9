// The configuration file and the order in which settings are taken: file, environment, flags.
#include "settings.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>
#include <vector>

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exit_status.hpp"
#include "output.hpp"

namespace smarter_cli {

namespace {

constexpr char kDefaultRootDomain[] = "platform.smarter.sh";

/// `text` without leading and trailing blanks.
std::string trimmed(std::string_view text) {
  auto const blank = [](unsigned char c) { return std::isspace(c) != 0; };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return std::string(text);
}

/// An environment variable; unset, empty and blank all count as unset (as in the SDK).
std::optional<std::string> environment_variable(char const* name) {
  char const* value = std::getenv(name);
  if (value == nullptr) return std::nullopt;
  std::string text = trimmed(value);
  if (text.empty()) return std::nullopt;
  return text;
}

/// A non-empty, trimmed value, or nullopt.
std::optional<std::string> given(std::optional<std::string> const& value) {
  if (!value) return std::nullopt;
  std::string text = trimmed(*value);
  if (text.empty()) return std::nullopt;
  return text;
}

/// Checks an environment name and returns it in lower case; `source` names where it came from.
std::string checked_environment(std::string const& name, std::string const& source) {
  std::string lower = name;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  static char const* const kKnown[] = {"prod", "alpha", "beta", "next", "local"};
  if (std::find(std::begin(kKnown), std::end(kKnown), lower) == std::end(kKnown)) {
    throw UsageError("unknown environment '" + name + "' (from " + source + "): use prod, alpha, beta, next or local");
  }
  return lower;
}

/// Writes one YAML node of the config file. Scalars that were plain in the file stay plain (a
/// number stays a number); strings that were quoted, or that this tool set, are quoted when a
/// YAML reader would take them for a number, boolean or null, so an all-digit key stays a string.
void emit_node(YAML::Emitter& out, YAML::Node const& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      out << YAML::BeginMap;
      for (auto const& entry : node) {
        out << YAML::Key;
        emit_node(out, entry.first);
        out << YAML::Value;
        emit_node(out, entry.second);
      }
      out << YAML::EndMap;
      break;
    case YAML::NodeType::Sequence:
      out << YAML::BeginSeq;
      for (auto const& item : node) emit_node(out, item);
      out << YAML::EndSeq;
      break;
    case YAML::NodeType::Scalar:
      if (node.Tag() != "?" && yaml_needs_quotes(node.Scalar())) out << YAML::DoubleQuoted;
      out << node.Scalar();
      break;
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      out << YAML::Null;
      break;
  }
}

/// The value under `key` in the mapping `map`, or a null node when `map` is not a mapping or has
/// no such key. (yaml-cpp's operator[] would add the key, or give a node that throws when used.)
YAML::Node entry(YAML::Node const& map, std::string const& key) {
  if (!map.IsMap()) return YAML::Node();
  for (auto const& item : map) {
    if (item.first.IsScalar() && item.first.Scalar() == key) return item.second;
  }
  return YAML::Node();
}

/// Creates `directory` with mode 0700 when it does not exist yet.
void ensure_private_directory(std::filesystem::path const& directory) {
  if (directory.empty() || std::filesystem::exists(directory)) return;
  ensure_private_directory(directory.parent_path());
  if (::mkdir(directory.c_str(), 0700) != 0 && errno != EEXIST) {
    throw UsageError("cannot create " + directory.string() + ": " + std::strerror(errno));
  }
}

/// Writes `text` to `path` through a temporary file renamed over it, so a crash never leaves a
/// half-written configuration; the file is created with mode 0600 (it holds API keys).
void write_private_file(std::string const& path, std::string const& text) {
  std::string const temporary = path + ".tmp." + std::to_string(::getpid());
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw UsageError("cannot write " + temporary + ": " + std::strerror(errno));
  bool ok = ::fchmod(fd, 0600) == 0;
  for (std::size_t done = 0; ok && done < text.size();) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<std::size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  int const saved_errno = errno;
  ::close(fd);
  if (!ok || ::rename(temporary.c_str(), path.c_str()) != 0) {
    std::string const reason = std::strerror(ok ? errno : saved_errno);
    ::unlink(temporary.c_str());
    throw UsageError("cannot write " + path + ": " + reason);
  }
}

}  // namespace

std::optional<Format> parse_format(std::string const& text) {
  if (text == "table") return Format::table;
  if (text == "json") return Format::json;
  if (text == "yaml") return Format::yaml;
  return std::nullopt;
}

// ---------------------------------------------------------------- the configuration file

std::string ConfigFile::default_path() {
  std::string home;
  if (auto from_env = environment_variable("HOME")) {
    home = *from_env;
  } else if (passwd const* user = ::getpwuid(::getuid()); user != nullptr && user->pw_dir != nullptr) {
    home = user->pw_dir;
  } else {
    throw UsageError("cannot find the home directory: set HOME or pass --config");
  }
  return (std::filesystem::path(home) / ".smarter" / "config.yaml").string();
}

ConfigFile ConfigFile::load(std::string const& path) {
  ConfigFile file;
  file.path_ = path;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (std::filesystem::exists(path)) throw UsageError("cannot read " + path + ": " + std::strerror(errno));
    return file;  // no file yet: nothing configured
  }
  std::stringstream text;
  text << in.rdbuf();
  try {
    file.root_ = YAML::Load(text.str());
  } catch (YAML::Exception const& e) {
    throw UsageError(path + " is not valid YAML: " + e.what());
  }
  if (!file.root_.IsMap() && !file.root_.IsNull()) throw UsageError(path + " must be a YAML mapping");
  return file;
}

std::optional<std::string> ConfigFile::get(std::string const& section, std::string const& key) const {
  YAML::Node const value = entry(entry(root_, section), key);
  if (!value.IsScalar()) return std::nullopt;
  return given(value.Scalar());
}

void ConfigFile::set(std::string const& section, std::string const& key, std::string const& value) {
  if (!root_.IsMap()) root_ = YAML::Node(YAML::NodeType::Map);
  if (!root_[section].IsMap()) root_[section] = YAML::Node(YAML::NodeType::Map);
  root_[section][key] = value;
}

void ConfigFile::save() const {
  YAML::Emitter out;
  out.SetNullFormat(YAML::LowerNull);
  emit_node(out, root_.IsMap() ? root_ : YAML::Node(YAML::NodeType::Map));
  ensure_private_directory(std::filesystem::path(path_).parent_path());
  write_private_file(path_, std::string(out.c_str()) + "\n");
}

// ---------------------------------------------------------------- resolution

std::string base_url_for(std::string const& environment, std::string const& root_domain) {
  if (environment == "local") return "http://localhost:9357/api/v1/";
  if (environment == "prod") return "https://" + root_domain + "/api/v1/";
  return "https://" + environment + "." + root_domain + "/api/v1/";
}

Settings resolve_settings(GlobalFlags const& flags, ConfigFile const& file) {
  // Each source may name an environment and a base URL. Within one source an explicit base URL
  // beats the environment's; across sources the later one wins, so `--environment beta` means
  // the beta host even when SMARTER_BASE_URL is exported.
  struct Source {
    std::string name;
    std::optional<std::string> environment;
    std::optional<std::string> base_url;
  };
  Source const sources[] = {
      {"config.environment in " + file.path(), file.get("config", "environment"), std::nullopt},
      {"SMARTER_ENVIRONMENT", environment_variable("SMARTER_ENVIRONMENT"), environment_variable("SMARTER_BASE_URL")},
      {"--environment", given(flags.environment), given(flags.base_url)},
  };
  std::string const root_domain = file.get("config", "root_domain").value_or(kDefaultRootDomain);

  Settings settings;
  for (Source const& source : sources) {
    if (source.environment) settings.environment = checked_environment(*source.environment, source.name);
  }
  settings.base_url = base_url_for(settings.environment, root_domain);
  for (Source const& source : sources) {
    if (source.base_url) {
      settings.base_url = *source.base_url;
    } else if (source.environment) {
      settings.base_url = base_url_for(checked_environment(*source.environment, source.name), root_domain);
    }
  }

  // The key: the file's entry for the environment in use, then SMARTER_API_KEY, then --api-key.
  settings.api_key = file.get(settings.environment, "api_key");
  if (auto key = environment_variable("SMARTER_API_KEY")) settings.api_key = key;
  if (auto key = given(flags.api_key)) settings.api_key = key;

  if (auto configured = file.get("config", "output_format")) {
    settings.configured_format = parse_format(*configured);
    if (!settings.configured_format || *settings.configured_format == Format::table) {
      throw UsageError("config.output_format in " + file.path() + " must be json or yaml (got '" + *configured + "')");
    }
  }
  if (flags.output) {
    auto format = parse_format(*flags.output);
    if (!format) throw UsageError("-o must be table, json or yaml (got '" + *flags.output + "')");
    settings.format = *format;
  }
  settings.timeout = flags.timeout;
  settings.max_retries = flags.max_retries;
  settings.verbose = flags.verbose;
  settings.quiet = flags.quiet;
  return settings;
}

smarter::ClientOptions client_options(Settings const& settings) {
  if (!settings.api_key) {
    throw MissingApiKeyError("no API key for the " + settings.environment +
                             " environment: run `smarter configure`, set SMARTER_API_KEY or pass --api-key");
  }
  smarter::ClientOptions options;
  options.api_key = *settings.api_key;
  options.base_url = settings.base_url;
  if (settings.timeout) options.timeout = smarter::Timeout(*settings.timeout);
  if (settings.max_retries) options.max_retries = *settings.max_retries;
  if (settings.verbose) options.log_level = smarter::LogLevel::debug;
  return options;
}

}  // namespace smarter_cli

// Where `smarter` connects and how it prints: the Go tool's ~/.smarter/config.yaml, then the
// environment (SMARTER_API_KEY, SMARTER_BASE_URL, SMARTER_ENVIRONMENT), then the flags; a later
// source wins over an earlier one.
#pragma once

#include <optional>
#include <string>

#include <yaml-cpp/yaml.h>

#include <smarter/client.hpp>

namespace smarter_cli {

/// How a command prints its result; `automatic` lets the command choose.
enum class Format { automatic, table, json, yaml };

/// Parses "table", "json" or "yaml"; nullopt for anything else.
std::optional<Format> parse_format(std::string const& text);

/// The global flags as given on the command line; unset when not given.
struct GlobalFlags {
  std::optional<std::string> environment{};  ///< --environment
  std::optional<std::string> api_key{};      ///< --api-key
  std::optional<std::string> base_url{};     ///< --base-url
  std::optional<std::string> config_file{};  ///< --config
  std::optional<std::string> output{};       ///< -o, --output
  std::optional<double> timeout{};           ///< --timeout
  std::optional<int> max_retries{};          ///< --max-retries
  bool verbose = false;                      ///< -v, --verbose
  bool quiet = false;                        ///< -q, --quiet
};

/// The Go tool's configuration file: `config:` (account_number, environment, output_format,
/// root_domain, username) and one `<environment>: {api_key: ...}` section per environment.
/// Keys this tool does not know are kept when it writes the file back.
class ConfigFile {
 public:
  /// `$HOME/.smarter/config.yaml` (the user database's home when HOME is unset).
  static std::string default_path();
  /// Reads the file at `path`; a missing file is an empty configuration. Throws UsageError when
  /// the file cannot be read or is not a YAML mapping.
  static ConfigFile load(std::string const& path);

  /// `section.key` as text, or nullopt when it is missing, null or empty.
  std::optional<std::string> get(std::string const& section, std::string const& key) const;
  /// Sets `section.key` (creating the section).
  void set(std::string const& section, std::string const& key, std::string const& value);
  /// Writes the file atomically with mode 0600, creating its directory with mode 0700.
  /// Throws UsageError when it cannot.
  void save() const;

  /// Where the file lives.
  std::string const& path() const noexcept { return path_; }

 private:
  std::string path_;
  YAML::Node root_;
};

/// What a command runs with, after the config file, the environment and the flags.
struct Settings {
  std::string environment = "prod";             ///< prod, alpha, beta, next or local.
  std::optional<std::string> api_key{};         ///< The key, when one was found anywhere.
  std::string base_url{};                       ///< Where the platform's API lives.
  std::optional<double> timeout{};              ///< Per-attempt limit, seconds (SDK default when unset).
  std::optional<int> max_retries{};             ///< Retries (SDK default when unset).
  Format format = Format::automatic;            ///< -o, when given.
  std::optional<Format> configured_format{};    ///< config.output_format: the default for documents.
  bool verbose = false;                         ///< Log the SDK's requests at debug level on stderr.
  bool quiet = false;                           ///< Print only what scripts need.
};

/// Combines the config file, the process environment and the flags (later wins). Throws
/// UsageError for an unknown environment or output format, naming where it came from.
Settings resolve_settings(GlobalFlags const& flags, ConfigFile const& file);

/// The base URL of an environment: https://[env.]<root_domain>/api/v1/, or for `local` the
/// platform's development server (and `smarter-mock --port 9357`), http://localhost:9357/api/v1/.
std::string base_url_for(std::string const& environment, std::string const& root_domain);

/// The client options for `settings`. Throws MissingApiKeyError when no key was found.
smarter::ClientOptions client_options(Settings const& settings);

}  // namespace smarter_cli

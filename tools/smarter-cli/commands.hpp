// The commands of `smarter`, each a function of the parsed arguments. They talk to the platform
// through the public SDK only, print to the context's streams and throw on failure (exit_status.hpp
// turns the exception into a message and an exit status).
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <smarter/client.hpp>

#include "settings.hpp"

namespace smarter_cli {

/// What every command works with: the settings, the streams, and a client made on first use
/// (so `version --client`, `configure` and `completion` work without an API key).
class Context {
 public:
  /// A context printing to `out` and `err` and reading from `in`.
  Context(Settings settings, ConfigFile config, std::istream& in, std::ostream& out, std::ostream& err);

  /// The settings in force.
  Settings const& settings() const noexcept { return settings_; }
  /// The configuration file (configure writes it).
  ConfigFile& config() noexcept { return config_; }
  /// The SDK client. Throws MissingApiKeyError without a key, UsageError for a bad base URL.
  smarter::Smarter const& client();

  std::istream& in;   ///< Standard input.
  std::ostream& out;  ///< Standard output: results.
  std::ostream& err;  ///< Standard error: errors, prompts' decorations, notes.

  /// The format to print a result in: -o when given, else `config.output_format` for commands
  /// that print a document (`document`), else the command's own `fallback`.
  Format format_for(Format fallback, bool document) const;
  /// Prints `data` as the format asks: JSON, YAML, or a field/value table.
  void print_document(nlohmann::json const& data, Format fallback);

 private:
  Settings settings_;
  ConfigFile config_;
  std::optional<smarter::Smarter> client_;
};

/// The platform's kind for a kind as typed on the command line, the Go tool's names included:
/// "chatbots" is Chatbot, "apikeys" AuthToken, "chat-history" ChatHistory. Unknown names are
/// passed on as typed (the platform answers for them); names with other characters than letters,
/// digits, '-' and '_' throw UsageError.
std::string platform_kind(std::string const& typed);

/// The kind names the Go tool offers for `command` (get, describe, delete, deploy, undeploy,
/// logs, manifest, schema), for help texts and shell completion; empty for other commands.
std::vector<std::string> suggested_kinds(std::string const& command);

/// `get` arguments.
struct GetArgs {
  std::string kind{};            ///< KIND
  std::string name{};            ///< --name
  std::optional<int> limit{};    ///< -i: at most this many rows
  bool ascending = false;        ///< --asc: sorted by name
  bool descending = false;       ///< --desc: sorted by name, last first
};

/// `get KIND`: the platform's listing, as a table by default; -q prints names only.
void run_get(Context& ctx, GetArgs const& args);
/// `describe KIND NAME`: the resource's manifest.
void run_describe(Context& ctx, std::string const& kind, std::string const& name);
/// `delete KIND NAME`.
void run_delete(Context& ctx, std::string const& kind, std::string const& name);
/// `deploy KIND NAME` (`deploy = true`) or `undeploy KIND NAME`.
void run_deploy(Context& ctx, std::string const& kind, std::string const& name, bool deploy);
/// `logs KIND NAME`: the platform's logs data.
void run_logs(Context& ctx, std::string const& kind, std::string const& name);
/// `apply -f FILE`: a YAML or JSON manifest from a file, or from standard input for "-".
void run_apply(Context& ctx, std::string const& file);
/// `manifest KIND`: an example manifest, YAML by default (ready to edit and apply).
void run_manifest(Context& ctx, std::string const& kind);
/// `schema KIND`: the JSON Schema of the kind's manifests.
void run_schema(Context& ctx, std::string const& kind);
/// `whoami`: the user and account the key belongs to.
void run_whoami(Context& ctx);
/// `status`: the platform's infrastructure status.
void run_status(Context& ctx);
/// `version`: this tool's version, then the platform's unless `client_only`.
void run_version(Context& ctx, bool client_only);

/// Which session a chat command uses.
struct SessionArgs {
  std::string chatbot{};                     ///< -c, or the positional CHATBOT
  bool new_session = false;                  ///< -n: start a new session
  std::optional<std::string> session_key{};  ///< -s: continue this session
};

/// `chat prompt -c CHATBOT -p TEXT`: one prompt; the answer (or the whole reply with -o).
void run_chat_prompt(Context& ctx, SessionArgs const& session, std::string const& prompt);
/// `chat config -c CHATBOT`: the chat configuration of the session.
void run_chat_config(Context& ctx, SessionArgs const& session);
/// `chat CHATBOT`: a conversation, one prompt per line of standard input, in one session;
/// `/new` starts a new session and `/exit` ends. Prompts and a banner only on a terminal.
void run_chat(Context& ctx, SessionArgs const& session);

/// `configure` fields given as flags; none given means ask for each.
struct ConfigureArgs {
  std::optional<std::string> account_number{};  ///< -a
  std::optional<std::string> api_key{};         ///< -k
  std::optional<std::string> username{};        ///< -u
  std::optional<std::string> output_format{};   ///< -o
  std::optional<std::string> root_domain{};     ///< --root_domain
};

/// `configure`: writes ~/.smarter/config.yaml (mode 0600) the way the Go tool lays it out, the
/// key under the environment in use.
void run_configure(Context& ctx, ConfigureArgs const& args);

}  // namespace smarter_cli

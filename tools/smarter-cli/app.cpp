// The command-line definition: the Go tool's commands, arguments and flags, plus `chat CHATBOT`
// and `completion`. Parsing only fills in values; the command runs afterwards, so every failure
// goes through one error report.
#include "app.hpp"

#include <functional>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include <smarter/version.hpp>

#include "commands.hpp"
#include "completion.hpp"
#include "exit_status.hpp"
#include "settings.hpp"

namespace smarter_cli {

namespace {

/// Everything the command line can say; CLI11 fills it in.
struct Arguments {
  GlobalFlags flags{};
  GetArgs get{};
  std::string kind{};
  std::string name{};
  std::string file{};
  std::string shell{};
  std::string prompt{};
  SessionArgs session{};
  std::string chat_positional{};  ///< `chat CHATBOT`
  ConfigureArgs configure{};
  bool client_only = false;
};

/// A command: the subcommand that selects it and what it does.
struct Command {
  CLI::App* app;
  std::function<void(Context&)> action;
};

constexpr char kExitStatuses[] =
    "Exit status: 0 success, 1 usage or configuration error, 2 not found, 3 authentication (no or bad\n"
    "API key), 4 network (unreachable, timeout), 5 platform error (5xx, 429), 6 input refused (bad\n"
    "manifest, 400/405/409/422), 7 other.";

/// Prefixes CLI11's parse errors like every other error of the tool.
std::string failure_message(CLI::App const* app, CLI::Error const& e) {
  return "Error: " + CLI::FailureMessage::simple(app, e);
}

/// The flags every command takes (they may also follow the command's own arguments).
void define_global_flags(CLI::App& app, GlobalFlags& flags) {
  app.add_option("--environment", flags.environment, "Platform environment: prod (default), alpha, beta, next, local")
      ->check(CLI::IsMember({"prod", "alpha", "beta", "next", "local"}, CLI::ignore_case));
  app.add_option("--api-key,--api_key", flags.api_key, "API key (beats SMARTER_API_KEY and config.yaml)");
  app.add_option("--base-url", flags.base_url, "API base URL, e.g. http://localhost:9357/api/v1/ (beats SMARTER_BASE_URL)");
  app.add_option("--config", flags.config_file, "Configuration file (default ~/.smarter/config.yaml)");
  app.add_option("-o,--output", flags.output, "Output format: table, json or yaml")
      ->check(CLI::IsMember({"table", "json", "yaml"}));
  app.add_option("--timeout", flags.timeout, "Time limit per attempt, seconds (default 60)")->check(CLI::PositiveNumber);
  app.add_option("--max-retries", flags.max_retries, "Retries of failed safe requests (default 2)")
      ->check(CLI::NonNegativeNumber);
  app.add_flag("-v,--verbose", flags.verbose, "Log every request and response on stderr (the API key is redacted)");
  app.add_flag("-q,--quiet", flags.quiet, "Print only what scripts need: names for get, nothing for changes");
}

/// A positional KIND argument whose help lists the Go tool's kinds for `command`.
void add_kind(CLI::App& command, std::string& kind, std::string const& name) {
  std::string kinds;
  for (auto const& k : suggested_kinds(name)) kinds += (kinds.empty() ? "" : ", ") + k;
  command.add_option("kind", kind, "Kind of resource: " + kinds)->required();
}

/// -n (new session) and -s (session key) on a chat command; they exclude each other.
void add_session_flags(CLI::App& command, SessionArgs& session) {
  auto* fresh = command.add_flag("-n,--new_session", session.new_session, "Start a new session");
  auto* key = command.add_option("-s,--session_key", session.session_key, "Continue this session");
  fresh->excludes(key);
}

/// Refuses a word left over after `chat prompt` or `chat config` (CLI11 hands it to `chat`).
void refuse_extra(std::string const& word) {
  if (!word.empty()) throw UsageError("unexpected argument '" + word + "'");
}

/// Defines every command on `app` and returns them, parents before their subcommands.
std::vector<Command> define_commands(CLI::App& app, Arguments& a) {
  std::vector<Command> commands;
  auto add = [&](CLI::App* sub, std::function<void(Context&)> action) {
    commands.push_back({sub, std::move(action)});
    return sub;
  };

  auto* apply = add(app.add_subcommand("apply", "Apply a manifest (YAML or JSON): create or update the resource"),
                    [&a](Context& ctx) { run_apply(ctx, a.file); });
  apply->add_option("-f,--filename", a.file, "Manifest file, or - for standard input")->required();

  auto* get = add(app.add_subcommand("get", "List resources of a kind (a table by default)"),
                  [&a](Context& ctx) { run_get(ctx, a.get); });
  add_kind(*get, a.get.kind, "get");
  get->add_option("-n,--name", a.get.name, "Only the resource with this name");
  get->add_option("-i,--i", a.get.limit, "At most this many resources")->check(CLI::NonNegativeNumber);
  auto* ascending = get->add_flag("--asc", a.get.ascending, "Sort by name");
  get->add_flag("--desc", a.get.descending, "Sort by name, last first")->excludes(ascending);

  struct Named {
    char const* name;
    char const* help;
    std::function<void(Context&)> action;
  };
  Named const named[] = {
      {"describe", "Print the manifest of a resource", [&a](Context& ctx) { run_describe(ctx, a.kind, a.name); }},
      {"delete", "Delete a resource", [&a](Context& ctx) { run_delete(ctx, a.kind, a.name); }},
      {"deploy", "Deploy a chatbot to its own host", [&a](Context& ctx) { run_deploy(ctx, a.kind, a.name, true); }},
      {"undeploy", "Take a chatbot off its host", [&a](Context& ctx) { run_deploy(ctx, a.kind, a.name, false); }},
      {"logs", "Print the logs of a resource", [&a](Context& ctx) { run_logs(ctx, a.kind, a.name); }},
  };
  for (Named const& command : named) {
    auto* sub = add(app.add_subcommand(command.name, command.help), command.action);
    add_kind(*sub, a.kind, command.name);
    sub->add_option("name", a.name, "Name of the resource")->required();
  }

  auto* manifest = add(app.add_subcommand("manifest", "Print an example manifest of a kind (YAML by default)"),
                       [&a](Context& ctx) { run_manifest(ctx, a.kind); });
  add_kind(*manifest, a.kind, "manifest");
  auto* schema = add(app.add_subcommand("schema", "Print the JSON Schema of a kind's manifests"),
                     [&a](Context& ctx) { run_schema(ctx, a.kind); });
  add_kind(*schema, a.kind, "schema");

  add(app.add_subcommand("whoami", "Print the user and account of the API key"), [](Context& ctx) { run_whoami(ctx); });
  add(app.add_subcommand("status", "Print the platform's infrastructure status"), [](Context& ctx) { run_status(ctx); });
  auto* version = add(app.add_subcommand("version", "Print this tool's version and the platform's"),
                      [&a](Context& ctx) { run_version(ctx, a.client_only); });
  version->add_flag("--client", a.client_only, "This tool's version only (no request)");

  auto* chat = add(app.add_subcommand("chat", "Chat with a chatbot: `chat CHATBOT` holds a conversation in one session; "
                                              "/new starts a new session, /exit quits"),
                   [&a](Context& ctx) {
                     SessionArgs session = a.session;
                     if (!a.chat_positional.empty()) session.chatbot = a.chat_positional;
                     if (session.chatbot.empty()) throw UsageError("chat needs a chatbot: smarter chat CHATBOT");
                     run_chat(ctx, session);
                   });
  chat->add_option("chatbot", a.chat_positional, "The chatbot to talk to");
  chat->add_option("-c,--chatbot", a.session.chatbot, "The chatbot to talk to");
  add_session_flags(*chat, a.session);
  auto* prompt = add(chat->add_subcommand("prompt", "Send one prompt and print the answer"),
                     [&a](Context& ctx) {
                       refuse_extra(a.chat_positional);
                       run_chat_prompt(ctx, a.session, a.prompt);
                     });
  prompt->add_option("-c,--chatbot", a.session.chatbot, "The chatbot")->required();
  prompt->add_option("-p,--prompt", a.prompt, "The prompt")->required();
  add_session_flags(*prompt, a.session);
  auto* config = add(chat->add_subcommand("config", "Print the chat configuration of the session"),
                     [&a](Context& ctx) {
                       refuse_extra(a.chat_positional);
                       run_chat_config(ctx, a.session);
                     });
  config->add_option("-c,--chatbot", a.session.chatbot, "The chatbot")->required();
  add_session_flags(*config, a.session);

  auto* configure = add(app.add_subcommand("configure", "Write ~/.smarter/config.yaml (asks for each setting without flags)"),
                        [&a](Context& ctx) { run_configure(ctx, a.configure); });
  configure->add_option("-a,--account_number", a.configure.account_number, "Account number, e.g. 1234-5678-9012");
  configure->add_option("-k,--api_key,--api-key", a.configure.api_key,
                        "API key of the environment in use (--environment, default prod)");
  configure->add_option("-u,--username", a.configure.username, "Username of the web console");
  configure->add_option("-o,--output_format", a.configure.output_format, "Default output format: json or yaml");
  configure->add_option("--root_domain", a.configure.root_domain, "Platform domain (default platform.smarter.sh)");
  return commands;
}

/// Runs the command `action` with the settings from the config file, environment and flags.
int run_command(Arguments const& args, std::function<void(Context&)> const& action) {
  try {
    std::string const path = args.flags.config_file.value_or(ConfigFile::default_path());
    ConfigFile config = ConfigFile::load(path);
    Settings settings = resolve_settings(args.flags, config);
    Context ctx(std::move(settings), std::move(config), std::cin, std::cout, std::cerr);
    action(ctx);
    std::cout.flush();
    return static_cast<int>(ExitStatus::ok);
  } catch (...) {
    return report_error(args.flags.verbose);
  }
}

}  // namespace

int run(int argc, char const* const* argv) {
  CLI::App app{"Manage Smarter platform resources and talk to chatbots.", "smarter"};
  app.fallthrough();  // global flags may follow a command's own arguments
  app.require_subcommand(0, 1);
  app.failure_message(failure_message);
  app.footer(kExitStatuses);
  app.set_version_flag("--version", std::string(smarter::version()));

  Arguments args;
  define_global_flags(app, args.flags);
  std::vector<Command> commands = define_commands(app, args);
  auto* completion = app.add_subcommand("completion", "Print a shell completion script: bash or zsh");
  completion->add_option("shell", args.shell, "bash or zsh")->required()->check(CLI::IsMember({"bash", "zsh"}));

  try {
    app.parse(argc, argv);
  } catch (CLI::ParseError const& e) {
    int const code = app.exit(e);
    return code == 0 ? 0 : static_cast<int>(ExitStatus::usage);
  }
  if (completion->parsed()) {
    // Needs no configuration: it describes the command line only.
    std::cout << completion_script(app, args.shell);
    return static_cast<int>(ExitStatus::ok);
  }
  // The deepest command given wins: `chat prompt` over `chat`.
  for (auto it = commands.rbegin(); it != commands.rend(); ++it) {
    if (it->app->parsed()) return run_command(args, it->action);
  }
  std::cout << app.help();
  return static_cast<int>(ExitStatus::ok);
}

}  // namespace smarter_cli

// The resource and account commands: get, describe, delete, deploy, undeploy, logs, apply,
// manifest, schema, whoami, status and version.
#include "commands.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <smarter/errors.hpp>
#include <smarter/resources/manifests.hpp>
#include <smarter/types/manifest.hpp>
#include <smarter/types/platform.hpp>
#include <smarter/version.hpp>

#include "exit_status.hpp"
#include "output.hpp"

namespace smarter_cli {

namespace {

using nlohmann::json;

/// The platform's spelling of each kind, keyed by the typed name in lower case without '-', '_'
/// and a trailing 's' (the Go tool's names and the platform's own).
struct KnownKind {
  char const* key;
  char const* kind;
};
constexpr KnownKind kKnownKinds[] = {
    {"chatbot", "Chatbot"},           {"llmclient", "LLMClient"},
    {"plugin", "Plugin"},             {"apiplugin", "ApiPlugin"},
    {"sqlplugin", "SqlPlugin"},       {"user", "User"},
    {"account", "Account"},           {"apikey", "AuthToken"},
    {"authtoken", "AuthToken"},       {"smarterauthtoken", "SmarterAuthToken"},
    {"apiconnection", "ApiConnection"}, {"sqlconnection", "SqlConnection"},
    {"chat", "Chat"},                 {"prompt", "Prompt"},
    {"chathistory", "ChatHistory"},   {"chatpluginusage", "ChatPluginUsage"},
    {"chattoolcall", "ChatToolCall"}, {"secret", "Secret"},
    {"provider", "Provider"},         {"vectorstore", "Vectorstore"},
};

/// The field that names a row of a listing: `name`, else `username`, else the first column.
std::string row_name(json const& item, json const& titles) {
  if (!item.is_object()) return {};
  for (char const* key : {"name", "username"}) {
    if (item.contains(key) && item[key].is_string()) return item[key].get<std::string>();
  }
  if (titles.is_array() && !titles.empty() && titles[0].is_object()) {
    std::string const first = titles[0].value("name", "");
    if (item.contains(first)) return item[first].is_string() ? item[first].get<std::string>() : item[first].dump();
  }
  return {};
}

/// Sorts and limits the items of a listing in place, as --asc, --desc and -i ask. The platform
/// receives these flags too but does not apply them (it returns up to 1000 items by name).
void arrange_items(json& data, GetArgs const& args) {
  if (!data.is_object() || !data.contains("data") || !data["data"].is_object()) return;
  json& listing = data["data"];
  if (!listing.contains("items") || !listing["items"].is_array()) return;
  json& items = listing["items"];
  json const titles = listing.value("titles", json::array());
  if (args.ascending || args.descending) {
    std::vector<json> rows(items.begin(), items.end());
    std::stable_sort(rows.begin(), rows.end(), [&](json const& a, json const& b) {
      return args.descending ? row_name(b, titles) < row_name(a, titles) : row_name(a, titles) < row_name(b, titles);
    });
    items = rows;
  }
  if (args.limit && items.size() > static_cast<std::size_t>(*args.limit)) {
    items.erase(items.begin() + *args.limit, items.end());
  }
}

/// Prints the outcome of a command that changes something: the platform's message ("Chatbot x
/// deleted successfully", or `fallback` without one), or the response's data when -o asks.
void print_outcome(Context& ctx, json const& data, std::optional<std::string> const& message,
                   std::string const& fallback) {
  if (ctx.settings().format != Format::automatic) {
    ctx.print_document(data, Format::json);
  } else if (!ctx.settings().quiet) {
    ctx.out << (message && !message->empty() ? *message : fallback) << "\n";
  }
}

/// The text of `file`, or of standard input for "-". Throws InputError when it cannot be read.
std::string read_input(Context& ctx, std::string const& file) {
  std::stringstream text;
  if (file == "-") {
    text << ctx.in.rdbuf();
    return text.str();
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError("cannot read " + file + ": " + std::strerror(errno));
  text << in.rdbuf();
  return text.str();
}

/// Parses the manifests of a file: `.json` files and text starting with '{' as one JSON manifest,
/// anything else as YAML, one manifest per document ("---" between them). Throws InputError
/// naming `file` when it does not parse or a manifest has no kind or name.
std::vector<smarter::Manifest> parse_manifests(std::string const& text, std::string const& file) {
  std::string const where = file == "-" ? "standard input" : file;
  auto const first = std::find_if(text.begin(), text.end(), [](unsigned char c) { return !std::isspace(c); });
  if (first == text.end()) throw InputError(where + " is empty: expected a YAML or JSON manifest");
  bool const json_file = file.size() > 5 && file.compare(file.size() - 5, 5, ".json") == 0;
  std::vector<smarter::Manifest> manifests;
  try {
    if (json_file || *first == '{') {
      manifests.push_back(smarter::Manifest::parse_json(text));
    } else {
      manifests = smarter::Manifest::parse_yaml_all(text);
    }
  } catch (smarter::SmarterError const& e) {
    throw InputError(where + ": " + e.what());
  }
  if (manifests.empty()) throw InputError(where + " holds no manifest");
  for (std::size_t i = 0; i < manifests.size(); ++i) {
    std::string const which = manifests.size() > 1 ? " (document " + std::to_string(i + 1) + ")" : "";
    if (manifests[i].kind().empty()) throw InputError(where + which + ": the manifest has no kind");
    if (manifests[i].name().empty()) {
      throw InputError(where + which + ": the manifest has no name (metadata.name)");
    }
  }
  return manifests;
}

}  // namespace

// ---------------------------------------------------------------- context

Context::Context(Settings settings, ConfigFile config, std::istream& input, std::ostream& output, std::ostream& error)
    : in(input), out(output), err(error), settings_(std::move(settings)), config_(std::move(config)) {}

smarter::Smarter const& Context::client() {
  if (!client_) {
    smarter::ClientOptions const options = client_options(settings_);
    try {
      client_.emplace(options);
    } catch (smarter::SmarterError const& e) {
      // The SDK refuses a bad base URL, timeout or retry count when the client is made.
      throw UsageError(e.what());
    }
  }
  return *client_;
}

Format Context::format_for(Format fallback, bool document) const {
  if (settings_.format != Format::automatic) return settings_.format;
  if (document && settings_.configured_format) return *settings_.configured_format;
  return fallback;
}

void Context::print_document(nlohmann::json const& data, Format fallback) {
  switch (format_for(fallback, true)) {
    case Format::yaml: write_yaml(out, data); break;
    case Format::table: out << render_table(field_table(data), output_width()); break;
    case Format::json:
    case Format::automatic: write_json(out, data); break;
  }
}

std::string platform_kind(std::string const& typed) {
  bool const valid = !typed.empty() && std::all_of(typed.begin(), typed.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '_' || c == '-';
  });
  if (!valid) throw UsageError("invalid kind '" + typed + "': a kind has only letters, digits, '-' and '_'");
  std::string key;
  for (unsigned char c : typed) {
    if (c != '-' && c != '_') key += static_cast<char>(std::tolower(c));
  }
  if (key.size() > 1 && key.back() == 's') key.pop_back();
  for (KnownKind const& known : kKnownKinds) {
    if (key == known.key) return known.kind;
  }
  return typed;
}

std::vector<std::string> suggested_kinds(std::string const& command) {
  if (command == "get") {
    return {"chatbots", "plugins", "users", "account", "apikeys", "apiconnections", "sqlconnections",
            "chats", "chathistory", "chatpluginusage", "chattoolcalls"};
  }
  if (command == "describe") return {"chatbot", "plugin", "user", "account", "apikey", "apiconnection", "sqlconnection"};
  if (command == "delete") return {"chatbot", "plugin", "user", "chat", "apikey", "apiconnection", "sqlconnection"};
  if (command == "deploy" || command == "undeploy") return {"chatbot"};
  if (command == "logs") return {"chatbot", "chats", "chathistory"};
  if (command == "manifest" || command == "schema") {
    return {"account", "apikey", "apiconnection", "chat", "chatbot", "plugin", "secret", "sqlconnection", "user"};
  }
  return {};
}

// ---------------------------------------------------------------- brokered commands

void run_get(Context& ctx, GetArgs const& args) {
  std::string const kind = platform_kind(args.kind);
  smarter::RequestOptions request;
  // Sent as the Go tool sends them (the platform echoes them in `kwargs`), and applied here.
  if (args.limit) request.extra_query.emplace_back("i", std::to_string(*args.limit));
  if (args.ascending) request.extra_query.emplace_back("asc", "true");
  if (args.descending) request.extra_query.emplace_back("desc", "true");
  smarter::ManifestList const list = ctx.client().manifests().get(kind, args.name, request);
  json data = list.to_dict();
  arrange_items(data, args);

  Format const format = ctx.format_for(Format::table, false);
  if (format != Format::table) {
    ctx.print_document(data, format);
  } else if (ctx.settings().quiet) {
    json const& listing = data.contains("data") ? data["data"] : data;
    for (auto const& item : listing.value("items", json::array())) {
      ctx.out << row_name(item, listing.value("titles", json::array())) << "\n";
    }
  } else {
    ctx.out << render_table(listing_table(data), output_width());
  }
}

void run_describe(Context& ctx, std::string const& kind, std::string const& name) {
  smarter::ManifestDocument const document = ctx.client().manifests().describe(platform_kind(kind), name);
  ctx.print_document(document.to_dict(), Format::json);
}

void run_delete(Context& ctx, std::string const& kind, std::string const& name) {
  std::string const platform = platform_kind(kind);
  smarter::PlatformResponse const response = ctx.client().manifests().remove(platform, name);
  print_outcome(ctx, response.data, response.message, platform + " " + name + " deleted");
}

void run_deploy(Context& ctx, std::string const& kind, std::string const& name, bool deploy) {
  std::string const platform = platform_kind(kind);
  auto manifests = ctx.client().manifests();
  smarter::PlatformResponse const response = deploy ? manifests.deploy(platform, name) : manifests.undeploy(platform, name);
  print_outcome(ctx, response.data, response.message, platform + " " + name + (deploy ? " deployed" : " undeployed"));
}

void run_logs(Context& ctx, std::string const& kind, std::string const& name) {
  smarter::PlatformResponse const response = ctx.client().manifests().logs(platform_kind(kind), name);
  ctx.print_document(response.data, Format::json);
}

void run_apply(Context& ctx, std::string const& file) {
  // Every manifest is checked before the first is sent; they are applied in file order.
  for (smarter::Manifest const& manifest : parse_manifests(read_input(ctx, file), file)) {
    smarter::ManifestDocument const applied = ctx.client().manifests().apply(manifest);
    print_outcome(ctx, applied.to_dict(), applied.envelope.message,
                  manifest.kind() + " " + manifest.name() + " applied");
  }
}

void run_manifest(Context& ctx, std::string const& kind) {
  smarter::ManifestDocument const example = ctx.client().manifests().example_manifest(platform_kind(kind));
  // YAML unless -o says otherwise (as the Go tool): the file to edit and apply.
  Format const format = ctx.format_for(Format::yaml, false);
  ctx.print_document(example.to_dict(), format);
}

void run_schema(Context& ctx, std::string const& kind) {
  ctx.print_document(ctx.client().manifests().json_schema(platform_kind(kind)).schema, Format::json);
}

// ---------------------------------------------------------------- account commands

void run_whoami(Context& ctx) { ctx.print_document(ctx.client().whoami().to_dict(), Format::json); }

void run_status(Context& ctx) { ctx.print_document(ctx.client().platform_status().to_dict(), Format::json); }

void run_version(Context& ctx, bool client_only) {
  if (ctx.settings().format != Format::automatic) {
    json result = {{"client", {{"version", smarter::version()}}}};
    if (!client_only) result["platform"] = ctx.client().platform_version().to_dict();
    ctx.print_document(result, Format::json);
    return;
  }
  // The client's line first: it is printed even when the platform cannot be asked.
  ctx.out << "Client version: " << smarter::version() << "\n" << std::flush;
  if (client_only) return;
  smarter::PlatformVersion const platform = ctx.client().platform_version();
  ctx.out << "Platform version: " << platform.api_version.value_or("unknown");
  if (auto generation = platform.generation()) {
    ctx.out << " (API " << (*generation == smarter::PlatformGeneration::v0_14 ? "v0.14" : "v0.13") << ")";
  }
  ctx.out << "\n";
}

}  // namespace smarter_cli

// The fake Smarter platform: routing, state and the platform's exact response shapes.
// Shapes follow ../shared/reference/smarter-platform-api.md and ../shared/fixtures/smarter.
#include <smarter/testkit/fake_platform.hpp>

#include <algorithm>
#include <cctype>
#include <ctime>

#include <fmt/format.h>

#include "types/yaml_json.hpp"
#include "ascii.hpp"
#include "testkit/platform_shapes.hpp"

namespace smarter::testkit {

namespace {

using json = nlohmann::json;
using detail::classify_kind;
using detail::KindClass;
using detail::KindInfo;
using detail::kApiVersion;
using detail::normalize_kind;

constexpr char kNotFoundHtml[] =
    "<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n"
    "  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n</body>\n</html>\n";

std::vector<std::string> split_path(std::string const& text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('/', start);
    if (end == std::string::npos) end = text.size();
    parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

std::uint64_t splitmix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Rough token count, deterministic: about four characters per token.
std::int64_t tokens_of(std::string const& text) { return static_cast<std::int64_t>((text.size() + 3) / 4); }

json string_or_null(json const& j, char const* key) {
  auto it = j.find(key);
  return it == j.end() ? json(nullptr) : *it;
}

// The OpenAI tool definition the platform gives the model for one of a chatbot's built-in
// functions. `weather` (`get_current_weather` in older manifests) is the one whose definition the
// real platform's answers show; other names get a definition without parameters of their own.
json tool_definition(std::string const& function) {
  if (function == "weather" || function == "get_current_weather") {
    return {{"type", "function"},
            {"function",
             {{"name", "get_current_weather"},
              {"description", "Get the current weather in a given location."},
              {"parameters",
               {{"type", "object"},
                {"properties",
                 {{"location", {{"type", "string"}, {"description", "The city and state, e.g. San Francisco, CA"}}},
                  {"unit", {{"type", "string"}, {"enum", {"celsius", "fahrenheit"}}}}}},
                {"required", {"location"}}}}}}};
  }
  return {{"type", "function"},
          {"function",
           {{"name", function},
            {"description", "The Smarter built-in function " + function + "."},
            {"parameters", {{"type", "object"}, {"properties", json::object()}, {"required", json::array()}}}}}};
}

bool is_true(std::string const& text) {
  std::string t = smarter::detail::to_lower(text);
  return t == "true" || t == "1" || t == "yes";
}

}  // namespace

struct FakePlatform::Call {
  PlatformHttpRequest const& request;
  std::string command;  // journal command name
  std::string host;     // Host header
  std::string url;      // full request URL, for error `args`

  std::optional<std::string> query(std::string const& name) const {
    for (auto const& [key, value] : request.query) {
      if (key == name) return value;
    }
    return std::nullopt;
  }
};

FakePlatform::FakePlatform(PlatformOptions options)
    : options_(std::move(options)),
      journal_(options_.journal.value_or(options_.generation == FakeGeneration::v0_13)) {
  if (options_.seed_demo) seed();
}

// ---------------------------------------------------------------- helpers

std::string FakePlatform::chatbot_kind() const {
  return options_.generation == FakeGeneration::v0_13 ? "Chatbot" : "LLMClient";
}

std::string FakePlatform::chat_thing() const {
  return options_.generation == FakeGeneration::v0_13 ? "Chat" : "Prompt";
}

std::string FakePlatform::next_key() {
  ++counter_;
  std::string key;
  for (std::uint64_t i = 0; i < 4; ++i) key += fmt::format("{:016x}", splitmix(counter_ * 4 + i));
  return key;
}

std::string FakePlatform::now() {
  // Deterministic clock: 2026-01-01T00:00:00Z plus one second per event.
  ++counter_;
  std::time_t t = static_cast<std::time_t>(1767225600 + counter_);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[40];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S.000000Z", &tm);
  return buffer;
}

json FakePlatform::envelope(std::string const& command, std::string const& thing) {
  json j = json::object();
  j["api"] = kApiVersion;
  if (options_.generation == FakeGeneration::v0_13) {
    j["thing"] = thing;
    j["metadata"] = journal_ ? json{{"key", next_key()}} : json{{"command", command}};
  } else {
    j["metadata"] = journal_ ? json{{"key", next_key()}} : json{{"command", command}, {"thing", thing}};
  }
  return j;
}

PlatformHttpResponse FakePlatform::ok(Call const& call, json data, std::string const& message,
                                      std::string const& thing) {
  json j = envelope(call.command, thing);
  j["data"] = std::move(data);
  if (!message.empty()) j["message"] = message;
  return {200, "application/json", j.dump(), {}};
}

PlatformHttpResponse FakePlatform::journaled_error(Call const& call, int status, std::string const& error_class,
                                                   std::string const& description, std::string const& thing) {
  json const j = detail::journaled_error_body(options_.generation, status, error_class, description, thing,
                                              call.command, call.url);
  return {status, "application/json", j.dump(), {}};
}

json FakePlatform::chatbot_manifest(std::string const& name, std::string const& description) const {
  return {{"apiVersion", kApiVersion},
          {"kind", chatbot_kind()},
          {"metadata",
           {{"name", name},
            {"description", description},
            {"version", "1.0.0"},
            {"tags", {"demo"}},
            {"annotations", json::array()}}},
          {"spec",
           {{"config",
             {{"deployed", false},
              {"provider", "openai"},
              {"defaultModel", "gpt-4o-mini"},
              {"defaultSystemRole", "You are a helpful chatbot."},
              {"defaultTemperature", 0.5},
              {"defaultMaxTokens", 2048},
              {"subdomain", nullptr},
              {"customDomain", nullptr},
              {"appName", "Demo Chatbot"},
              {"appAssistant", "Elle"},
              {"appWelcomeMessage", "Welcome to the demo chatbot! How can I help you today?"},
              {"appExamplePrompts", {"Hello, World!", "What can you do?"}},
              {"appPlaceholder", "Ask me anything..."},
              {"appInfoUrl", "https://smarter.sh"},
              {"appBackgroundImageUrl", nullptr},
              {"appLogoUrl", nullptr},
              {"appFileAttachment", false}}},
            {"plugins", json::array()},
            {"functions", {"weather"}},
            {"apiKey", nullptr}}}};
}

void FakePlatform::add_chatbot(std::string const& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::string const created = now();
  chatbots_[name] = Chatbot{chatbot_manifest(name, "A chatbot seeded into the fake Smarter platform."), false,
                            next_id_++, created, created};
}

void FakePlatform::seed() {
  json chatbot = chatbot_manifest(options_.demo_chatbot, "The demo chatbot of the fake Smarter platform.");
  chatbot["spec"]["plugins"] = {"everlasting_gobstopper"};
  std::string created = now();
  chatbots_[options_.demo_chatbot] = Chatbot{chatbot, false, next_id_++, created, created};

  json plugin = {
      {"apiVersion", kApiVersion},
      {"kind", "Plugin"},
      {"metadata",
       {{"name", "everlasting_gobstopper"},
        {"pluginClass", "static"},
        {"description", "Get additional information about the Everlasting Gobstopper product."},
        {"version", "0.1.0"},
        {"tags", {"candy", "treats", "chocolate"}},
        {"annotations", json::array()}}},
      {"spec",
       {{"selector", {{"directive", "search_terms"}, {"searchTerms", {"Gobstopper", "Gobstoppers"}}}},
        {"prompt",
         {{"provider", "openai"},
          {"systemRole", "You are a helpful marketing agent for the Willy Wonka Chocolate Factory."},
          {"model", "gpt-4o-mini"},
          {"temperature", 0.5},
          {"maxTokens", 2048}}},
        {"data",
         {{"description", "Get additional information about the Everlasting Gobstopper product."},
          {"staticData", {{"contact", {{{"name", "Willy Wonka"}}, {{"title", "Founder and CEO"}}}}}}}}}}};
  plugins_["everlasting_gobstopper"] = Plugin{plugin, created, created};
}

// ---------------------------------------------------------------- inspection and control

std::vector<std::string> FakePlatform::chatbot_names() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> names;
  for (auto const& item : chatbots_) names.push_back(item.first);
  return names;
}

std::vector<std::string> FakePlatform::plugin_names() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> names;
  for (auto const& item : plugins_) names.push_back(item.first);
  return names;
}

bool FakePlatform::is_deployed(std::string const& name) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = chatbots_.find(name);
  return it != chatbots_.end() && it->second.deployed;
}

std::vector<json> FakePlatform::session_messages(std::string const& session_key) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = sessions_.find(session_key);
  return it == sessions_.end() ? std::vector<json>{} : it->second.messages;
}

void FakePlatform::fail_next(std::string const& command, int status, std::string body, std::string content_type) {
  std::lock_guard<std::mutex> lock(mutex_);
  injected_[command] = Injected{status, std::move(body), std::move(content_type)};
}

// ---------------------------------------------------------------- routing

PlatformHttpResponse FakePlatform::handle(PlatformHttpRequest const& request) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto host_it = request.headers.find("host");
  std::string host = host_it == request.headers.end() ? "127.0.0.1" : host_it->second;
  std::string url = "http://" + host + request.path;
  if (!request.query.empty()) {
    char sep = '?';
    for (auto const& [key, value] : request.query) {
      url += sep + key + "=" + value;
      sep = '&';
    }
  }
  Call call{request, "", host, url};
  return dispatch(call);
}

PlatformHttpResponse FakePlatform::dispatch(Call& call) {
  PlatformHttpResponse not_found{404, "text/html; charset=utf-8", kNotFoundHtml, {}};
  std::string const& path = call.request.path;
  std::size_t at = path.find("/cli/");
  // Django has no route without the trailing slash (and cannot redirect a POST to it).
  if (at == std::string::npos || path.back() != '/') return not_found;
  std::vector<std::string> parts = split_path(path.substr(at + 5, path.size() - at - 6));
  bool const v13 = options_.generation == FakeGeneration::v0_13;
  std::string const chat_word = v13 ? "chat" : "prompt";

  enum class Route { apply, get, describe, lifecycle, example, schema, prompt, config, whoami, status, version };
  Route route;
  std::string argument;
  bool allow_get = false;
  bool needs_auth = true;
  auto const n = parts.size();
  if (n == 1 && parts[0] == "apply") {
    route = Route::apply;
    call.command = "apply";
  } else if (n == 1 && (parts[0] == "whoami" || parts[0] == "status" || parts[0] == "version")) {
    route = parts[0] == "whoami" ? Route::whoami : parts[0] == "status" ? Route::status : Route::version;
    call.command = parts[0];
  } else if (n == 2 && parts[0] == "get") {
    route = Route::get;
    call.command = "get";
  } else if (n == 2 && parts[0] == "describe") {
    route = Route::describe;
    call.command = "describe";
    allow_get = true;
  } else if (n == 2 && (parts[0] == "delete" || parts[0] == "deploy" || parts[0] == "undeploy" || parts[0] == "logs")) {
    route = Route::lifecycle;
    call.command = parts[0];
  } else if (n == 2 && parts[0] == (v13 ? "example_manifest" : "example-manifest")) {
    route = Route::example;
    call.command = "example_manifest";
    allow_get = true;
    needs_auth = false;
  } else if (n == 2 && parts[0] == (v13 ? "schema" : "json-schema")) {
    route = Route::schema;
    call.command = v13 ? "schema" : "json_schema";
    allow_get = true;
    needs_auth = false;
  } else if (n == 3 && parts[0] == chat_word && parts[1] == "config") {
    route = Route::config;
    call.command = "chat_config";
  } else if (n == 2 && parts[0] == chat_word) {
    route = Route::prompt;
    call.command = chat_word;
  } else {
    return not_found;
  }
  if (n >= 2) argument = parts.back();
  if (argument.empty() && route != Route::apply && route != Route::whoami && route != Route::status &&
      route != Route::version) {
    return not_found;
  }

  if (auto injected = injected_.find(call.command); injected != injected_.end()) {
    Injected reply = injected->second;
    injected_.erase(injected);
    return {reply.status, reply.content_type, reply.body, {}};
  }
  if (call.request.method != "POST" && !(allow_get && call.request.method == "GET")) {
    return {405, "text/html; charset=utf-8", "", {{"Allow", allow_get ? "GET, POST" : "POST"}}};
  }
  if (needs_auth) {
    auto auth = call.request.headers.find("authorization");
    if (auth == call.request.headers.end() || auth->second != "Token " + options_.api_key) {
      return journaled_error(call, 403, "SmarterAPIV1CLIViewErrorNotAuthenticated",
                             "Smarter api v1 command-line interface error: authentication failed", "None");
    }
  }

  switch (route) {
    case Route::apply: return apply(call);
    case Route::get: return get(call, argument);
    case Route::describe: return describe(call, argument);
    case Route::lifecycle: return lifecycle(call, argument);
    case Route::example: return example_manifest(call, argument);
    case Route::schema: return schema(call, argument);
    case Route::prompt: return prompt(call, argument);
    case Route::config: return chat_config(call, argument);
    case Route::whoami: return whoami(call);
    case Route::status: return status(call);
    case Route::version: return version(call);
  }
  return not_found;
}

// ---------------------------------------------------------------- kinds

// Returns early with the error a kind outside chatbots and plugins gets: 400 for a kind the
// platform does not know, 501 for a real kind this fake does not model.
#define SMARTER_FAKE_CHECK_KIND(info, raw)                                                                   \
  if ((info).cls == KindClass::unknown) {                                                                   \
    return journaled_error(call, 400, "SmarterAPIV1CLIViewError",                                            \
                           "Smarter api v1 command-line interface error: Unsupported manifest kind: " + (raw), \
                           "None");                                                                         \
  }                                                                                                         \
  if ((info).cls == KindClass::other) {                                                                     \
    return journaled_error(call, 501, "SAMBrokerErrorNotImplemented",                                        \
                           "Smarter API " + (info).name + " manifest broker: not implemented by the fake platform", \
                           (info).name);                                                                    \
  }

// ---------------------------------------------------------------- brokered commands

json FakePlatform::describe_chatbot(Chatbot const& bot, std::string const& host) const {
  json manifest = bot.manifest;
  std::string const name = manifest["metadata"].value("name", "");
  std::string const public_host = fmt::format("{}.{}.api.smarter.sh", name, kFakeAccountNumber);
  std::string const sandbox = fmt::format("{}/api/v1/chatbots/{}/", host, bot.id);
  json& config = manifest["spec"]["config"];
  if (!config.is_object()) config = json::object();
  config["deployed"] = bot.deployed;
  config["dnsVerificationStatus"] = bot.deployed ? "Verified" : "Not Verified";
  config["tlsCertificateIssuanceStatus"] = bot.deployed ? "Issued" : "Not Issued";
  manifest["status"] = {{"created", bot.created},
                        {"modified", bot.modified},
                        {"deployed", bot.deployed},
                        {"accountNumber", kFakeAccountNumber},
                        {"username", kFakeUsername},
                        {"defaultHost", public_host},
                        {"defaultUrl", "https://" + public_host + "/"},
                        {"customUrl", nullptr},
                        {"sandboxHost", sandbox},
                        {"sandboxUrl", "http://" + sandbox},
                        {"hostname", public_host},
                        {"scheme", "https"},
                        {"url", "https://" + public_host + "/"},
                        {"urlChatbot", "http://" + sandbox + "chat/"},
                        {"urlChatapp", "https://" + public_host + "/chatapp/"},
                        {"urlChatConfig", "http://" + sandbox + "config/"},
                        {"dnsVerificationStatus", bot.deployed ? "Verified" : "Not Verified"}};
  return manifest;
}

PlatformHttpResponse FakePlatform::apply(Call& call) {
  // The platform reads the body as JSON, then as YAML (the Go CLI sends raw YAML text).
  json manifest = json::parse(call.request.body, nullptr, false);
#if defined(SMARTER_HAVE_YAML)
  if (manifest.is_discarded()) {
    try {
      manifest = smarter::detail::yaml::parse(call.request.body);
    } catch (std::exception const&) {
      manifest = json(json::value_t::discarded);
    }
  }
#endif
  if (manifest.is_discarded() || !manifest.is_object()) {
    return journaled_error(call, 400, "SAMValidationError",
                           "Smarter API Manifest error: could not parse the manifest", "None");
  }
  std::string const raw_kind = manifest.value("kind", "");
  if (manifest.value("apiVersion", "") != kApiVersion) {
    return journaled_error(call, 400, "SAMValidationError",
                           fmt::format("Smarter API Manifest error: unsupported apiVersion, expected {}", kApiVersion),
                           raw_kind.empty() ? "None" : raw_kind);
  }
  KindInfo info = classify_kind(raw_kind, options_.generation);
  SMARTER_FAKE_CHECK_KIND(info, raw_kind)
  json const metadata = manifest.value("metadata", json::object());
  std::string const name = metadata.is_object() ? metadata.value("name", "") : "";
  if (name.empty()) {
    return journaled_error(call, 400, "SAMValidationError",
                           "Smarter API Manifest error: metadata.name is required", info.name);
  }
  if (!manifest.contains("spec") || !manifest["spec"].is_object()) {
    return journaled_error(call, 400, "SAMValidationError", "Smarter API Manifest error: spec is required",
                           info.name);
  }
  manifest["kind"] = info.name;
  manifest.erase("status");
  std::string const stamp = now();
  if (info.cls == KindClass::chatbot) {
    auto it = chatbots_.find(name);
    if (it == chatbots_.end()) {
      bool deployed = manifest["spec"].value("config", json::object()).value("deployed", false);
      it = chatbots_.emplace(name, Chatbot{manifest, deployed, next_id_++, stamp, stamp}).first;
    } else {
      it->second.manifest = manifest;
      it->second.modified = stamp;
      if (auto config = manifest["spec"].find("config"); config != manifest["spec"].end() && config->is_object() &&
                                                         config->contains("deployed") && (*config)["deployed"].is_boolean()) {
        it->second.deployed = (*config)["deployed"].get<bool>();
      }
    }
    return ok(call, describe_chatbot(it->second, call.host), fmt::format("{} {} applied successfully", info.name, name),
              info.name);
  }
  auto it = plugins_.find(name);
  if (it == plugins_.end()) {
    plugins_.emplace(name, Plugin{manifest, stamp, stamp});
  } else {
    it->second.manifest = manifest;
    it->second.modified = stamp;
  }
  return ok(call, manifest, fmt::format("{} {} applied successfully", info.name, name), info.name);
}

PlatformHttpResponse FakePlatform::get(Call& call, std::string const& raw_kind) {
  KindInfo info = classify_kind(raw_kind, options_.generation);
  SMARTER_FAKE_CHECK_KIND(info, raw_kind)
  std::string const name_filter = call.query("name").value_or("");
  json kwargs = json::object();
  for (auto const& [key, value] : call.request.query) kwargs[key].push_back(value);
  json titles = json::array();
  json items = json::array();
  if (info.cls == KindClass::chatbot) {
    titles = json::array({{{"name", "name"}, {"type", "CharField"}},
                          {{"name", "url"}, {"type", "ReadOnlyField"}},
                          {{"name", "dnsVerificationStatus"}, {"type", "ChoiceField"}},
                          {{"name", "deployed"}, {"type", "BooleanField"}},
                          {{"name", "createdAt"}, {"type", "DateTimeField"}},
                          {{"name", "updatedAt"}, {"type", "DateTimeField"}}});
    for (auto const& [name, bot] : chatbots_) {
      if (!name_filter.empty() && name != name_filter) continue;
      items.push_back({{"name", name},
                       {"url", fmt::format("https://{}.{}.api.smarter.sh/", name, kFakeAccountNumber)},
                       {"dnsVerificationStatus", bot.deployed ? "Verified" : "Not Verified"},
                       {"deployed", bot.deployed},
                       {"createdAt", bot.created},
                       {"updatedAt", bot.modified}});
    }
  } else {
    titles = json::array({{{"name", "name"}, {"type", "CharField"}},
                          {{"name", "pluginClass"}, {"type", "CharField"}},
                          {{"name", "version"}, {"type", "CharField"}},
                          {{"name", "email"}, {"type", "EmailField"}},
                          {{"name", "createdAt"}, {"type", "DateTimeField"}},
                          {{"name", "updatedAt"}, {"type", "DateTimeField"}}});
    // The plugin broker wraps its kwargs once more (a quirk of the real server).
    kwargs = {{"kwargs", kwargs}};
    for (auto const& [name, plugin] : plugins_) {
      if (!name_filter.empty() && name != name_filter) continue;
      if (normalize_kind(plugin.manifest.value("kind", "")) != normalize_kind(info.name)) continue;
      json const& metadata = plugin.manifest["metadata"];
      items.push_back({{"name", name},
                       {"pluginClass", metadata.value("pluginClass", "static")},
                       {"version", metadata.value("version", "")},
                       {"email", "admin@smarter.sh"},
                       {"createdAt", plugin.created},
                       {"updatedAt", plugin.modified}});
    }
  }
  json data = {{"apiVersion", kApiVersion},
               {"kind", info.name},
               {"name", name_filter},
               {"metadata", {{"count", items.size()}}},
               {"kwargs", kwargs},
               {"data", {{"titles", titles}, {"items", items}}}};
  std::string plural = info.name + "s";
  return ok(call, data, plural + " got successfully", info.name);
}

PlatformHttpResponse FakePlatform::describe(Call& call, std::string const& raw_kind) {
  KindInfo info = classify_kind(raw_kind, options_.generation);
  SMARTER_FAKE_CHECK_KIND(info, raw_kind)
  std::string const name = call.query("name").value_or("");
  if (name.empty()) {
    return journaled_error(call, 400, "SAMBrokerError",
                           fmt::format("Smarter API {} manifest broker: describe() name is required", info.name),
                           info.name);
  }
  if (info.cls == KindClass::chatbot) {
    auto it = chatbots_.find(name);
    if (it == chatbots_.end()) {
      // The chatbot broker reports a missing chatbot as "not ready" (503), not 404.
      return journaled_error(call, 503, "SAMBrokerErrorNotReady",
                             fmt::format("Smarter API {} manifest broker: describe() not ready error. {} {} not found",
                                         info.name, info.name, name),
                             info.name);
    }
    return ok(call, describe_chatbot(it->second, call.host), fmt::format("{} {} described successfully", info.name, name),
              info.name);
  }
  auto it = plugins_.find(name);
  if (it == plugins_.end()) {
    return journaled_error(call, 404, "SAMBrokerErrorNotFound",
                           fmt::format("Smarter API {} manifest broker: describe() not found error. {} {} not found",
                                       info.name, info.name, name),
                           info.name);
  }
  json manifest = it->second.manifest;
  manifest["status"] = {{"created", it->second.created}, {"modified", it->second.modified}};
  return ok(call, manifest, fmt::format("{} {} described successfully", info.name, name), info.name);
}

PlatformHttpResponse FakePlatform::lifecycle(Call& call, std::string const& raw_kind) {
  KindInfo info = classify_kind(raw_kind, options_.generation);
  SMARTER_FAKE_CHECK_KIND(info, raw_kind)
  std::string const& verb = call.command;
  std::string const name = call.query("name").value_or("");
  if (name.empty()) {
    return journaled_error(call, 400, "SAMBrokerError",
                           fmt::format("Smarter API {} manifest broker: {}() name is required", info.name, verb),
                           info.name);
  }
  if (info.cls == KindClass::chatbot) {
    auto it = chatbots_.find(name);
    if (it == chatbots_.end()) {
      return journaled_error(call, 503, "SAMBrokerErrorNotReady",
                             fmt::format("Smarter API {} manifest broker: {}() not ready error. {} {} not found",
                                         info.name, verb, info.name, name),
                             info.name);
    }
    if (verb == "delete") {
      chatbots_.erase(it);
      for (auto s = session_cache_.begin(); s != session_cache_.end();) {
        s = s->first.first == name ? session_cache_.erase(s) : std::next(s);
      }
      return ok(call, json::object(), fmt::format("{} {} deleted successfully", info.name, name), info.name);
    }
    if (verb == "deploy" || verb == "undeploy") {
      it->second.deployed = verb == "deploy";
      it->second.modified = now();
      return ok(call, json::object(), fmt::format("{} {} {}ed successfully", info.name, name, verb), info.name);
    }
    // logs: the real chatbot broker is a stub that answers empty data.
    return ok(call, json::object(), fmt::format("{} {} logs retrieved successfully", info.name, name), info.name);
  }
  auto it = plugins_.find(name);
  if (it == plugins_.end()) {
    return journaled_error(call, 404, "SAMBrokerErrorNotFound",
                           fmt::format("Smarter API {} manifest broker: {}() not found error. {} {} not found",
                                       info.name, verb, info.name, name),
                           info.name);
  }
  if (verb == "delete") {
    plugins_.erase(it);
    return ok(call, json::object(), fmt::format("{} {} deleted successfully", info.name, name), info.name);
  }
  return journaled_error(call, 501, "SAMBrokerErrorNotImplemented",
                         fmt::format("Smarter API {} manifest broker: {}() not implemented error", info.name, verb),
                         info.name);
}

PlatformHttpResponse FakePlatform::example_manifest(Call& call, std::string const& raw_kind) {
  KindInfo info = classify_kind(raw_kind, options_.generation);
  SMARTER_FAKE_CHECK_KIND(info, raw_kind)
  json data;
  if (info.cls == KindClass::chatbot) {
    data = {{"apiVersion", kApiVersion},
            {"kind", info.name},
            {"metadata",
             {{"name", "example_chatbot"},
              {"description", "To create and deploy an example Smarter chatbot."},
              {"version", "0.1.0"}}},
            {"spec",
             {{"apiKey", nullptr},
              {"config",
               {{"deployed", false},
                {"provider", "openai"},
                {"defaultModel", "gpt-4o-mini"},
                {"defaultSystemRole", "You are a helpful chatbot."},
                {"defaultTemperature", 0.5},
                {"defaultMaxTokens", 2048},
                {"subdomain", "example-chatbot"},
                {"customDomain", nullptr},
                {"appName", "Example Chatbot"},
                {"appAssistant", "Elle"},
                {"appWelcomeMessage", "Welcome to the Example Chatbot! How can I help you today?"},
                {"appExamplePrompts", {"What is the weather in New York?", "Tell me a joke"}},
                {"appPlaceholder", "Ask me anything..."},
                {"appInfoUrl", "https://example.com"},
                {"appLogoUrl", "https://example.com/logo.png"},
                {"appBackgroundImageUrl", "https://example.com/background-image.jpg"},
                {"appFileAttachment", false}}},
              {"functions", {"weather", "datemath", "stockprice"}},
              {"plugins", {"everlasting_gobstopper", "example_configuration"}}}}};
  } else {
    data = {{"apiVersion", kApiVersion},
            {"kind", info.name},
            {"metadata",
             {{"name", "everlasting_gobstopper"},
              {"pluginClass", "static"},
              {"description", "Get additional information about the Everlasting Gobstopper product."},
              {"version", "0.1.0"},
              {"tags", {"candy", "treats", "chocolate"}},
              {"annotations", json::array()}}},
            {"spec",
             {{"selector", {{"directive", "search_terms"}, {"searchTerms", {"Gobstopper", "Gobstoppers", "Gobbstopper"}}}},
              {"prompt",
               {{"provider", "openai"},
                {"systemRole", "You are a helpful marketing agent for the Willy Wonka Chocolate Factory."},
                {"model", "gpt-4o-mini"},
                {"temperature", 0.5},
                {"maxTokens", 2048}}},
              {"data",
               {{"description", "Get additional information about the Everlasting Gobstopper product."},
                {"staticData",
                 {{"contact", {{{"name", "Willy Wonka"}}, {{"title", "Founder and CEO"}}}},
                  {"coupon_codes",
                   {{{"name", "10% off"}, {"code", "10OFF"}, {"description", "10% off your next purchase"}}}}}}}}}}};
  }
  return ok(call, data, info.name + " example manifest successfully generated", info.name);
}

PlatformHttpResponse FakePlatform::schema(Call& call, std::string const& raw_kind) {
  KindInfo info = classify_kind(raw_kind, options_.generation);
  SMARTER_FAKE_CHECK_KIND(info, raw_kind)
  json metadata = {{"type", "object"},
                   {"properties",
                    {{"name", {{"type", "string"}, {"title", "Name"}}},
                     {"description", {{"type", "string"}, {"title", "Description"}}},
                     {"version", {{"type", "string"}, {"title", "Version"}}},
                     {"tags", {{"type", "array"}, {"items", {{"type", "string"}}}}}}},
                   {"required", {"name", "version"}}};
  json data = {{"title", "SAM" + info.name},
               {"type", "object"},
               {"description", "Smarter API " + info.name + " Manifest"},
               {"properties",
                {{"apiVersion", {{"type", "string"}, {"const", kApiVersion}}},
                 {"kind", {{"type", "string"}, {"const", info.name}}},
                 {"metadata", metadata},
                 {"spec", {{"type", "object"}}},
                 {"status", {{"type", "object"}}}}},
               {"required", {"apiVersion", "kind", "metadata", "spec"}}};
  return ok(call, data, info.name + " schema successfully generated", info.name);
}

// ---------------------------------------------------------------- prompting

std::string FakePlatform::session_for(std::string const& chatbot, std::string const& uid, bool new_session,
                                      std::string const& requested) {
  auto const cache_key = std::make_pair(chatbot, uid);
  std::string key;
  if (!new_session) {
    if (auto it = sessions_.find(requested); !requested.empty() && it != sessions_.end() && it->second.chatbot == chatbot) {
      key = requested;
    } else if (auto cached = session_cache_.find(cache_key); cached != session_cache_.end() && sessions_.count(cached->second)) {
      key = cached->second;
    }
  }
  if (key.empty()) {
    key = next_key();
    Session session{chatbot, {}};
    json const config = chatbots_.at(chatbot).manifest["spec"].value("config", json::object());
    session.messages.push_back({{"role", "system"}, {"content", config.value("defaultSystemRole", "You are a helpful chatbot.")}});
    auto welcome = config.find("appWelcomeMessage");
    if (welcome != config.end() && welcome->is_string() && !welcome->get<std::string>().empty()) {
      session.messages.push_back({{"role", "assistant"}, {"content", *welcome}});
    }
    sessions_[key] = std::move(session);
  }
  session_cache_[cache_key] = key;
  return key;
}

PlatformHttpResponse FakePlatform::prompt(Call& call, std::string const& name) {
  std::string const thing = chat_thing();
  auto bot = chatbots_.find(name);
  if (bot == chatbots_.end()) {
    return journaled_error(call, 404, "SAMBrokerErrorNotFound",
                           fmt::format("Smarter api v1 command-line interface error: {} {} not found", chatbot_kind(), name),
                           thing);
  }
  auto uid = call.query("uid");
  if (!uid || uid->empty()) {
    return journaled_error(call, 400, "SmarterAPIV1CLIViewError",
                           "Smarter api v1 command-line interface error: uid is required", thing);
  }
  json body = json::parse(call.request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object() || !body.contains("prompt") || !body["prompt"].is_string()) {
    return journaled_error(call, 400, "SmarterAPIV1CLIViewError",
                           "Smarter api v1 command-line interface error: a JSON body with a \"prompt\" string is required",
                           thing);
  }
  std::string const text = body["prompt"].get<std::string>();
  bool const new_session = is_true(call.query("new_session").value_or("false"));
  std::string const requested = body.value("session_key", "");
  std::string const key = session_for(name, *uid, new_session, requested);
  Session& session = sessions_[key];

  // Prior messages in the body replace the stored history (the prompt is appended to them).
  std::vector<json> history = session.messages;
  if (auto given = body.find("messages"); given != body.end() && given->is_array() && !given->empty()) {
    history.assign(given->begin(), given->end());
  }
  history.push_back({{"role", "user"}, {"content", text}});
  int turn = 0;
  for (auto const& m : history) turn += m.value("role", "") == "user" ? 1 : 0;

  std::string const answer =
      text == "Hello, World!" ? std::string(kDemoHelloAnswer)
                              : fmt::format("You said: \"{}\". This is message {} of our conversation.", text, turn);
  session.messages = history;
  session.messages.push_back({{"role", "assistant"}, {"content", answer}});

  json const config = bot->second.manifest["spec"].value("config", json::object());
  std::string const model = config.value("defaultModel", "gpt-4o-mini");
  double const temperature = config.value("defaultTemperature", 0.5);
  std::int64_t const max_tokens = config.value("defaultMaxTokens", 2048);
  std::int64_t prompt_tokens = 0;
  for (auto const& m : history) prompt_tokens += 4 + tokens_of(m.value("content", ""));
  std::int64_t const completion_tokens = tokens_of(answer);
  std::string const completion_id = "chatcmpl-" + next_key().substr(0, 29);
  std::int64_t const created = 1767225600 + static_cast<std::int64_t>(counter_);

  json completion = {{"id", completion_id},
                     {"object", "chat.completion"},
                     {"created", created},
                     {"model", model + "-2024-07-18"},
                     {"choices",
                      {{{"finish_reason", "stop"},
                        {"index", 0},
                        {"logprobs", nullptr},
                        {"message",
                         {{"role", "assistant"},
                          {"content", answer},
                          {"refusal", nullptr},
                          {"audio", nullptr},
                          {"function_call", nullptr},
                          {"tool_calls", nullptr},
                          {"annotations", json::array()}}}}}},
                     {"service_tier", "default"},
                     {"system_fingerprint", "fp_fake0smarter"},
                     {"usage",
                      {{"completion_tokens", completion_tokens},
                       {"prompt_tokens", prompt_tokens},
                       {"total_tokens", prompt_tokens + completion_tokens},
                       {"completion_tokens_details",
                        {{"accepted_prediction_tokens", 0}, {"audio_tokens", 0}, {"reasoning_tokens", 0},
                         {"rejected_prediction_tokens", 0}}},
                       {"prompt_tokens_details", {{"audio_tokens", 0}, {"cached_tokens", 0}}}}}};
  // The model's answer as the platform relays it: the completion plus Smarter's `metadata`.
  json llm_body = completion;
  llm_body["metadata"] = {{"tool_calls", nullptr},
                          {"model", model},
                          {"temperature", temperature},
                          {"max_tokens", max_tokens},
                          {"input_text", text}};
  json tools = json::array();
  json tool_names = json::array();
  for (auto const& function : bot->second.manifest["spec"].value("functions", json::array())) {
    if (!function.is_string()) continue;
    json tool = tool_definition(function.get<std::string>());
    tool_names.push_back(tool["function"]["name"]);
    tools.push_back(std::move(tool));
  }
  // `first_iteration` is the request the platform sent the model and the model's whole
  // completion (clients such as the Python SDK validate both); no tool was called, so the
  // second iteration is empty.
  json first_response = llm_body;
  llm_body["smarter"] = {
      {"first_iteration",
       {{"request",
         {{"model", model},
          {"messages", history},
          {"tools", tools},
          {"temperature", temperature},
          {"max_tokens", max_tokens},
          {"tool_choice", "auto"}}},
        {"response", std::move(first_response)}}},
      {"second_iteration", {{"request", {{"messages", json::array()}}}, {"response", json::object()}, {"messages", json::array()}}},
      {"tools", tool_names},
      {"plugins", json::array()},
      {"messages",
       {{{"role", "smarter"},
         {"content", fmt::format("Prompt configuration: llm=openai, model={}, temperature={}, max_tokens={}", model,
                                 temperature, max_tokens)},
         {"smarter_is_new", true}},
        {{"role", "smarter"},
         {"content", fmt::format("openai prompt charges: {} prompt tokens, {} completion tokens = {} total tokens charged.",
                                 prompt_tokens, completion_tokens, prompt_tokens + completion_tokens)},
         {"smarter_is_new", true}},
        {{"role", "assistant"}, {"content", answer}, {"smarter_is_new", true}}}}};

  json inner = envelope("chat", chatbot_kind());
  inner["data"] = {{"isBase64Encoded", false},
                   {"statusCode", 200},
                   {"headers", {{"Content-Type", "application/json"}}},
                   {"body", options_.chat_body_as_string ? json(llm_body.dump()) : llm_body}};
  json data = {{"request", {{"session_key", key}, {"messages", history}}}, {"response", inner}};
  return ok(call, data, "", thing);
}

PlatformHttpResponse FakePlatform::chat_config(Call& call, std::string const& name) {
  auto bot = chatbots_.find(name);
  if (bot == chatbots_.end()) {
    return journaled_error(call, 404, "SAMBrokerErrorNotFound",
                           fmt::format("Smarter api v1 command-line interface error: {} {} not found", chatbot_kind(), name),
                           "ChatConfig");
  }
  std::string const uid = call.query("uid").value_or("");
  bool const new_session = is_true(call.query("new_session").value_or("false"));
  json body = json::parse(call.request.body, nullptr, false);
  std::string requested;
  if (body.is_object()) requested = body.value("session_key", "");
  if (requested.empty()) requested = call.query("session_key").value_or("");
  std::string const key = session_for(name, uid, new_session, requested);

  json const& manifest = bot->second.manifest;
  json const config = manifest["spec"].value("config", json::object());
  json const metadata = manifest.value("metadata", json::object());
  std::string const sandbox = fmt::format("http://{}/api/v1/chatbots/{}/", call.host, bot->second.id);
  json chat_history = json::array();
  for (auto const& m : sessions_[key].messages) chat_history.push_back(m);
  json chatbot = {{"id", bot->second.id},
                  {"url_chatbot", sandbox + "chat/"},
                  {"account", {{"account_number", kFakeAccountNumber}}},
                  {"default_system_role", string_or_null(config, "defaultSystemRole")},
                  {"name", name},
                  {"description", string_or_null(metadata, "description")},
                  {"version", string_or_null(metadata, "version")},
                  {"deployed", bot->second.deployed},
                  {"provider", string_or_null(config, "provider")},
                  {"default_model", string_or_null(config, "defaultModel")},
                  {"default_temperature", string_or_null(config, "defaultTemperature")},
                  {"default_max_tokens", string_or_null(config, "defaultMaxTokens")},
                  {"app_name", string_or_null(config, "appName")},
                  {"app_assistant", string_or_null(config, "appAssistant")},
                  {"app_welcome_message", string_or_null(config, "appWelcomeMessage")},
                  {"app_example_prompts", config.value("appExamplePrompts", json::array())},
                  {"app_placeholder", string_or_null(config, "appPlaceholder")},
                  {"app_info_url", string_or_null(config, "appInfoUrl")},
                  {"app_background_image_url", string_or_null(config, "appBackgroundImageUrl")},
                  {"app_logo_url", string_or_null(config, "appLogoUrl")},
                  {"app_file_attachment", config.value("appFileAttachment", false)},
                  {"dns_verification_status", bot->second.deployed ? "Verified" : "Not Verified"},
                  {"tls_certificate_issuance_status", bot->second.deployed ? "Issued" : "Not Issued"},
                  {"subdomain", string_or_null(config, "subdomain")},
                  {"custom_domain", string_or_null(config, "customDomain")},
                  {"created_at", bot->second.created},
                  {"updated_at", bot->second.modified}};
  json plugins = json::array();
  for (auto const& p : manifest["spec"].value("plugins", json::array())) plugins.push_back({{"name", p}});
  json data = {{"session_key", key},
               {"sandbox_mode", !bot->second.deployed},
               {"debug_mode", false},
               {"chatbot", chatbot},
               {"history",
                {{"chat", {{"session_key", key}, {"chatbot", name}}},
                 {"chat_history", chat_history},
                 {"chat_tool_call_history", json::array()},
                 {"chat_plugin_usage_history", json::array()},
                 {"chatbot_request_history", json::array()},
                 {"plugin_selector_history", json::array()}}},
               {"meta_data", {{"uid", uid}}},
               {"plugins", {{"meta_data", {{"total_plugins", plugins.size()}, {"plugins_returned", plugins.size()}}},
                            {"plugins", plugins}}}};
  return ok(call, data, "", "ChatConfig");
}

// ---------------------------------------------------------------- account-level commands

PlatformHttpResponse FakePlatform::whoami(Call& call) {
  bool const camel = options_.key_style == KeyStyle::camel;
  auto k = [camel](char const* snake, char const* camel_name) { return std::string(camel ? camel_name : snake); };
  json user = {{"id", 1},
               {"username", kFakeUsername},
               {k("first_name", "firstName"), "Ada"},
               {k("last_name", "lastName"), "Lovelace"},
               {"email", "admin@smarter.sh"},
               {k("is_staff", "isStaff"), true},
               {k("is_superuser", "isSuperuser"), true}};
  json account = {{"id", 1},
                  {k("created_at", "createdAt"), "2024-11-21T04:44:44.955864Z"},
                  {k("updated_at", "updatedAt"), "2025-03-01T10:00:00.000000Z"},
                  {k("account_number", "accountNumber"), kFakeAccountNumber},
                  {k("is_default_account", "isDefaultAccount"), false},
                  {k("company_name", "companyName"), "Smarter"},
                  {k("phone_number", "phoneNumber"), "+1 512-555-0100"},
                  {"address1", "1 Main St"},
                  {"address2", "Suite 338"},
                  {"city", "Austin"},
                  {"state", "TX"},
                  {k("postal_code", "postalCode"), "78704"},
                  {"country", "USA"},
                  {"language", nullptr},
                  {"timezone", "America/Chicago"},
                  {"currency", "USD"}};
  return ok(call, {{"user", user}, {"account", account}, {"environment", "local"}}, "", "None");
}

PlatformHttpResponse FakePlatform::status(Call& call) {
  json data = {{"infrastructures",
                {{"kubernetes", json::object()},
                 {"mysql", json::object()},
                 {"redis",
                  {{"gcc_version", "12.2.0"},
                   {"os", "Linux 6.1.0-fake x86_64"},
                   {"redis_build_id", "fa6f1b7e0c4d9e21"},
                   {"redis_version", "7.2.4"}}}}},
               {"compute",
                {{"machine", "x86_64"},
                 {"release", "6.1.0-fake"},
                 {"platform", "Linux-6.1.0-fake-x86_64-with-glibc2.36"},
                 {"processor", ""},
                 {"system", "Linux"},
                 {"version", "#1 SMP PREEMPT_DYNAMIC"}}}};
  return ok(call, data, "", "None");
}

PlatformHttpResponse FakePlatform::version(Call& call) {
  bool const v13 = options_.generation == FakeGeneration::v0_13;
  json data = {{"api",
                {{"version", v13 ? kFakeVersionV013 : kFakeVersionV014},
                 {"python",
                  {{"botocore", "1.35.99"},
                   {"celery", "5.4.0"},
                   {"django", "5.1.7"},
                   {"openai", "1.68.2"},
                   {"pydantic", "2.10.6"},
                   {"python", "3.12.9"},
                   {"rest_framework", "3.15.2"}}}}},
               {"cli", {{"version", "0.2.1"}}}};
  return ok(call, data, "", "None");
}

}  // namespace smarter::testkit

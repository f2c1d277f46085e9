// Chatbots: list, describe, apply, delete, deploy, undeploy, logs, prompt, config.
#include <smarter/resources/chatbots.hpp>

#include <smarter/errors.hpp>

#include "resources/platform_cli.hpp"
#include "text_util.hpp"

namespace smarter::resources {

namespace {

using detail::CliQuery;

// "chat/<name>/" before v0.14, "prompt/<name>/" after; config lives under it.
std::string chat_path(int generation, std::string const& name, bool config) {
  std::string path = generation >= 14 ? "prompt/" : "chat/";
  if (config) path += "config/";
  return path + detail::path_segment("name", name) + "/";
}

// Sends the manifest with its kind spelled as the connected generation spells chatbots.
nlohmann::json chatbot_manifest_body(Manifest const& manifest, int generation) {
  nlohmann::json body = manifest.value();
  body["kind"] = detail::kind_for_generation(manifest.kind().empty() ? "Chatbot" : manifest.kind(), generation);
  return body;
}

}  // namespace

Chatbot::Chatbot(ChatbotManifest manifest, std::shared_ptr<detail::ClientCore const> core)
    : ChatbotManifest(std::move(manifest)), core_(std::move(core)) {}

smarter::Chat Chatbot::prompt(std::string const& text, PromptOptions const& options, RequestOptions const& request) const {
  return Chatbots(core_).prompt(name(), text, options, request);
}

ChatConfig Chatbot::config(ChatConfigOptions const& options, RequestOptions const& request) const {
  return Chatbots(core_).config(name(), options, request);
}

Chatbots::Chatbots(std::shared_ptr<detail::ClientCore const> core) : core_(std::move(core)) {}

CursorPage<ChatbotSummary> Chatbots::list(RequestOptions const& options) const {
  int const generation = detail::platform_generation(*core_, options);
  RawResponse response =
      detail::cli_post(*core_, "get/" + detail::kind_segment("Chatbot", generation) + "/", {}, std::nullopt, options);
  ManifestList table = parse_platform_response<ManifestList>(response);
  std::vector<ChatbotSummary> items;
  items.reserve(table.items.size());
  for (std::size_t i = 0; i < table.items.size(); ++i) {
    try {
      items.push_back(detail::decode_value<ChatbotSummary>(table.items[i]));
    } catch (detail::DecodeError const& e) {
      detail::throw_validation_error(response, e.with_prefix("/data/data/items/" + std::to_string(i)));
    }
  }
  return CursorPage<ChatbotSummary>::single(std::move(items), table.request_id());
}

Chatbot Chatbots::get(std::string const& name, RequestOptions const& options) const {
  detail::require_non_empty(name, "name");
  int const generation = detail::platform_generation(*core_, options);
  return Chatbot(detail::cli_call<ChatbotManifest>(*core_, "describe/" + detail::kind_segment("Chatbot", generation) + "/",
                                                    {{"name", name}}, std::nullopt, options),
                 core_);
}

ChatbotManifest Chatbots::apply(Manifest const& manifest, RequestOptions const& options) const {
  detail::require_non_empty(manifest.name(), "metadata.name");
  int const generation = detail::platform_generation(*core_, options);
  return detail::cli_call<ChatbotManifest>(*core_, "apply/", {}, chatbot_manifest_body(manifest, generation), options);
}

namespace {

PlatformResponse chatbot_command(detail::ClientCore const& core, char const* command, std::string const& name,
                                 RequestOptions const& options) {
  detail::require_non_empty(name, "name");
  int const generation = detail::platform_generation(core, options);
  return detail::cli_call<PlatformResponse>(
      core, std::string(command) + "/" + detail::kind_segment("Chatbot", generation) + "/", {{"name", name}},
      std::nullopt, options);
}

}  // namespace

PlatformResponse Chatbots::remove(std::string const& name, RequestOptions const& options) const {
  return chatbot_command(*core_, "delete", name, options);
}

PlatformResponse Chatbots::deploy(std::string const& name, RequestOptions const& options) const {
  return chatbot_command(*core_, "deploy", name, options);
}

PlatformResponse Chatbots::undeploy(std::string const& name, RequestOptions const& options) const {
  return chatbot_command(*core_, "undeploy", name, options);
}

PlatformResponse Chatbots::logs(std::string const& name, RequestOptions const& options) const {
  return chatbot_command(*core_, "logs", name, options);
}

smarter::Chat Chatbots::prompt(std::string const& name, std::string const& text, PromptOptions const& options,
                      RequestOptions const& request) const {
  detail::require_non_empty(name, "name");
  int const generation = detail::platform_generation(*core_, request);
  bool const new_session = options.new_session.value_or(!options.session_key.has_value());
  CliQuery query = {{"uid", options.uid.value_or(core_->config().client_uid)},
                    {"new_session", new_session ? "true" : "false"}};
  nlohmann::json body = {{"prompt", text}};
  if (options.session_key) body["session_key"] = *options.session_key;
  if (!options.messages.empty()) body["messages"] = options.messages;
  return detail::cli_call<smarter::Chat>(*core_, chat_path(generation, name, false), query, std::move(body), request);
}

ChatConfig Chatbots::config(std::string const& name, ChatConfigOptions const& options,
                            RequestOptions const& request) const {
  detail::require_non_empty(name, "name");
  int const generation = detail::platform_generation(*core_, request);
  CliQuery query = {{"uid", options.uid.value_or(core_->config().client_uid)},
                    {"new_session", options.new_session.value_or(false) ? "true" : "false"}};
  std::optional<nlohmann::json> body;
  if (options.session_key) body = nlohmann::json{{"session_key", *options.session_key}};
  return detail::cli_call<ChatConfig>(*core_, chat_path(generation, name, true), query, std::move(body), request);
}

}  // namespace smarter::resources

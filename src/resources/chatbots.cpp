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

smarter::PromptReply Chatbot::prompt(std::string const& text, PromptParams const& params, RequestOptions const& options) const {
  return Chatbots(core_).prompt(name(), text, params, options);
}

ChatConfig Chatbot::config(ChatConfigParams const& params, RequestOptions const& options) const {
  return Chatbots(core_).config(name(), params, options);
}

Chatbots::Chatbots(std::shared_ptr<detail::ClientCore const> core) : core_(std::move(core)) {}

CursorPage<ChatbotSummary> Chatbots::list(RequestOptions const& options) const {
  int const generation = detail::platform_generation(*core_, options);
  RawResponse response =
      detail::cli_post(*core_, "get/" + detail::kind_segment("Chatbot", generation) + "/", {}, std::nullopt, options);
  return detail::decode_listing<ChatbotSummary>(response);
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

smarter::PromptReply Chatbots::prompt(std::string const& name, std::string const& text, PromptParams const& params,
                                      RequestOptions const& options) const {
  detail::require_non_empty(name, "name");
  int const generation = detail::platform_generation(*core_, options);
  bool const new_session = params.new_session.value_or(!params.session_key.has_value());
  CliQuery query = {{"uid", params.uid.value_or(core_->config().client_uid)},
                    {"new_session", new_session ? "true" : "false"}};
  nlohmann::json body = {{"prompt", text}};
  if (params.session_key) body["session_key"] = *params.session_key;
  if (!params.messages.empty()) body["messages"] = params.messages;
  return detail::cli_call<smarter::PromptReply>(*core_, chat_path(generation, name, false), query, std::move(body), options);
}

ChatConfig Chatbots::config(std::string const& name, ChatConfigParams const& params,
                            RequestOptions const& options) const {
  detail::require_non_empty(name, "name");
  int const generation = detail::platform_generation(*core_, options);
  CliQuery query = {{"uid", params.uid.value_or(core_->config().client_uid)},
                    {"new_session", params.new_session.value_or(false) ? "true" : "false"}};
  std::optional<nlohmann::json> body;
  if (params.session_key) body = nlohmann::json{{"session_key", *params.session_key}};
  return detail::cli_call<ChatConfig>(*core_, chat_path(generation, name, true), query, std::move(body), options);
}

}  // namespace smarter::resources

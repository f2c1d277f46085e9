// Decoding of chatbot manifests, listings, prompt answers and chat configuration.
#include <smarter/types/chatbots.hpp>

#include <ostream>

#include "types/decode_support.hpp"

namespace smarter {

using detail::read_model;
using detail::read_model_list;
using detail::read_optional;
using detail::read_optional_any;
using detail::read_required;
using detail::read_string_list;

void from_json(nlohmann::json const& j, ChatbotConfig& out) {
  if (!j.is_object()) throw detail::DecodeError("", "expected an object");
  read_optional(j, "deployed", out.deployed);
  read_optional(j, "provider", out.provider);
  read_optional_any(j, {"defaultModel", "default_model"}, out.default_model);
  read_optional_any(j, {"defaultSystemRole", "default_system_role"}, out.default_system_role);
  read_optional_any(j, {"defaultTemperature", "default_temperature"}, out.default_temperature);
  read_optional_any(j, {"defaultMaxTokens", "default_max_tokens"}, out.default_max_tokens);
  read_optional(j, "subdomain", out.subdomain);
  out.custom_domain = j.contains("customDomain") ? j.at("customDomain") : detail::raw_field(j, "custom_domain");
  read_optional_any(j, {"appName", "app_name"}, out.app_name);
  read_optional_any(j, {"appAssistant", "app_assistant"}, out.app_assistant);
  read_optional_any(j, {"appWelcomeMessage", "app_welcome_message"}, out.app_welcome_message);
  read_string_list(j, {"appExamplePrompts", "app_example_prompts"}, out.app_example_prompts);
  read_optional_any(j, {"appPlaceholder", "app_placeholder"}, out.app_placeholder);
  read_optional_any(j, {"appInfoUrl", "app_info_url"}, out.app_info_url);
  read_optional_any(j, {"appBackgroundImageUrl", "app_background_image_url"}, out.app_background_image_url);
  read_optional_any(j, {"appLogoUrl", "app_logo_url"}, out.app_logo_url);
  read_optional_any(j, {"appFileAttachment", "app_file_attachment"}, out.app_file_attachment);
  read_optional_any(j, {"dnsVerificationStatus", "dns_verification_status"}, out.dns_verification_status);
  read_optional_any(j, {"tlsCertificateIssuanceStatus", "tls_certificate_issuance_status"},
                    out.tls_certificate_issuance_status);
}

void from_json(nlohmann::json const& j, ChatbotSpec& out) {
  if (!j.is_object()) throw detail::DecodeError("", "expected an object");
  read_model(j, "config", out.config);
  read_string_list(j, {"plugins"}, out.plugins);
  read_string_list(j, {"functions"}, out.functions);
  read_optional_any(j, {"apiKey", "api_key"}, out.api_key);
}

void from_json(nlohmann::json const& j, ChatbotStatus& out) {
  if (!j.is_object()) throw detail::DecodeError("", "expected an object");
  read_optional(j, "created", out.created);
  read_optional(j, "modified", out.modified);
  read_optional(j, "deployed", out.deployed);
  read_optional_any(j, {"accountNumber", "account_number"}, out.account_number);
  read_optional(j, "username", out.username);
  read_optional_any(j, {"defaultHost", "default_host"}, out.default_host);
  read_optional_any(j, {"defaultUrl", "default_url"}, out.default_url);
  read_optional_any(j, {"customUrl", "custom_url"}, out.custom_url);
  read_optional_any(j, {"sandboxHost", "sandbox_host"}, out.sandbox_host);
  read_optional_any(j, {"sandboxUrl", "sandbox_url"}, out.sandbox_url);
  read_optional(j, "hostname", out.hostname);
  read_optional(j, "scheme", out.scheme);
  read_optional(j, "url", out.url);
  read_optional_any(j, {"urlChatbot", "url_chatbot"}, out.url_chatbot);
  read_optional_any(j, {"urlChatapp", "url_chatapp"}, out.url_chatapp);
  read_optional_any(j, {"urlChatConfig", "url_chat_config"}, out.url_chat_config);
  read_optional_any(j, {"dnsVerificationStatus", "dns_verification_status"}, out.dns_verification_status);
}

void from_json(nlohmann::json const& j, ChatbotManifest& out) {
  if (!j.is_object()) throw detail::DecodeError("", "expected a manifest object");
  read_required(j, "apiVersion", out.api_version);
  read_required(j, "kind", out.kind);
  if (!j.contains("metadata")) throw detail::DecodeError("/metadata", "required field is missing");
  read_model(j, "metadata", out.metadata);
  if (out.metadata.name.empty()) throw detail::DecodeError("/metadata/name", "required field is missing");
  read_model(j, "spec", out.spec);
  read_model(j, "status", out.status);
}

void from_json(nlohmann::json const& j, ChatbotSummary& out) {
  read_required(j, "name", out.name);
  read_optional(j, "url", out.url);
  read_optional_any(j, {"dnsVerificationStatus", "dns_verification_status"}, out.dns_verification_status);
  read_optional(j, "deployed", out.deployed);
  read_optional_any(j, {"createdAt", "created_at"}, out.created_at);
  read_optional_any(j, {"updatedAt", "updated_at"}, out.updated_at);
}

void from_json(nlohmann::json const& j, ChatbotMessage& out) {
  if (!j.is_object()) throw detail::DecodeError("", "expected a message object");
  out.role.clear();
  out.content.clear();
  detail::read_or_keep(j, "role", out.role);
  // Content may be null (tool calls) or, rarely, a list of parts: keep text only.
  if (auto it = j.find("content"); it != j.end()) {
    if (it->is_string()) {
      out.content = it->get<std::string>();
    } else if (it->is_array()) {
      for (auto const& part : *it) {
        if (part.is_object() && part.contains("text") && part["text"].is_string()) {
          out.content += part["text"].get<std::string>();
        }
      }
    }
  }
  read_optional(j, "smarter_is_new", out.smarter_is_new);
}

void to_json(nlohmann::json& j, ChatbotMessage const& message) {
  j = {{"role", message.role}, {"content", message.content}};
}

void from_json(nlohmann::json const& j, ChatbotUsage& out) {
  if (!j.is_object()) throw detail::DecodeError("", "expected an object");
  detail::read_or_keep(j, "prompt_tokens", out.prompt_tokens);
  detail::read_or_keep(j, "completion_tokens", out.completion_tokens);
  detail::read_or_keep(j, "total_tokens", out.total_tokens);
  out.cached_tokens.reset();
  out.reasoning_tokens.reset();
  if (auto it = j.find("prompt_tokens_details"); it != j.end() && it->is_object()) {
    read_optional(*it, "cached_tokens", out.cached_tokens);
  }
  if (auto it = j.find("completion_tokens_details"); it != j.end() && it->is_object()) {
    read_optional(*it, "reasoning_tokens", out.reasoning_tokens);
  }
}

void from_json(nlohmann::json const& j, ChatbotChoice& out) {
  if (!j.is_object()) throw detail::DecodeError("", "expected an object");
  detail::read_or_keep(j, "index", out.index);
  read_optional(j, "finish_reason", out.finish_reason);
  if (auto it = j.find("message"); it != j.end() && it->is_object()) {
    try {
      out.message = it->get<ChatbotMessage>();
    } catch (detail::DecodeError const& e) {
      throw e.with_prefix("/message");
    }
  }
}

void from_json(nlohmann::json const& j, ChatbotCompletion& out) {
  if (!j.is_object()) throw detail::DecodeError("", "expected an object");
  read_optional(j, "id", out.id);
  read_optional(j, "object", out.object);
  read_optional(j, "created", out.created);
  read_optional(j, "model", out.model);
  read_model_list(j, "choices", out.choices);
  read_model(j, "usage", out.usage);
  read_optional(j, "system_fingerprint", out.system_fingerprint);
  read_optional(j, "service_tier", out.service_tier);
}

namespace {

std::vector<ChatbotMessage> read_messages(nlohmann::json const& j, char const* key, std::string const& where) {
  std::vector<ChatbotMessage> messages;
  if (!j.is_object()) return messages;
  auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return messages;
  for (std::size_t i = 0; i < it->size(); ++i) {
    try {
      messages.push_back((*it)[i].get<ChatbotMessage>());
    } catch (detail::DecodeError const& e) {
      throw e.with_prefix(where + "/" + key + "/" + std::to_string(i));
    }
  }
  return messages;
}

}  // namespace

void from_json(nlohmann::json const& j, PromptReply& out) {
  if (!j.is_object()) throw detail::DecodeError("", "expected an object");
  nlohmann::json const request = detail::raw_field(j, "request");
  detail::read_text(request, "session_key", out.session_key);
  out.messages = read_messages(request, "messages", "/request");

  // data.response is the chatbot API's own envelope; its data mimics a Lambda proxy response
  // whose body is an object (CLI view) or a JSON-encoded string (direct chatbot API).
  nlohmann::json const response = detail::raw_field(j, "response");
  nlohmann::json const inner = detail::raw_field(response, "data");
  read_optional_any(inner, {"statusCode", "status_code"}, out.status_code);
  nlohmann::json body = detail::raw_field(inner, "body");
  if (body.is_string()) {
    nlohmann::json parsed = nlohmann::json::parse(body.get<std::string>(), nullptr, false);
    if (!parsed.is_discarded()) body = std::move(parsed);
  }
  out.body = body;
  if (body.is_object()) {
    if (body.contains("choices")) {
      try {
        out.completion = detail::decode_value<ChatbotCompletion>(body);
      } catch (detail::DecodeError const& e) {
        throw e.with_prefix("/response/data/body");
      }
    }
    if (auto smarter = body.find("smarter"); smarter != body.end() && smarter->is_object()) {
      out.smarter_messages = read_messages(*smarter, "messages", "/response/data/body/smarter");
    }
  }
  if (out.completion && !out.completion->choices.empty()) {
    out.answer = out.completion->choices.front().message.content;
  }
  if (out.answer.empty()) {
    for (auto it = out.smarter_messages.rbegin(); it != out.smarter_messages.rend(); ++it) {
      if (it->role == "assistant") {
        out.answer = it->content;
        break;
      }
    }
  }
}

std::vector<std::string> PromptReply::diagnostics() const {
  std::vector<std::string> lines;
  for (auto const& m : smarter_messages) {
    if (m.role == "smarter") lines.push_back(m.content);
  }
  return lines;
}

std::vector<ChatbotMessage> PromptReply::conversation() const {
  std::vector<ChatbotMessage> all = messages;
  if (!answer.empty()) all.push_back({"assistant", answer, std::nullopt});
  return all;
}

std::ostream& operator<<(std::ostream& os, PromptReply const& chat) { return os << chat.answer; }

void from_json(nlohmann::json const& j, ChatConfigChatbot& out) {
  if (!j.is_object()) throw detail::DecodeError("", "expected an object");
  out.id = detail::raw_field(j, "id");
  read_optional(j, "name", out.name);
  read_optional(j, "description", out.description);
  detail::read_text(j, "version", out.version);
  read_optional(j, "deployed", out.deployed);
  read_optional(j, "provider", out.provider);
  read_optional_any(j, {"default_model", "defaultModel"}, out.default_model);
  read_optional_any(j, {"default_system_role", "defaultSystemRole"}, out.default_system_role);
  read_optional_any(j, {"default_temperature", "defaultTemperature"}, out.default_temperature);
  read_optional_any(j, {"default_max_tokens", "defaultMaxTokens"}, out.default_max_tokens);
  read_optional_any(j, {"app_name", "appName"}, out.app_name);
  read_optional_any(j, {"app_assistant", "appAssistant"}, out.app_assistant);
  read_optional_any(j, {"app_welcome_message", "appWelcomeMessage"}, out.app_welcome_message);
  read_string_list(j, {"app_example_prompts", "appExamplePrompts"}, out.app_example_prompts);
  read_optional_any(j, {"app_placeholder", "appPlaceholder"}, out.app_placeholder);
  read_optional_any(j, {"url_chatbot", "urlChatbot"}, out.url_chatbot);
}

void from_json(nlohmann::json const& j, ChatConfig& out) {
  if (!j.is_object()) throw detail::DecodeError("", "expected an object");
  detail::read_text(j, "session_key", out.session_key);
  read_optional(j, "sandbox_mode", out.sandbox_mode);
  read_optional(j, "debug_mode", out.debug_mode);
  read_model(j, "chatbot", out.chatbot);
  out.history = detail::raw_field(j, "history");
  out.plugins = detail::raw_field(j, "plugins");
}

std::vector<ChatbotMessage> ChatConfig::history_messages() const {
  return read_messages(history, "chat_history", "/history");
}

}  // namespace smarter

// Decoding of chatbot manifests, listings, prompt answers and chat configuration.
#include <smarter/types/chatbots.hpp>

#include <ostream>

#include "types/decode_support.hpp"

namespace smarter::detail {

// The v0.13 serializers send camelCase, older ones snake_case: the first spelling is tried first.
template <>
struct Schema<ChatbotConfig> {
  using T = ChatbotConfig;
  static constexpr auto fields = std::make_tuple(
      field("deployed", &T::deployed), field("provider", &T::provider),
      field("defaultModel", "default_model", &T::default_model),
      field("defaultSystemRole", "default_system_role", &T::default_system_role),
      field("defaultTemperature", "default_temperature", &T::default_temperature),
      field("defaultMaxTokens", "default_max_tokens", &T::default_max_tokens), field("subdomain", &T::subdomain),
      field("customDomain", "custom_domain", &T::custom_domain), field("appName", "app_name", &T::app_name),
      field("appAssistant", "app_assistant", &T::app_assistant),
      field("appWelcomeMessage", "app_welcome_message", &T::app_welcome_message),
      field("appExamplePrompts", "app_example_prompts", &T::app_example_prompts),
      field("appPlaceholder", "app_placeholder", &T::app_placeholder),
      field("appInfoUrl", "app_info_url", &T::app_info_url),
      field("appBackgroundImageUrl", "app_background_image_url", &T::app_background_image_url),
      field("appLogoUrl", "app_logo_url", &T::app_logo_url),
      field("appFileAttachment", "app_file_attachment", &T::app_file_attachment),
      field("dnsVerificationStatus", "dns_verification_status", &T::dns_verification_status),
      field("tlsCertificateIssuanceStatus", "tls_certificate_issuance_status", &T::tls_certificate_issuance_status));
};

template <>
struct Schema<ChatbotSpec> {
  using T = ChatbotSpec;
  static constexpr auto fields = std::make_tuple(field("config", &T::config), field("plugins", &T::plugins),
                                                 field("functions", &T::functions),
                                                 field("apiKey", "api_key", &T::api_key));
};

template <>
struct Schema<ChatbotStatus> {
  using T = ChatbotStatus;
  static constexpr auto fields = std::make_tuple(
      field("created", &T::created), field("modified", &T::modified), field("deployed", &T::deployed),
      field("accountNumber", "account_number", &T::account_number), field("username", &T::username),
      field("defaultHost", "default_host", &T::default_host), field("defaultUrl", "default_url", &T::default_url),
      field("customUrl", "custom_url", &T::custom_url), field("sandboxHost", "sandbox_host", &T::sandbox_host),
      field("sandboxUrl", "sandbox_url", &T::sandbox_url), field("hostname", &T::hostname),
      field("scheme", &T::scheme), field("url", &T::url), field("urlChatbot", "url_chatbot", &T::url_chatbot),
      field("urlChatapp", "url_chatapp", &T::url_chatapp),
      field("urlChatConfig", "url_chat_config", &T::url_chat_config),
      field("dnsVerificationStatus", "dns_verification_status", &T::dns_verification_status));
};

template <>
struct Schema<ChatbotManifest> {
  using T = ChatbotManifest;
  static constexpr auto fields =
      std::make_tuple(required("apiVersion", &T::api_version), required("kind", &T::kind),
                      required("metadata", &T::metadata), field("spec", &T::spec), field("status", &T::status));
};

template <>
struct Schema<ChatbotSummary> {
  using T = ChatbotSummary;
  static constexpr auto fields = std::make_tuple(
      required("name", &T::name), field("url", &T::url),
      field("dnsVerificationStatus", "dns_verification_status", &T::dns_verification_status),
      field("deployed", &T::deployed), field("createdAt", "created_at", &T::created_at),
      field("updatedAt", "updated_at", &T::updated_at));
};

template <>
struct Schema<ChatbotMessage> {
  static constexpr auto fields =
      std::make_tuple(field("role", &ChatbotMessage::role), field("smarter_is_new", &ChatbotMessage::smarter_is_new));
};

template <>
struct Schema<ChatbotUsage> {
  using T = ChatbotUsage;
  static constexpr auto fields =
      std::make_tuple(field("prompt_tokens", &T::prompt_tokens), field("completion_tokens", &T::completion_tokens),
                      field("total_tokens", &T::total_tokens));
};

template <>
struct Schema<ChatbotChoice> {
  using T = ChatbotChoice;
  static constexpr auto fields = std::make_tuple(field("index", &T::index), field("finish_reason", &T::finish_reason),
                                                 field("message", &T::message));
};

template <>
struct Schema<ChatbotCompletion> {
  using T = ChatbotCompletion;
  static constexpr auto fields = std::make_tuple(
      field("id", &T::id), field("object", &T::object), field("created", &T::created), field("model", &T::model),
      field("choices", &T::choices), field("usage", &T::usage), field("system_fingerprint", &T::system_fingerprint),
      field("service_tier", &T::service_tier));
};

// The chat configuration speaks snake_case; camelCase is accepted too.
template <>
struct Schema<ChatConfigChatbot> {
  using T = ChatConfigChatbot;
  static constexpr auto fields = std::make_tuple(
      field("id", &T::id), field("name", &T::name), field("description", &T::description),
      field("deployed", &T::deployed), field("provider", &T::provider),
      field("default_model", "defaultModel", &T::default_model),
      field("default_system_role", "defaultSystemRole", &T::default_system_role),
      field("default_temperature", "defaultTemperature", &T::default_temperature),
      field("default_max_tokens", "defaultMaxTokens", &T::default_max_tokens),
      field("app_name", "appName", &T::app_name), field("app_assistant", "appAssistant", &T::app_assistant),
      field("app_welcome_message", "appWelcomeMessage", &T::app_welcome_message),
      field("app_example_prompts", "appExamplePrompts", &T::app_example_prompts),
      field("app_placeholder", "appPlaceholder", &T::app_placeholder),
      field("url_chatbot", "urlChatbot", &T::url_chatbot));
};

template <>
struct Schema<ChatConfig> {
  using T = ChatConfig;
  static constexpr auto fields =
      std::make_tuple(field("sandbox_mode", &T::sandbox_mode), field("debug_mode", &T::debug_mode),
                      field("chatbot", &T::chatbot), field("history", &T::history), field("plugins", &T::plugins));
};

}  // namespace smarter::detail

namespace smarter {

namespace {

using detail::DecodeError;
using detail::DecodeSource;

// The value at `key` of an object, or null: a reference into the document, never a copy.
nlohmann::json const& member(nlohmann::json const& j, char const* key) {
  static nlohmann::json const kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

// The messages in the array at `key` of the object at `source` (none when it is not an array);
// errors are named under `where`.
std::vector<ChatbotMessage> read_messages(DecodeSource const& source, char const* key, std::string const& where) {
  std::vector<ChatbotMessage> messages;
  nlohmann::json const& list = member(*source.node, key);
  if (!list.is_array()) return messages;
  messages.reserve(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    ChatbotMessage message;
    try {
      decode_from(source.at(list[i]), message);
    } catch (DecodeError const& e) {
      throw e.with_prefix(where + "/" + key + "/" + std::to_string(i));
    }
    messages.push_back(std::move(message));
  }
  return messages;
}

}  // namespace

SMARTER_DEFINE_CODEC(ChatbotConfig)
SMARTER_DEFINE_CODEC(ChatbotSpec)
SMARTER_DEFINE_CODEC(ChatbotStatus)
SMARTER_DEFINE_CODEC(ChatbotSummary)
SMARTER_DEFINE_CODEC(ChatbotChoice)
SMARTER_DEFINE_CODEC(ChatbotCompletion)

// A manifest result must name its resource (the metadata reads `name` leniently).
void decode_from(DecodeSource const& source, ChatbotManifest& out) {
  detail::decode_fields(source, out);
  if (out.metadata.name.empty()) throw DecodeError("/metadata/name", "required field is missing");
}
void from_json(nlohmann::json const& j, ChatbotManifest& out) {
  out = detail::decode_document<ChatbotManifest>(std::make_shared<nlohmann::json const>(j));
}

// `content` may be null (tool calls) or, rarely, a list of parts: only the text is kept.
void decode_from(DecodeSource const& source, ChatbotMessage& out) {
  nlohmann::json const& j = *source.node;
  if (!j.is_object()) throw DecodeError("", "expected a message object");
  out.role.clear();
  out.content.clear();
  detail::decode_fields(source, out);
  nlohmann::json const& content = member(j, "content");
  if (content.is_string()) {
    out.content = content.get_ref<std::string const&>();
  } else if (content.is_array()) {
    for (auto const& part : content) {
      nlohmann::json const& text = member(part, "text");
      if (text.is_string()) out.content += text.get_ref<std::string const&>();
    }
  }
}
void from_json(nlohmann::json const& j, ChatbotMessage& out) {
  out = detail::decode_document<ChatbotMessage>(std::make_shared<nlohmann::json const>(j));
}

// Only {"role", "content"}: the platform's own flag is not sent back.
void encode_to(nlohmann::json& j, ChatbotMessage const& message) {
  j = {{"role", message.role}, {"content", message.content}};
}
void to_json(nlohmann::json& j, ChatbotMessage const& message) { encode_to(j, message); }

// The detail counts sit one level down (`prompt_tokens_details.cached_tokens`, ...).
void decode_from(DecodeSource const& source, ChatbotUsage& out) {
  detail::decode_fields(source, out);
  nlohmann::json const& j = *source.node;
  out.cached_tokens.reset();
  out.reasoning_tokens.reset();
  auto nested = [&](char const* object, char const* key, std::optional<std::int64_t>& value) {
    nlohmann::json const& details = member(j, object);
    if (!details.is_object()) return;
    try {
      detail::read_optional(details, key, value);
    } catch (DecodeError const& e) {
      throw e.with_prefix(std::string("/") + object);
    }
  };
  nested("prompt_tokens_details", "cached_tokens", out.cached_tokens);
  nested("completion_tokens_details", "reasoning_tokens", out.reasoning_tokens);
}
void from_json(nlohmann::json const& j, ChatbotUsage& out) {
  out = detail::decode_document<ChatbotUsage>(std::make_shared<nlohmann::json const>(j));
}

namespace {

// The inner body of a prompt answer: a chat completion and the platform's `smarter` messages.
void decode_prompt_body(DecodeSource const& source, PromptReply& out) {
  nlohmann::json const& body = *source.node;
  if (!body.is_object()) return;
  if (body.contains("choices")) {
    ChatbotCompletion completion;
    try {
      decode_from(source, completion);
    } catch (DecodeError const& e) {
      throw e.with_prefix("/response/data/body");
    }
    out.completion = std::move(completion);
  }
  nlohmann::json const& smarter = member(body, "smarter");
  if (smarter.is_object()) {
    out.smarter_messages = read_messages(source.at(smarter), "messages", "/response/data/body/smarter");
  }
}

}  // namespace

// Every field comes from a nested path (`request.session_key`, `response.data.body`, ...): by hand.
void decode_from(DecodeSource const& source, PromptReply& out) {
  nlohmann::json const& j = *source.node;
  if (!j.is_object()) throw DecodeError("", "expected an object");
  nlohmann::json const& request = member(j, "request");
  detail::read_text(request, "session_key", out.session_key);
  out.messages = read_messages(source.at(request), "messages", "/request");

  // data.response is the chatbot API's own envelope; its data mimics a Lambda proxy response
  // whose body is an object (CLI view) or a JSON-encoded string (direct chatbot API).
  nlohmann::json const& inner = member(member(j, "response"), "data");
  try {
    detail::read_optional_any(inner, {"statusCode", "status_code"}, out.status_code);
  } catch (DecodeError const& e) {
    throw e.with_prefix("/response/data");
  }
  out.completion.reset();
  out.smarter_messages.clear();
  out.answer.clear();
  nlohmann::json const& body = member(inner, "body");
  nlohmann::json parsed;
  if (body.is_string()) parsed = nlohmann::json::parse(body.get_ref<std::string const&>(), nullptr, false);
  if (body.is_string() && !parsed.is_discarded()) {
    // A body of its own: the completion shares it, `body` keeps a copy.
    auto const document = std::make_shared<nlohmann::json const>(std::move(parsed));
    out.body = *document;
    decode_prompt_body(DecodeSource{&document, document.get()}, out);
  } else {
    out.body = body;
    decode_prompt_body(source.at(body), out);
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
  detail::keep_node(source, out);
}
void from_json(nlohmann::json const& j, PromptReply& out) {
  out = detail::decode_document<PromptReply>(std::make_shared<nlohmann::json const>(j));
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

// `version` is text that may arrive as a number: by hand, after the table.
void decode_from(DecodeSource const& source, ChatConfigChatbot& out) {
  detail::decode_fields(source, out);
  detail::read_text(*source.node, "version", out.version);
}
void from_json(nlohmann::json const& j, ChatConfigChatbot& out) {
  out = detail::decode_document<ChatConfigChatbot>(std::make_shared<nlohmann::json const>(j));
}

// `session_key` is text that may arrive as a number: by hand, after the table.
void decode_from(DecodeSource const& source, ChatConfig& out) {
  detail::decode_fields(source, out);
  detail::read_text(*source.node, "session_key", out.session_key);
}
void from_json(nlohmann::json const& j, ChatConfig& out) {
  out = detail::decode_document<ChatConfig>(std::make_shared<nlohmann::json const>(j));
}

std::vector<ChatbotMessage> ChatConfig::history_messages() const {
  return read_messages(DecodeSource{nullptr, &history}, "chat_history", "/history");
}

}  // namespace smarter

// Chatbot manifests, summaries, prompts (PromptReply) and chat configuration.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <smarter/detail/codec.hpp>
#include <smarter/export.hpp>
#include <smarter/model.hpp>
#include <smarter/types/manifest.hpp>
#include <smarter/types/platform.hpp>

namespace smarter {

/// `spec.config` of a chatbot manifest.
struct SMARTER_API ChatbotConfig : Model {
  std::optional<bool> deployed{};                          ///< Deployed to its own host.
  std::optional<std::string> provider{};                   ///< LLM provider, e.g. "openai".
  std::optional<std::string> default_model{};              ///< e.g. "gpt-4o-mini".
  std::optional<std::string> default_system_role{};        ///< System prompt.
  std::optional<double> default_temperature{};             ///< 0..1.
  std::optional<std::int64_t> default_max_tokens{};        ///< > 0.
  std::optional<std::string> subdomain{};                  ///< Subdomain.
  nlohmann::json custom_domain{};                          ///< Null or {aws_hosted_zone_id, domain_name}.
  std::optional<std::string> app_name{};                   ///< Chat app title.
  std::optional<std::string> app_assistant{};              ///< Assistant's name.
  std::optional<std::string> app_welcome_message{};        ///< Welcome message.
  std::vector<std::string> app_example_prompts{};          ///< Example prompts.
  std::optional<std::string> app_placeholder{};            ///< Input placeholder.
  std::optional<std::string> app_info_url{};               ///< Info link.
  std::optional<std::string> app_background_image_url{};   ///< Background image.
  std::optional<std::string> app_logo_url{};               ///< Logo.
  std::optional<bool> app_file_attachment{};               ///< File attachments allowed.
  std::optional<std::string> dns_verification_status{};    ///< e.g. "Verified".
  std::optional<std::string> tls_certificate_issuance_status{};  ///< e.g. "Issued".
};
/// Decodes a chatbot config.
SMARTER_DECLARE_CODEC(ChatbotConfig);

/// `spec` of a chatbot manifest.
struct SMARTER_API ChatbotSpec : Model {
  ChatbotConfig config;                ///< Model and app configuration.
  std::vector<std::string> plugins{};    ///< Plugin names.
  std::vector<std::string> functions{};  ///< Built-in function names.
  std::optional<std::string> api_key{};  ///< Name of the AuthToken protecting the chatbot.
};
/// Decodes a chatbot spec.
SMARTER_DECLARE_CODEC(ChatbotSpec);

/// `status` of a chatbot manifest: where it lives.
struct SMARTER_API ChatbotStatus : Model {
  std::optional<std::string> created{};                  ///< Creation time.
  std::optional<std::string> modified{};                 ///< Modification time.
  std::optional<bool> deployed{};                        ///< Deployed.
  std::optional<std::string> account_number{};           ///< Owning account (v0.13).
  std::optional<std::string> username{};                 ///< Owning user (v0.13).
  std::optional<std::string> default_host{};             ///< Deployed host name.
  std::optional<std::string> default_url{};              ///< Deployed URL.
  std::optional<std::string> custom_url{};               ///< Custom-domain URL.
  std::optional<std::string> sandbox_host{};             ///< Sandbox host and path.
  std::optional<std::string> sandbox_url{};              ///< Sandbox URL.
  std::optional<std::string> hostname{};                 ///< Host name.
  std::optional<std::string> scheme{};                   ///< "https".
  std::optional<std::string> url{};                      ///< Public URL.
  std::optional<std::string> url_chatbot{};              ///< The chat API URL (`urlChatbot`).
  std::optional<std::string> url_chatapp{};              ///< The chat web app (deprecated in v0.13).
  std::optional<std::string> url_chat_config{};          ///< The chat config URL (v0.13).
  std::optional<std::string> dns_verification_status{};  ///< DNS status.
};
/// Decodes a chatbot status.
SMARTER_DECLARE_CODEC(ChatbotStatus);

/// A chatbot's full manifest, as `describe` and `apply` return it.
struct SMARTER_API ChatbotManifest : PlatformResult {
  std::string api_version{};               ///< "smarter.sh/v1".
  std::string kind{};                      ///< "Chatbot" (v0.13) or "LLMClient" (v0.14).
  ManifestMetadata metadata;             ///< Name, description, version, tags.
  ChatbotSpec spec;                      ///< Configuration, plugins, functions.
  std::optional<ChatbotStatus> status{};   ///< URLs and deployment state (absent on some apply answers).
};
/// Decodes a chatbot manifest.
SMARTER_DECLARE_CODEC(ChatbotManifest);

/// One row of the chatbot listing (`get chatbots`).
struct SMARTER_API ChatbotSummary : Model {
  std::string name{};                                    ///< Chatbot name.
  std::optional<std::string> url{};                      ///< Public URL.
  std::optional<std::string> dns_verification_status{};  ///< DNS status.
  std::optional<bool> deployed{};                        ///< Deployed.
  std::optional<std::string> created_at{};               ///< Creation time.
  std::optional<std::string> updated_at{};               ///< Update time.
};
/// Decodes a chatbot listing row.
SMARTER_DECLARE_CODEC(ChatbotSummary);

/// An OpenAI-style message as the platform exchanges them (`role` may also be "smarter").
struct ChatbotMessage {
  std::string role{};                     ///< "system", "user", "assistant", or "smarter" (diagnostics).
  std::string content{};                  ///< Text ("" when the server sent null).
  std::optional<bool> smarter_is_new{};   ///< The platform's "new in this turn" flag.
};
/// Decodes a message.
SMARTER_DECLARE_CODEC(ChatbotMessage);
/// Encodes a message as {"role", "content"}.
SMARTER_DECLARE_ENCODER(ChatbotMessage);

/// Token usage of a chat completion.
struct SMARTER_API ChatbotUsage : Model {
  std::int64_t prompt_tokens = 0;              ///< Prompt tokens.
  std::int64_t completion_tokens = 0;          ///< Completion tokens.
  std::int64_t total_tokens = 0;               ///< Total tokens charged.
  std::optional<std::int64_t> cached_tokens{};     ///< `prompt_tokens_details.cached_tokens`.
  std::optional<std::int64_t> reasoning_tokens{};  ///< `completion_tokens_details.reasoning_tokens`.
};
/// Decodes usage.
SMARTER_DECLARE_CODEC(ChatbotUsage);

/// One choice of a chat completion.
struct SMARTER_API ChatbotChoice : Model {
  std::int64_t index = 0;                    ///< Position.
  std::optional<std::string> finish_reason{};  ///< e.g. "stop".
  ChatbotMessage message{};                    ///< The message.
};
/// Decodes a choice.
SMARTER_DECLARE_CODEC(ChatbotChoice);

/// The OpenAI `chat.completion` a chatbot produced (the platform's extras stay in to_dict()).
struct SMARTER_API ChatbotCompletion : Model {
  std::optional<std::string> id{};                  ///< e.g. "chatcmpl-...".
  std::optional<std::string> object{};              ///< "chat.completion".
  std::optional<std::int64_t> created{};            ///< Unix time.
  std::optional<std::string> model{};               ///< Model that answered.
  std::vector<ChatbotChoice> choices{};             ///< Choices.
  std::optional<ChatbotUsage> usage{};              ///< Token usage.
  std::optional<std::string> system_fingerprint{};  ///< Fingerprint.
  std::optional<std::string> service_tier{};        ///< Service tier.
};
/// Decodes a chat completion.
SMARTER_DECLARE_CODEC(ChatbotCompletion);

/// The answer to a prompt. Streaming it to an ostream prints the assistant's answer.
struct SMARTER_API PromptReply : PlatformResult {
  std::string answer{};                           ///< The assistant's answer text.
  std::optional<std::string> session_key{};       ///< Session to continue the conversation with.
  std::vector<ChatbotMessage> messages{};         ///< The messages the platform sent to the model.
  std::optional<ChatbotCompletion> completion{};  ///< The typed chat completion, when the body had one.
  std::vector<ChatbotMessage> smarter_messages{}; ///< `body.smarter.messages`: diagnostics and the answer.
  std::optional<std::int64_t> status_code{};      ///< The inner response's `statusCode`.
  nlohmann::json body{};                          ///< The inner body, decoded even when sent as a string.

  /// The platform's diagnostic lines (the `smarter` role messages).
  std::vector<std::string> diagnostics() const;
  /// The conversation so far: `messages` followed by the answer.
  std::vector<ChatbotMessage> conversation() const;
};
/// Decodes a prompt response's data.
SMARTER_DECLARE_CODEC(PromptReply);
/// Prints the answer.
SMARTER_API std::ostream& operator<<(std::ostream& os, PromptReply const& chat);

/// The chatbot as the chat configuration describes it (snake_case keys).
struct SMARTER_API ChatConfigChatbot : Model {
  nlohmann::json id{};                                ///< Numeric or hashed id, as sent.
  std::optional<std::string> name{};                  ///< Name.
  std::optional<std::string> description{};           ///< Description.
  std::optional<std::string> version{};               ///< Version.
  std::optional<bool> deployed{};                     ///< Deployed.
  std::optional<std::string> provider{};              ///< Provider.
  std::optional<std::string> default_model{};         ///< Model.
  std::optional<std::string> default_system_role{};   ///< System prompt.
  std::optional<double> default_temperature{};        ///< Temperature.
  std::optional<std::int64_t> default_max_tokens{};   ///< Max tokens.
  std::optional<std::string> app_name{};              ///< App title.
  std::optional<std::string> app_assistant{};         ///< Assistant's name.
  std::optional<std::string> app_welcome_message{};   ///< Welcome message.
  std::vector<std::string> app_example_prompts{};     ///< Example prompts.
  std::optional<std::string> app_placeholder{};       ///< Placeholder.
  std::optional<std::string> url_chatbot{};           ///< Chat API URL.
};
/// Decodes the config's chatbot.
SMARTER_DECLARE_CODEC(ChatConfigChatbot);

/// The chat configuration of a session (`chat/config/<name>/`): starts or resumes a session.
struct SMARTER_API ChatConfig : PlatformResult {
  std::optional<std::string> session_key{};   ///< The session.
  std::optional<bool> sandbox_mode{};         ///< Sandbox (not deployed).
  std::optional<bool> debug_mode{};           ///< Debug mode.
  ChatConfigChatbot chatbot;                ///< The chatbot.
  nlohmann::json history{};                   ///< Session history, as sent.
  nlohmann::json plugins{};                   ///< Plugins, as sent.
  /// The session's prior messages (`history.chat_history`), when sent.
  std::vector<ChatbotMessage> history_messages() const;
};
/// Decodes chat config data.
SMARTER_DECLARE_CODEC(ChatConfig);

// ---------------------------------------------------------------- parameters

/// How to prompt: which session, which client id, which prior messages.
struct PromptParams {
  /// Session to continue (from a previous PromptReply::session_key). Unset starts a new session.
  std::optional<std::string> session_key{};
  /// Sent as `new_session`. Default: true without a session_key, false with one.
  std::optional<bool> new_session{};
  /// Client id sent as `uid`. Default: the client's `client_uid` (a stable id for this machine).
  std::optional<std::string> uid{};
  /// Prior messages to send (the prompt is appended by the platform). Empty sends none.
  std::vector<ChatbotMessage> messages{};
};

/// Which chat session a configuration request is about.
struct ChatConfigParams {
  std::optional<std::string> session_key{};  ///< Session to resume; unset lets the platform choose.
  std::optional<bool> new_session{};         ///< Sent as `new_session`; default false.
  std::optional<std::string> uid{};          ///< Client id; default: the client's `client_uid`.
};

}  // namespace smarter

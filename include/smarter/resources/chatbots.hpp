// `client.resources().chatbots()`: the platform's chatbots (kind Chatbot, LLMClient from v0.14)
// and prompting them.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <smarter/detail/client_core.hpp>
#include <smarter/export.hpp>
#include <smarter/options.hpp>
#include <smarter/pagination.hpp>
#include <smarter/types/chatbots.hpp>
#include <smarter/types/manifest.hpp>
#include <smarter/types/platform.hpp>

namespace smarter {

namespace resources {

/// A chatbot as `chatbots().get(name)` returns it: its full manifest (metadata, spec with config,
/// status with URLs) plus the means to prompt it.
class SMARTER_API Chatbot : public ChatbotManifest {
 public:
  /// Binds a described manifest to a client.
  Chatbot(ChatbotManifest manifest, std::shared_ptr<detail::ClientCore const> core);

  /// The chatbot's name (`metadata.name`).
  std::string const& name() const noexcept { return metadata.name; }

  /// Sends `text` to the chatbot and returns its answer. Without options each call starts a new
  /// session; pass `{.session_key = chat.session_key}` to continue a conversation.
  smarter::PromptReply prompt(std::string const& text, PromptParams const& params = {},
                              RequestOptions const& options = {}) const;

  /// The chat configuration of a session (starts or resumes one without prompting).
  ChatConfig config(ChatConfigParams const& params = {}, RequestOptions const& options = {}) const;

 private:
  std::shared_ptr<detail::ClientCore const> core_;
};

/// `client.resources().chatbots()`. Cheap to copy; holds a share of the client.
class SMARTER_API Chatbots {
 public:
  /// A namespace bound to a client's request machinery.
  explicit Chatbots(std::shared_ptr<detail::ClientCore const> core);

  /// All chatbots of the account (the `get` command's items; one page, the platform does not
  /// paginate).
  CursorPage<ChatbotSummary> list(RequestOptions const& options = {}) const;

  /// Describes chatbot `name`. A missing chatbot raises NotFoundError, whatever status the
  /// platform used to say so.
  Chatbot get(std::string const& name, RequestOptions const& options = {}) const;

  /// Creates or updates a chatbot from a manifest. The kind may be written `Chatbot` or
  /// `LLMClient`: it is sent as the connected platform spells it.
  ChatbotManifest apply(Manifest const& manifest, RequestOptions const& options = {}) const;

  /// Deletes chatbot `name` (the platform's `delete` command; `delete` is a C++ keyword).
  PlatformResponse remove(std::string const& name, RequestOptions const& options = {}) const;

  /// Deploys chatbot `name` to its own host.
  PlatformResponse deploy(std::string const& name, RequestOptions const& options = {}) const;

  /// Takes chatbot `name` off its own host (it stays usable in the sandbox).
  PlatformResponse undeploy(std::string const& name, RequestOptions const& options = {}) const;

  /// The chatbot's logs as the platform returns them in `data` (currently empty: a platform stub).
  PlatformResponse logs(std::string const& name, RequestOptions const& options = {}) const;

  /// Prompts chatbot `name` without describing it first (see Chatbot::prompt).
  smarter::PromptReply prompt(std::string const& name, std::string const& text, PromptParams const& params = {},
                              RequestOptions const& options = {}) const;

  /// The chat configuration of chatbot `name` (see Chatbot::config).
  ChatConfig config(std::string const& name, ChatConfigParams const& params = {},
                    RequestOptions const& options = {}) const;

 private:
  std::shared_ptr<detail::ClientCore const> core_;
};

}  // namespace resources
}  // namespace smarter

// The fake server's Smarter platform mode: a stateful, in-memory imitation of the platform's
// `/api/v1/cli/` API (chatbots, plugins, prompts with sessions, manifests, whoami/status/version),
// answering with the exact envelope and error shapes of the real platform. A prompt's answer has
// the real one's full shape, key for key (tests/fixtures/smarter/chat_prompt.v0_13.json).
//
// Usage:
//   smarter::testkit::FakeServer server;
//   auto platform = smarter::testkit::install_platform(server, {});
//   smarter::Smarter client({.api_key = platform->options().api_key,
//                            .base_url = smarter::testkit::platform_base_url(server)});
//   client.resources().chatbots().get("my-chatbot").prompt("Hello, World!");
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace smarter::testkit {

class FakeServer;

/// Which platform generation the fake imitates.
enum class FakeGeneration {
  v0_13,  ///< `cli/chat/`, `example_manifest/`, `schema/`, kind `Chatbot`, top-level `thing`.
  v0_14,  ///< `cli/prompt/`, `example-manifest/`, `json-schema/`, kind `LLMClient`, `metadata.thing`.
};

/// Spelling of whoami's user/account keys.
enum class KeyStyle {
  snake,  ///< `first_name`, `account_number` (platform v0.10).
  camel,  ///< `firstName`, `accountNumber` (platform v0.11 and later).
};

/// The API key the fake platform accepts unless told otherwise (64 hex digits, like real keys).
inline constexpr char kFakePlatformApiKey[] =
    "5a6f0c2e1b3d4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f90";
/// The name of the seeded demo chatbot (the one the README's quick-start prompts).
inline constexpr char kDemoChatbotName[] = "my-chatbot";
/// The demo chatbot's answer to "Hello, World!".
inline constexpr char kDemoHelloAnswer[] = "Hello! How can I help you today?";
/// The account number the fake's whoami reports.
inline constexpr char kFakeAccountNumber[] = "3141-5926-5359";
/// The user name the fake's whoami reports.
inline constexpr char kFakeUsername[] = "admin";
/// The platform release the fake reports for v0.13.
inline constexpr char kFakeVersionV013[] = "0.13.223";
/// The platform release the fake reports for v0.14.
inline constexpr char kFakeVersionV014[] = "0.14.19";

/// Settings of the platform mode.
struct PlatformOptions {
  FakeGeneration generation = FakeGeneration::v0_13;  ///< Paths, kind names and envelope shape.
  std::string api_key = kFakePlatformApiKey;           ///< Accepted as `Authorization: Token <key>`.
  bool seed_demo = true;                               ///< Create the demo chatbot and a demo plugin.
  KeyStyle key_style = KeyStyle::camel;                ///< whoami key spelling.
  std::string demo_chatbot = kDemoChatbotName;         ///< Name of the seeded chatbot.
  /// `metadata.key` (journal on) or `metadata.command` on successes. Default: on for v0.13, off for
  /// v0.14 (so v0.14 answers show `metadata.thing`). Errors always carry `metadata.command`.
  std::optional<bool> journal{};
  /// Send the prompt answer's inner `body` as a JSON-encoded string (as the direct chatbot API does).
  bool chat_body_as_string = false;
};

/// An HTTP request as the platform mode sees it.
struct PlatformHttpRequest {
  std::string method{};                                ///< e.g. "POST".
  std::string path{};                                  ///< Path without the query, e.g. "/api/v1/cli/whoami/".
  std::vector<std::pair<std::string, std::string>> query{};  ///< Decoded query parameters, in order.
  std::map<std::string, std::string> headers{};        ///< Header names lower-cased.
  std::string body{};                                  ///< Body text.
};

/// An HTTP response produced by the platform mode.
struct PlatformHttpResponse {
  int status = 200;                                  ///< HTTP status.
  std::string content_type = "application/json";     ///< Content-Type.
  std::string body{};                                  ///< Body text.
  std::vector<std::pair<std::string, std::string>> headers{};  ///< Extra headers (e.g. Allow).
};

/// The in-memory platform. Thread-safe; one instance serves one FakeServer.
class FakePlatform {
 public:
  /// A platform with `options` (seeded unless `seed_demo` is false).
  explicit FakePlatform(PlatformOptions options = {});

  /// Answers one request under `.../cli/`. Unknown paths get Django's 404 HTML page.
  PlatformHttpResponse handle(PlatformHttpRequest const& request);

  /// The options in force.
  PlatformOptions const& options() const noexcept { return options_; }
  /// Names of the chatbots that exist now, sorted.
  std::vector<std::string> chatbot_names() const;
  /// Names of the plugins that exist now, sorted.
  std::vector<std::string> plugin_names() const;
  /// True when chatbot `name` exists and is deployed.
  bool is_deployed(std::string const& name) const;
  /// The stored messages of a session (system, welcome, user and assistant turns); empty if unknown.
  std::vector<nlohmann::json> session_messages(std::string const& session_key) const;
  /// Makes the next request for `command` (e.g. "whoami", "describe", "chat", "prompt") answer
  /// with exactly this status, body and content type, before any other processing. For a
  /// failure of any path with the platform's own error body, see FakeFaults.
  void fail_next(std::string const& command, int status, std::string body,
                 std::string content_type = "application/json");
  /// Creates chatbot `name` with the demo chatbot's settings (system role, model, the `weather`
  /// function), not deployed, replacing any chatbot of that name.
  void add_chatbot(std::string const& name);

 private:
  struct Chatbot {
    nlohmann::json manifest;  // apiVersion, kind, metadata, spec
    bool deployed = false;
    int id = 0;
    std::string created{};
    std::string modified{};
  };
  struct Plugin {
    nlohmann::json manifest{};
    std::string created{};
    std::string modified{};
  };
  struct Session {
    std::string chatbot{};
    std::vector<nlohmann::json> messages{};
  };
  struct Injected {
    int status{};
    std::string body{};
    std::string content_type{};
  };
  struct Call;

  PlatformHttpResponse dispatch(Call& call);
  PlatformHttpResponse apply(Call& call);
  PlatformHttpResponse get(Call& call, std::string const& kind);
  PlatformHttpResponse describe(Call& call, std::string const& kind);
  PlatformHttpResponse lifecycle(Call& call, std::string const& kind);
  PlatformHttpResponse example_manifest(Call& call, std::string const& kind);
  PlatformHttpResponse schema(Call& call, std::string const& kind);
  PlatformHttpResponse prompt(Call& call, std::string const& name);
  PlatformHttpResponse chat_config(Call& call, std::string const& name);
  PlatformHttpResponse whoami(Call& call);
  PlatformHttpResponse status(Call& call);
  PlatformHttpResponse version(Call& call);

  PlatformHttpResponse ok(Call const& call, nlohmann::json data, std::string const& message,
                          std::string const& thing);
  PlatformHttpResponse journaled_error(Call const& call, int status, std::string const& error_class,
                                       std::string const& description, std::string const& thing);
  nlohmann::json envelope(std::string const& command, std::string const& thing);
  nlohmann::json describe_chatbot(Chatbot const& bot, std::string const& host) const;
  nlohmann::json chatbot_manifest(std::string const& name, std::string const& description) const;
  nlohmann::json chatbot_kind_json() const;
  std::string chatbot_kind() const;
  std::string chat_thing() const;
  std::string next_key();
  std::string now();
  std::string session_for(std::string const& chatbot, std::string const& uid, bool new_session,
                          std::string const& requested);
  void seed();

  PlatformOptions options_;
  bool journal_;
  mutable std::mutex mutex_;
  std::map<std::string, Chatbot> chatbots_;
  std::map<std::string, Plugin> plugins_;
  std::map<std::string, Session> sessions_;
  std::map<std::pair<std::string, std::string>, std::string> session_cache_;  // (chatbot, uid) -> key
  std::map<std::string, Injected> injected_;
  std::uint64_t counter_ = 0;
  int next_id_ = 36;
};

/// Installs the platform mode on `server` (routes for `<any prefix>/cli/...`) and returns the
/// platform for inspection and fault injection. Clients use platform_base_url(server).
std::shared_ptr<FakePlatform> install_platform(FakeServer& server, PlatformOptions options = {});

/// The base URL a client should use for the platform mode: `<server url>api/v1/`.
std::string platform_base_url(FakeServer const& server);

}  // namespace smarter::testkit

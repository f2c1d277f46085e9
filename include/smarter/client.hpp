// The Smarter client.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include <smarter/detail/client_core.hpp>
#include <smarter/export.hpp>
#include <smarter/options.hpp>
#include <smarter/raw_response.hpp>

namespace smarter {

class Smarter;
namespace detail {
/// The request machinery behind a client (tests and the SDK's own tools; not public API).
SMARTER_API ClientCore const& core_of(Smarter const& client) noexcept;
}  // namespace detail

struct WhoAmI;
struct PlatformStatus;
struct PlatformVersion;

namespace resources {
class Resources;
class Manifests;
class Chat;
class Responses;
class Files;
class FineTuning;
}  // namespace resources

/// A client of the Smarter platform. Cheap to copy (copies share configuration and connections)
/// and safe to use from many threads at once.
class SMARTER_API Smarter {
 public:
  /// Creates a client; unset options come from the environment (SMARTER_API_KEY, SMARTER_BASE_URL,
  /// SMARTER_ENVIRONMENT, SMARTER_LOG). Throws SmarterError when no API key is found.
  explicit Smarter(ClientOptions const& options = {});

  /// A new client with `overrides` applied on top of this one's options. The original is
  /// unchanged and both share the same connection pool.
  Smarter with_options(ClientOptions const& overrides) const;

  /// Sends a request to any endpoint, e.g. `request("POST", "cli/status/")`, and returns the raw
  /// response. `body` is sent as JSON unless it is null. Error statuses throw like any call.
  /// Failures are retried when the call is safe to repeat: GET, HEAD, PUT and DELETE are; a POST
  /// or PATCH is when it carries `options.idempotency_key` or `options.idempotent` is true, and
  /// a `cli/` path follows the platform command's own rule (see "Retries" in the README).
  RawResponse request(std::string const& method, std::string const& path,
                      nlohmann::json const& body = nullptr, RequestOptions const& options = {}) const;

  /// The Smarter platform's brokered resources (chatbots, plugins).
  resources::Resources resources() const;
  /// The generic manifest API for every kind the platform brokers.
  resources::Manifests manifests() const;
  /// Who the API key belongs to: user, account and environment.
  WhoAmI whoami(RequestOptions const& options = {}) const;
  /// The platform's infrastructure status.
  PlatformStatus platform_status(RequestOptions const& options = {}) const;
  /// The platform's software versions.
  PlatformVersion platform_version(RequestOptions const& options = {}) const;

  /// OpenAI-shaped chat APIs (completions, and responses under their documented alias).
  resources::Chat chat() const;
  /// OpenAI-shaped Responses API.
  resources::Responses responses() const;
  /// OpenAI-shaped Files API.
  resources::Files files() const;
  /// OpenAI-shaped fine-tuning API.
  resources::FineTuning fine_tuning() const;

  /// The API key in use.
  std::string const& api_key() const noexcept { return core_->config().api_key; }
  /// The base URL every relative path joins under (ends with '/').
  std::string const& base_url() const noexcept { return core_->config().base_url; }
  /// The per-attempt timeout.
  Timeout const& timeout() const noexcept { return core_->config().timeout; }
  /// The default number of retries.
  int max_retries() const noexcept { return core_->config().max_retries; }

  /// The id sent as `uid` with prompts (client_uid, else this machine's default id).
  std::string const& client_uid() const noexcept { return core_->config().client_uid; }

 private:
  friend detail::ClientCore const& detail::core_of(Smarter const& client) noexcept;
  explicit Smarter(std::shared_ptr<detail::ClientCore const> core);
  std::shared_ptr<detail::ClientCore const> core_;
};

}  // namespace smarter

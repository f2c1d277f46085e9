#include <smarter/client.hpp>

#include <smarter/errors.hpp>

#include <smarter/resources/chat.hpp>
#include <smarter/resources/files.hpp>
#include <smarter/resources/fine_tuning.hpp>
#include <smarter/resources/manifests.hpp>
#include <smarter/resources/resources.hpp>
#include <smarter/resources/responses.hpp>

#include "resources/platform_cli.hpp"

namespace smarter {

Smarter::Smarter(ClientOptions const& options) : core_(std::make_shared<detail::ClientCore const>(options)) {}

Smarter::Smarter(std::shared_ptr<detail::ClientCore const> core) : core_(std::move(core)) {}

namespace detail {
ClientCore const& core_of(Smarter const& client) noexcept { return *client.core_; }
}  // namespace detail

Smarter Smarter::with_options(ClientOptions const& overrides) const {
  return Smarter(std::make_shared<detail::ClientCore const>(*core_, overrides));
}

RawResponse Smarter::request(std::string const& method, std::string const& path, nlohmann::json const& body,
                             RequestOptions const& options) const {
  if (method.empty()) throw SmarterError("request: method must not be empty");
  detail::RequestSpec spec;
  spec.method = method;
  spec.path = path;
  if (!body.is_null()) spec.json_body_ref = &body;  // encoded straight from the caller's value
  spec.options = options;
  // The platform's own commands keep their retry rules when called by path: a read such as
  // cli/status/ may be repeated, cli/apply/ or a prompt may not.
  std::string_view relative = path;
  while (!relative.empty() && relative.front() == '/') relative.remove_prefix(1);
  if (relative.rfind("cli/", 0) == 0) spec.idempotency = detail::cli_idempotency(std::string(relative.substr(4)));
  return core_->execute(spec);
}

// ---------------------------------------------------------------- platform

resources::Resources Smarter::resources() const { return resources::Resources(core_); }

resources::Manifests Smarter::manifests() const { return resources::Manifests(core_); }

WhoAmI Smarter::whoami(RequestOptions const& options) const {
  return detail::cli_call<WhoAmI>(*core_, "whoami/", {}, std::nullopt, options);
}

PlatformStatus Smarter::platform_status(RequestOptions const& options) const {
  return detail::cli_call<PlatformStatus>(*core_, "status/", {}, std::nullopt, options);
}

PlatformVersion Smarter::platform_version(RequestOptions const& options) const {
  PlatformVersion version = detail::cli_call<PlatformVersion>(*core_, "version/", {}, std::nullopt, options);
  detail::remember_generation(*core_, version);
  return version;
}

// ---------------------------------------------------------------- OpenAI-shaped models

resources::Chat Smarter::chat() const { return resources::Chat(core_); }

resources::Responses Smarter::responses() const { return resources::Responses(core_); }

resources::Files Smarter::files() const { return resources::Files(core_); }

resources::FineTuning Smarter::fine_tuning() const { return resources::FineTuning(core_); }

}  // namespace smarter

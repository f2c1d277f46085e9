#include <smarter/client.hpp>

#include <smarter/errors.hpp>

#include "resources/platform_cli.hpp"

namespace smarter {

Smarter::Smarter(ClientOptions const& options) : core_(std::make_shared<detail::ClientCore const>(options)) {}

Smarter::Smarter(std::shared_ptr<detail::ClientCore const> core) : core_(std::move(core)) {}

Smarter Smarter::with_options(ClientOptions const& overrides) const {
  return Smarter(std::make_shared<detail::ClientCore const>(*core_, overrides));
}

RawResponse Smarter::request(std::string const& method, std::string const& path, nlohmann::json const& body,
                             RequestOptions const& options) const {
  if (method.empty()) throw SmarterError("request: method must not be empty");
  detail::RequestSpec spec;
  spec.method = method;
  spec.path = path;
  if (!body.is_null()) spec.json_body = body;
  spec.options = options;
  // The platform's own commands keep their retry rules when called by path: a read such as
  // cli/status/ may be repeated, cli/apply/ or a prompt may not.
  std::string_view relative = path;
  while (!relative.empty() && relative.front() == '/') relative.remove_prefix(1);
  if (relative.rfind("cli/", 0) == 0) spec.idempotency = detail::cli_idempotency(std::string(relative.substr(4)));
  return core_->execute(spec);
}

}  // namespace smarter

#include <smarter/client.hpp>

#include <smarter/errors.hpp>

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
  return core_->execute(spec);
}

}  // namespace smarter

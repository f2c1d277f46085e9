// Plugins: list, describe, apply, delete.
#include <smarter/resources/plugins.hpp>

#include "resources/platform_cli.hpp"

namespace smarter::resources {

Plugins::Plugins(std::shared_ptr<detail::ClientCore const> core) : core_(std::move(core)) {}

CursorPage<PluginSummary> Plugins::list(RequestOptions const& options) const {
  RawResponse response = detail::cli_post(*core_, "get/plugin/", {}, std::nullopt, options);
  return detail::decode_listing<PluginSummary>(response);
}

PluginManifest Plugins::get(std::string const& name, RequestOptions const& options) const {
  detail::require_non_empty(name, "name");
  return detail::cli_call<PluginManifest>(*core_, "describe/plugin/", {{"name", name}}, std::nullopt, options);
}

PluginManifest Plugins::apply(Manifest const& manifest, RequestOptions const& options) const {
  detail::require_non_empty(manifest.name(), "metadata.name");
  nlohmann::json body = manifest.value();
  if (manifest.kind().empty()) body["kind"] = "Plugin";
  return detail::cli_call<PluginManifest>(*core_, "apply/", {}, std::move(body), options);
}

PlatformResponse Plugins::remove(std::string const& name, RequestOptions const& options) const {
  detail::require_non_empty(name, "name");
  return detail::cli_call<PlatformResponse>(*core_, "delete/plugin/", {{"name", name}}, std::nullopt, options);
}

}  // namespace smarter::resources

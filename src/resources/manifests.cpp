// The generic manifest API.
#include <smarter/resources/manifests.hpp>

#include "resources/platform_cli.hpp"

namespace smarter::resources {

namespace {

// "<command>/<kind>/" with the kind as the connected generation spells it.
std::string kind_path(detail::ClientCore const& core, char const* command, std::string const& kind,
                      RequestOptions const& options) {
  detail::require_non_empty(kind, "kind");
  return std::string(command) + "/" + detail::kind_segment(kind, detail::platform_generation(core, options)) + "/";
}

}  // namespace

Manifests::Manifests(std::shared_ptr<detail::ClientCore const> core) : core_(std::move(core)) {}

ManifestDocument Manifests::apply(Manifest const& manifest, RequestOptions const& options) const {
  detail::require_non_empty(manifest.kind(), "kind");
  detail::require_non_empty(manifest.name(), "metadata.name");
  nlohmann::json body = manifest.value();
  body["kind"] = detail::kind_for_generation(manifest.kind(), detail::platform_generation(*core_, options));
  return detail::cli_call<ManifestDocument>(*core_, "apply/", {}, std::move(body), options);
}

ManifestList Manifests::get(std::string const& kind, std::string const& name, RequestOptions const& options) const {
  detail::CliQuery query;
  if (!name.empty()) query.emplace_back("name", name);
  return detail::cli_call<ManifestList>(*core_, kind_path(*core_, "get", kind, options), query, std::nullopt, options);
}

ManifestDocument Manifests::describe(std::string const& kind, std::string const& name,
                                     RequestOptions const& options) const {
  detail::require_non_empty(name, "name");
  return detail::cli_call<ManifestDocument>(*core_, kind_path(*core_, "describe", kind, options), {{"name", name}},
                                            std::nullopt, options);
}

PlatformResponse Manifests::remove(std::string const& kind, std::string const& name,
                                   RequestOptions const& options) const {
  detail::require_non_empty(name, "name");
  return detail::cli_call<PlatformResponse>(*core_, kind_path(*core_, "delete", kind, options), {{"name", name}},
                                            std::nullopt, options);
}

PlatformResponse Manifests::deploy(std::string const& kind, std::string const& name,
                                   RequestOptions const& options) const {
  detail::require_non_empty(name, "name");
  return detail::cli_call<PlatformResponse>(*core_, kind_path(*core_, "deploy", kind, options), {{"name", name}},
                                            std::nullopt, options);
}

PlatformResponse Manifests::undeploy(std::string const& kind, std::string const& name,
                                     RequestOptions const& options) const {
  detail::require_non_empty(name, "name");
  return detail::cli_call<PlatformResponse>(*core_, kind_path(*core_, "undeploy", kind, options), {{"name", name}},
                                            std::nullopt, options);
}

PlatformResponse Manifests::logs(std::string const& kind, std::string const& name,
                                 RequestOptions const& options) const {
  detail::require_non_empty(name, "name");
  return detail::cli_call<PlatformResponse>(*core_, kind_path(*core_, "logs", kind, options), {{"name", name}},
                                            std::nullopt, options);
}

ManifestDocument Manifests::example_manifest(std::string const& kind, RequestOptions const& options) const {
  // v0.14.6 renamed example_manifest/ to example-manifest/.
  char const* command = detail::platform_generation(*core_, options) >= 14 ? "example-manifest" : "example_manifest";
  return detail::cli_call<ManifestDocument>(*core_, kind_path(*core_, command, kind, options), {}, std::nullopt,
                                            options);
}

ManifestSchema Manifests::json_schema(std::string const& kind, RequestOptions const& options) const {
  // v0.14.6 renamed schema/ to json-schema/.
  char const* command = detail::platform_generation(*core_, options) >= 14 ? "json-schema" : "schema";
  return detail::cli_call<ManifestSchema>(*core_, kind_path(*core_, command, kind, options), {}, std::nullopt,
                                          options);
}

}  // namespace smarter::resources

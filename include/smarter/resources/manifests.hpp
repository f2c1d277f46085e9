// `client.manifests()`: the generic manifest API for every kind the platform brokers.
#pragma once

#include <memory>
#include <string>

#include <smarter/detail/client_core.hpp>
#include <smarter/export.hpp>
#include <smarter/options.hpp>
#include <smarter/types/manifest.hpp>
#include <smarter/types/platform.hpp>

namespace smarter::resources {

/// `client.manifests()`: apply, get, describe, delete, deploy, undeploy, example manifest and JSON
/// schema for any kind (Chatbot, Plugin, ApiPlugin, SqlConnection, User, ...). Kind names are
/// case-insensitive; `Chatbot`/`LLMClient`, `Chat`/`Prompt` and `AuthToken`/`SmarterAuthToken`
/// are sent as the connected platform generation spells them.
class SMARTER_API Manifests {
 public:
  /// A namespace bound to a client's request machinery.
  explicit Manifests(std::shared_ptr<detail::ClientCore const> core);

  /// Creates or updates the resource a manifest describes (sent as JSON).
  ManifestDocument apply(Manifest const& manifest, RequestOptions const& options = {}) const;

  /// Lists the resources of `kind`; a non-empty `name` filters by name.
  ManifestList get(std::string const& kind, std::string const& name = {},
                   RequestOptions const& options = {}) const;

  /// The full manifest of resource `name` of `kind`.
  ManifestDocument describe(std::string const& kind, std::string const& name,
                            RequestOptions const& options = {}) const;

  /// Deletes resource `name` of `kind` (`delete` is a C++ keyword).
  PlatformResponse remove(std::string const& kind, std::string const& name,
                          RequestOptions const& options = {}) const;

  /// Deploys resource `name` of `kind`.
  PlatformResponse deploy(std::string const& kind, std::string const& name,
                          RequestOptions const& options = {}) const;

  /// Undeploys resource `name` of `kind`.
  PlatformResponse undeploy(std::string const& kind, std::string const& name,
                            RequestOptions const& options = {}) const;

  /// The logs of resource `name` of `kind`, as the platform returns them in `data`.
  PlatformResponse logs(std::string const& kind, std::string const& name,
                        RequestOptions const& options = {}) const;

  /// An example manifest of `kind` (`to_manifest()` gives one to edit and apply).
  ManifestDocument example_manifest(std::string const& kind, RequestOptions const& options = {}) const;

  /// The JSON Schema of `kind`'s manifests.
  ManifestSchema json_schema(std::string const& kind, RequestOptions const& options = {}) const;

 private:
  std::shared_ptr<detail::ClientCore const> core_;
};

}  // namespace smarter::resources

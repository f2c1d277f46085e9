// `client.resources().plugins()`: the platform's plugins (Plugin, ApiPlugin, SqlPlugin).
#pragma once

#include <memory>
#include <string>

#include <smarter/detail/client_core.hpp>
#include <smarter/export.hpp>
#include <smarter/options.hpp>
#include <smarter/pagination.hpp>
#include <smarter/types/manifest.hpp>
#include <smarter/types/platform.hpp>
#include <smarter/types/plugins.hpp>

namespace smarter::resources {

/// `client.resources().plugins()`. Cheap to copy; holds a share of the client.
class SMARTER_API Plugins {
 public:
  /// A namespace bound to a client's request machinery.
  explicit Plugins(std::shared_ptr<detail::ClientCore const> core);

  /// All static plugins of the account (one page, the platform does not paginate).
  CursorPage<PluginSummary> list(RequestOptions const& options = {}) const;

  /// Describes plugin `name`; a missing plugin raises NotFoundError.
  PluginManifest get(std::string const& name, RequestOptions const& options = {}) const;

  /// Creates or updates a plugin from a manifest (kind Plugin, ApiPlugin or SqlPlugin).
  PluginManifest apply(Manifest const& manifest, RequestOptions const& options = {}) const;

  /// Deletes plugin `name` (the platform's `delete` command; `delete` is a C++ keyword).
  PlatformResponse remove(std::string const& name, RequestOptions const& options = {}) const;

 private:
  std::shared_ptr<detail::ClientCore const> core_;
};

}  // namespace smarter::resources

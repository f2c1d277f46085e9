// Plugin manifests and listings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <smarter/detail/codec.hpp>
#include <smarter/export.hpp>
#include <smarter/model.hpp>
#include <smarter/types/manifest.hpp>
#include <smarter/types/platform.hpp>

namespace smarter {

/// When the platform offers a plugin to the model (`spec.selector`).
struct SMARTER_API PluginSelector : Model {
  std::optional<std::string> directive{};   ///< "search_terms" or "always".
  std::vector<std::string> search_terms{};  ///< `searchTerms`.
};
/// Decodes a selector.
SMARTER_DECLARE_CODEC(PluginSelector);

/// The prompt settings a plugin runs with (`spec.prompt`).
struct SMARTER_API PluginPrompt : Model {
  std::optional<std::string> provider{};     ///< LLM provider.
  std::optional<std::string> system_role{};  ///< `systemRole`.
  std::optional<std::string> model{};        ///< Model.
  std::optional<double> temperature{};       ///< Temperature.
  std::optional<std::int64_t> max_tokens{};  ///< `maxTokens`.
};
/// Decodes plugin prompt settings.
SMARTER_DECLARE_CODEC(PluginPrompt);

/// `spec` of a plugin manifest. Static, API and SQL plugins differ in `data`/`apiData`/`sqlData`,
/// which stay as JSON.
struct SMARTER_API PluginSpec : Model {
  std::optional<PluginSelector> selector{};  ///< Selection rule.
  std::optional<PluginPrompt> prompt{};      ///< Prompt settings.
  nlohmann::json data{};                     ///< Static plugins: `data` (description, staticData).
  std::optional<std::string> connection{};   ///< API/SQL plugins: connection name.
};
/// Decodes a plugin spec.
SMARTER_DECLARE_CODEC(PluginSpec);

/// A plugin's full manifest, as `describe` and `apply` return it.
struct SMARTER_API PluginManifest : PlatformResult {
  std::string api_version{};      ///< "smarter.sh/v1".
  std::string kind{};             ///< "Plugin", "ApiPlugin" or "SqlPlugin".
  ManifestMetadata metadata;    ///< Name, pluginClass, version, tags.
  PluginSpec spec;              ///< Selector, prompt, data.
  nlohmann::json status{};        ///< Status, as sent (null when absent).
};
/// Decodes a plugin manifest.
SMARTER_DECLARE_CODEC(PluginManifest);

/// One row of the plugin listing (`get plugins`).
struct SMARTER_API PluginSummary : Model {
  std::string name{};                          ///< Plugin name.
  std::optional<std::string> plugin_class{};   ///< `pluginClass`.
  std::optional<std::string> version{};        ///< Version.
  std::optional<std::string> email{};          ///< Owner e-mail.
  std::optional<std::string> created_at{};     ///< Creation time.
  std::optional<std::string> updated_at{};     ///< Update time.
};
/// Decodes a plugin listing row.
SMARTER_DECLARE_CODEC(PluginSummary);

}  // namespace smarter

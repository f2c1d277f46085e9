// Decoding of plugin manifests and listings.
#include <smarter/types/plugins.hpp>

#include "types/decode_support.hpp"

namespace smarter::detail {

template <>
struct Schema<PluginSelector> {
  static constexpr auto fields = std::make_tuple(field("directive", &PluginSelector::directive),
                                                 field("searchTerms", "search_terms", &PluginSelector::search_terms));
};

template <>
struct Schema<PluginPrompt> {
  using T = PluginPrompt;
  static constexpr auto fields = std::make_tuple(
      field("provider", &T::provider), field("systemRole", "system_role", &T::system_role), field("model", &T::model),
      field("temperature", &T::temperature), field("maxTokens", "max_tokens", &T::max_tokens));
};

template <>
struct Schema<PluginSpec> {
  using T = PluginSpec;
  static constexpr auto fields = std::make_tuple(field("selector", &T::selector), field("prompt", &T::prompt),
                                                 field("data", &T::data), field("connection", &T::connection));
};

template <>
struct Schema<PluginManifest> {
  using T = PluginManifest;
  static constexpr auto fields =
      std::make_tuple(required("apiVersion", &T::api_version), required("kind", &T::kind),
                      required("metadata", &T::metadata), field("spec", &T::spec), field("status", &T::status));
};

template <>
struct Schema<PluginSummary> {
  using T = PluginSummary;
  static constexpr auto fields = std::make_tuple(
      required("name", &T::name), field("pluginClass", "plugin_class", &T::plugin_class), field("email", &T::email),
      field("createdAt", "created_at", &T::created_at), field("updatedAt", "updated_at", &T::updated_at));
};

}  // namespace smarter::detail

namespace smarter {

SMARTER_DEFINE_CODEC(PluginSelector)
SMARTER_DEFINE_CODEC(PluginPrompt)
SMARTER_DEFINE_CODEC(PluginSpec)

// A manifest result must name its resource (the metadata reads `name` leniently).
void decode_from(detail::DecodeSource const& source, PluginManifest& out) {
  detail::decode_fields(source, out);
  if (out.metadata.name.empty()) throw detail::DecodeError("/metadata/name", "required field is missing");
}
void from_json(nlohmann::json const& j, PluginManifest& out) {
  out = detail::decode_document<PluginManifest>(std::make_shared<nlohmann::json const>(j));
}

// `version` is text that may arrive as a number: by hand, after the table.
void decode_from(detail::DecodeSource const& source, PluginSummary& out) {
  detail::decode_fields(source, out);
  detail::read_text(*source.node, "version", out.version);
}
void from_json(nlohmann::json const& j, PluginSummary& out) {
  out = detail::decode_document<PluginSummary>(std::make_shared<nlohmann::json const>(j));
}

}  // namespace smarter

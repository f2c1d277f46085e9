// Decoding of plugin manifests and listings.
#include <smarter/types/plugins.hpp>

#include "types/decode_support.hpp"

namespace smarter {

using detail::read_model;
using detail::read_optional;
using detail::read_optional_any;
using detail::read_required;

void from_json(nlohmann::json const& j, PluginSelector& out) {
  if (!j.is_object()) throw detail::DecodeError("", "expected an object");
  read_optional(j, "directive", out.directive);
  detail::read_string_list(j, {"searchTerms", "search_terms"}, out.search_terms);
}

void from_json(nlohmann::json const& j, PluginPrompt& out) {
  if (!j.is_object()) throw detail::DecodeError("", "expected an object");
  read_optional(j, "provider", out.provider);
  read_optional_any(j, {"systemRole", "system_role"}, out.system_role);
  read_optional(j, "model", out.model);
  read_optional(j, "temperature", out.temperature);
  read_optional_any(j, {"maxTokens", "max_tokens"}, out.max_tokens);
}

void from_json(nlohmann::json const& j, PluginSpec& out) {
  if (!j.is_object()) throw detail::DecodeError("", "expected an object");
  read_model(j, "selector", out.selector);
  read_model(j, "prompt", out.prompt);
  out.data = detail::raw_field(j, "data");
  read_optional(j, "connection", out.connection);
}

void from_json(nlohmann::json const& j, PluginManifest& out) {
  if (!j.is_object()) throw detail::DecodeError("", "expected a manifest object");
  read_required(j, "apiVersion", out.api_version);
  read_required(j, "kind", out.kind);
  if (!j.contains("metadata")) throw detail::DecodeError("/metadata", "required field is missing");
  read_model(j, "metadata", out.metadata);
  if (out.metadata.name.empty()) throw detail::DecodeError("/metadata/name", "required field is missing");
  read_model(j, "spec", out.spec);
  out.status = detail::raw_field(j, "status");
}

void from_json(nlohmann::json const& j, PluginSummary& out) {
  read_required(j, "name", out.name);
  read_optional_any(j, {"pluginClass", "plugin_class"}, out.plugin_class);
  detail::read_text(j, "version", out.version);
  read_optional(j, "email", out.email);
  read_optional_any(j, {"createdAt", "created_at"}, out.created_at);
  read_optional_any(j, {"updatedAt", "updated_at"}, out.updated_at);
}

}  // namespace smarter

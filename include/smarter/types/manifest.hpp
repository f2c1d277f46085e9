// Smarter API Manifests ("SAM"): the documents `apply` takes, built in code or loaded from
// JSON/YAML, and the typed pieces every manifest shares.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <smarter/detail/codec.hpp>
#include <smarter/export.hpp>
#include <smarter/model.hpp>
#include <smarter/types/platform.hpp>

namespace smarter {

/// A manifest to apply: `apiVersion`, `kind`, `metadata`, `spec`. Always sent as JSON.
class SMARTER_API Manifest {
 public:
  /// An empty manifest (`{}`); fill it with the setters.
  Manifest() = default;
  /// A manifest of `kind` named `name`, with apiVersion "smarter.sh/v1", version "0.1.0" and an
  /// empty spec.
  Manifest(std::string const& kind, std::string const& name);

  /// Wraps a JSON object. Throws SmarterError when `value` is not an object.
  static Manifest from_value(nlohmann::json value);
  /// Parses JSON text. Throws SmarterError on bad JSON or a non-object.
  static Manifest parse_json(std::string_view text);
  /// Parses YAML text holding one manifest. Throws SmarterError on bad YAML, a non-mapping, more
  /// than one document (see parse_yaml_all), or when the library was built without yaml-cpp.
  static Manifest parse_yaml(std::string_view text);
  /// Parses every document of YAML text ("---" between manifests), in order; empty documents are
  /// skipped. Throws SmarterError like parse_yaml.
  static std::vector<Manifest> parse_yaml_all(std::string_view text);
  /// Loads a file holding one manifest: `.json` files as JSON, anything else as YAML. Throws
  /// SmarterError.
  static Manifest load_file(std::string const& path);
  /// Loads every manifest of a file: a `.json` file holds one, a YAML file one per document.
  static std::vector<Manifest> load_file_all(std::string const& path);

  /// `apiVersion`, or "" when unset.
  std::string api_version() const;
  /// `kind`, or "" when unset.
  std::string kind() const;
  /// `metadata.name`, or "" when unset.
  std::string name() const;

  /// Sets `apiVersion`.
  Manifest& set_api_version(std::string const& value);
  /// Sets `kind`.
  Manifest& set_kind(std::string const& value);
  /// Sets `metadata.name`. Like the other metadata setters, creates `metadata` when it is
  /// missing and replaces it with an object when it is something else (e.g. `metadata: 5`).
  Manifest& set_name(std::string const& value);
  /// Sets `metadata.description`.
  Manifest& set_description(std::string const& value);
  /// Sets `metadata.version`.
  Manifest& set_version(std::string const& value);
  /// Replaces `spec`.
  Manifest& set_spec(nlohmann::json spec);

  /// The manifest as JSON (what apply sends).
  nlohmann::json const& value() const noexcept { return value_; }
  /// The manifest as mutable JSON, for fields without a setter.
  nlohmann::json& value() noexcept { return value_; }
  /// JSON text; `indent` < 0 gives compact output.
  std::string dump(int indent = 2) const { return value_.dump(indent); }

 private:
  nlohmann::json value_ = nlohmann::json::object();
};

/// The `metadata` every manifest has.
struct SMARTER_API ManifestMetadata : Model {
  std::string name{};                          ///< Resource name.
  std::optional<std::string> description{};    ///< Description.
  std::optional<std::string> version{};        ///< Semantic version.
  std::vector<std::string> tags{};             ///< Tags.
  nlohmann::json annotations{};                ///< Annotations (list of single-key maps), as sent.
  std::optional<std::string> plugin_class{};   ///< Plugins: `pluginClass` (static, api, sql).
};
/// Decodes manifest metadata.
SMARTER_DECLARE_CODEC(ManifestMetadata);

/// Any manifest the platform returns (describe, apply, example manifest), kind-agnostic.
struct SMARTER_API ManifestDocument : PlatformResult {
  std::optional<std::string> api_version{};  ///< `apiVersion`.
  std::optional<std::string> kind{};         ///< `kind`.
  ManifestMetadata metadata;               ///< `metadata` (empty when absent: `has_field("metadata")` tells).
  nlohmann::json spec{};                     ///< `spec`, as sent (null for some kinds).
  nlohmann::json status{};                   ///< `status`, as sent (null when absent).
  /// The document as a Manifest (without `status`), ready to edit and apply.
  Manifest to_manifest() const;
};
/// Decodes a manifest document.
SMARTER_DECLARE_CODEC(ManifestDocument);

/// A column of a `get` listing.
struct ManifestColumn {
  std::string name{};  ///< Field name, e.g. "dnsVerificationStatus".
  std::string type{};  ///< Django field type, e.g. "CharField".
};

/// The result of `get <kind>`: a table of resources.
struct SMARTER_API ManifestList : PlatformResult {
  std::optional<std::string> kind{};         ///< Kind listed.
  std::optional<std::int64_t> count{};       ///< `metadata.count`.
  std::vector<ManifestColumn> titles{};      ///< Columns.
  std::vector<nlohmann::json> items{};       ///< One object per resource.
};
/// Decodes a `get` listing.
SMARTER_DECLARE_CODEC(ManifestList);

/// The JSON Schema of a manifest kind.
struct SMARTER_API ManifestSchema : PlatformResult {
  nlohmann::json schema{};  ///< The schema document.
};
/// Decodes a schema response's data.
SMARTER_DECLARE_CODEC(ManifestSchema);

}  // namespace smarter

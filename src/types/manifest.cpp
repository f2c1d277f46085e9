// Manifests: building, loading (JSON/YAML) and decoding the platform's manifest documents.
#include <smarter/types/manifest.hpp>

#include <fstream>
#include <sstream>

#include <smarter/errors.hpp>

#include "types/decode_support.hpp"
#include "types/yaml_json.hpp"
#include "json_parse.hpp"
#include "utf8.hpp"

namespace smarter::detail {

template <>
struct Schema<ManifestMetadata> {
  using T = ManifestMetadata;
  static constexpr auto fields =
      std::make_tuple(field("description", &T::description), field("tags", &T::tags),
                      field("annotations", &T::annotations), field("pluginClass", "plugin_class", &T::plugin_class));
};

template <>
struct Schema<ManifestDocument> {
  using T = ManifestDocument;
  static constexpr auto fields =
      std::make_tuple(field("apiVersion", &T::api_version), field("kind", &T::kind), field("metadata", &T::metadata),
                      field("spec", &T::spec), field("status", &T::status));
};

template <>
struct Schema<ManifestList> {
  static constexpr auto fields = std::make_tuple(field("kind", &ManifestList::kind));
};

}  // namespace smarter::detail

namespace smarter {

namespace {

constexpr char kApiVersion[] = "smarter.sh/v1";

std::string string_at(nlohmann::json const& j, char const* key) {
  if (!j.is_object()) return {};
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The `metadata` object the setters write into. A loaded document may hold anything there
// (`metadata: 5`); nlohmann's operator[] would throw type_error on it, so a value that is not an
// object is replaced by one, as a missing one is created.
nlohmann::json& metadata_object(nlohmann::json& manifest) {
  nlohmann::json& metadata = manifest["metadata"];
  if (!metadata.is_object()) metadata = nlohmann::json::object();
  return metadata;
}

bool ends_with(std::string const& text, std::string const& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

Manifest::Manifest(std::string const& kind, std::string const& name) {
  value_ = {{"apiVersion", kApiVersion},
            {"kind", kind},
            {"metadata", {{"name", name}, {"version", "0.1.0"}}},
            {"spec", nlohmann::json::object()}};
}

Manifest Manifest::from_value(nlohmann::json value) {
  if (!value.is_object()) throw SmarterError("a manifest must be a JSON/YAML object (mapping)");
  Manifest manifest;
  manifest.value_ = std::move(value);
  return manifest;
}

Manifest Manifest::parse_json(std::string_view text) {
  // nlohmann rejects ill-formed UTF-8 too, but only as "not valid JSON"; say where it is.
  std::size_t bad_offset = 0;
  if (!detail::utf8_valid(text, &bad_offset)) {
    throw SmarterError("manifest is not valid UTF-8 at byte " + std::to_string(bad_offset));
  }
  // A manifest may come from anywhere: nesting is bounded as for network JSON (deep values crash
  // the recursive dump that sends them).
  detail::JsonParse parsed = detail::parse_json(text, detail::kDefaultMaxJsonDepth);
  if (!parsed) throw SmarterError("manifest is not valid JSON: " + parsed.message);
  return from_value(std::move(parsed.value));
}

Manifest Manifest::parse_yaml(std::string_view text) {
#if defined(SMARTER_HAVE_YAML)
  nlohmann::json value;
  try {
    value = detail::yaml::parse(text);
  } catch (std::runtime_error const& e) {
    throw SmarterError(std::string("manifest is not valid YAML: ") + e.what());
  }
  return from_value(std::move(value));
#else
  (void)text;
  throw SmarterError("YAML manifests need yaml-cpp; this build of smarter has no YAML support");
#endif
}

std::vector<Manifest> Manifest::parse_yaml_all(std::string_view text) {
#if defined(SMARTER_HAVE_YAML)
  std::vector<nlohmann::json> values;
  try {
    values = detail::yaml::parse_all(text);
  } catch (std::runtime_error const& e) {
    throw SmarterError(std::string("manifest is not valid YAML: ") + e.what());
  }
  std::vector<Manifest> manifests;
  manifests.reserve(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    try {
      manifests.push_back(from_value(std::move(values[i])));
    } catch (SmarterError const& e) {
      throw SmarterError("YAML document " + std::to_string(i + 1) + ": " + e.what());
    }
  }
  return manifests;
#else
  (void)text;
  throw SmarterError("YAML manifests need yaml-cpp; this build of smarter has no YAML support");
#endif
}

namespace {

std::string read_manifest_file(std::string const& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw SmarterError("cannot open manifest file: " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

Manifest Manifest::load_file(std::string const& path) {
  std::string const text = read_manifest_file(path);
  if (ends_with(path, ".json")) return parse_json(text);
  return parse_yaml(text);
}

std::vector<Manifest> Manifest::load_file_all(std::string const& path) {
  std::string const text = read_manifest_file(path);
  if (ends_with(path, ".json")) return {parse_json(text)};
  return parse_yaml_all(text);
}

std::string Manifest::api_version() const { return string_at(value_, "apiVersion"); }
std::string Manifest::kind() const { return string_at(value_, "kind"); }
std::string Manifest::name() const {
  auto it = value_.find("metadata");
  return it == value_.end() ? std::string() : string_at(*it, "name");
}

Manifest& Manifest::set_api_version(std::string const& value) {
  value_["apiVersion"] = value;
  return *this;
}
Manifest& Manifest::set_kind(std::string const& value) {
  value_["kind"] = value;
  return *this;
}
Manifest& Manifest::set_name(std::string const& value) {
  metadata_object(value_)["name"] = value;
  return *this;
}
Manifest& Manifest::set_description(std::string const& value) {
  metadata_object(value_)["description"] = value;
  return *this;
}
Manifest& Manifest::set_version(std::string const& value) {
  metadata_object(value_)["version"] = value;
  return *this;
}
Manifest& Manifest::set_spec(nlohmann::json spec) {
  value_["spec"] = std::move(spec);
  return *this;
}

// `name` is read leniently (anything but a string is ""; a manifest result then reports it as
// missing) and `version` as text (YAML may turn "1.0" into a number): by hand.
void decode_from(detail::DecodeSource const& source, ManifestMetadata& out) {
  detail::decode_fields(source, out);
  out.name = string_at(*source.node, "name");
  detail::read_text(*source.node, "version", out.version);
}
void from_json(nlohmann::json const& j, ManifestMetadata& out) {
  out = detail::decode_document<ManifestMetadata>(std::make_shared<nlohmann::json const>(j));
}

SMARTER_DEFINE_CODEC(ManifestDocument)

Manifest ManifestDocument::to_manifest() const {
  nlohmann::json value = to_dict();
  if (value.is_object()) value.erase("status");
  return Manifest::from_value(std::move(value));
}

// `count` sits in `metadata`, the columns and rows in `data`: by hand, after the table.
void decode_from(detail::DecodeSource const& source, ManifestList& out) {
  detail::decode_fields(source, out);
  nlohmann::json const& j = *source.node;
  out.count.reset();
  if (auto meta = j.find("metadata"); meta != j.end() && meta->is_object()) {
    try {
      detail::read_optional(*meta, "count", out.count);
    } catch (detail::DecodeError const& e) {
      throw e.with_prefix("/metadata");
    }
  }
  out.titles.clear();
  out.items.clear();
  auto table = j.find("data");
  if (table == j.end() || !table->is_object()) return;
  if (auto titles = table->find("titles"); titles != table->end() && titles->is_array()) {
    out.titles.reserve(titles->size());
    for (auto const& column : *titles) {
      out.titles.push_back({string_at(column, "name"), string_at(column, "type")});
    }
  }
  if (auto items = table->find("items"); items != table->end()) {
    if (!items->is_array()) throw detail::DecodeError("/data/items", "expected an array");
    out.items.assign(items->begin(), items->end());
  }
}
void from_json(nlohmann::json const& j, ManifestList& out) {
  out = detail::decode_document<ManifestList>(std::make_shared<nlohmann::json const>(j));
}

// The schema is the whole payload, kept as sent.
void decode_from(detail::DecodeSource const& source, ManifestSchema& out) {
  out.schema = *source.node;
  detail::keep_node(source, out);
}
void from_json(nlohmann::json const& j, ManifestSchema& out) {
  out = detail::decode_document<ManifestSchema>(std::make_shared<nlohmann::json const>(j));
}

}  // namespace smarter

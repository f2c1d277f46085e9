// Fuzz target `manifest`: loading Smarter manifests from untrusted JSON and YAML text
// (smarter::Manifest::parse_json / parse_yaml, include/smarter/types/manifest.hpp).
//
// Checks:
//   - parse_json and parse_yaml return a Manifest or throw SmarterError; nothing else escapes and
//     nothing crashes (deep nesting, aliases, odd scalars, invalid UTF-8 included);
//   - a loaded manifest is usable: kind(), name(), api_version(), dump() in both layouts work,
//     and the setters work (or throw SmarterError) whatever shape `metadata` has;
//   - dump() is a faithful serialisation: Manifest::parse_json(dump()) gives the same value;
//   - the manifest decodes as a ManifestDocument (or DecodeError), whose to_manifest() works.
//
// Input layout: byte 0 picks the setters to try, the rest is the document text (tried as both).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <smarter/detail/decode.hpp>
#include <smarter/types/manifest.hpp>

#include "fuzz_support.hpp"

namespace {

constexpr char kTarget[] = "manifest";

void use(smarter::Manifest manifest, std::uint8_t setters, char const* how) {
  (void)manifest.kind();
  (void)manifest.name();
  (void)manifest.api_version();
  std::string compact;
  smarter_fuzz::allow_smarter_error(kTarget, "Manifest::dump", [&] {
    (void)manifest.dump();
    compact = manifest.dump(-1);
  });
  if (!compact.empty()) {
    std::optional<smarter::Manifest> again;
    smarter_fuzz::allow_smarter_error(kTarget, "Manifest::parse_json(dump())",
                                      [&] { again = smarter::Manifest::parse_json(compact); });
    SMARTER_FUZZ_CHECK(kTarget, again.has_value(),
                       std::string("parse_json refused the dump() of a manifest loaded by ") + how + ": " +
                           smarter_fuzz::show(compact));
    SMARTER_FUZZ_CHECK(kTarget, again->value() == manifest.value(),
                       std::string("dump() of a manifest loaded by ") + how + " does not parse back to it: " +
                           smarter_fuzz::show(nlohmann::json::diff(manifest.value(), again->value())
                                                  .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                                              400));
  }

  smarter_fuzz::allow_smarter_error_or<smarter::detail::DecodeError>(kTarget, "decode ManifestDocument", [&] {
    auto const document = smarter::detail::decode_value<smarter::ManifestDocument>(manifest.value());
    smarter_fuzz::allow_smarter_error(kTarget, "ManifestDocument::to_manifest",
                                      [&] { (void)document.to_manifest().dump(); });
  });

  // The setters edit a document whose shape the caller does not control (e.g. `metadata: 5`).
  smarter_fuzz::allow_smarter_error(kTarget, "Manifest setters", [&] {
    if (setters & 0x01) manifest.set_name("fuzz-name");
    if (setters & 0x02) manifest.set_description("fuzz description");
    if (setters & 0x04) manifest.set_version("1.2.3");
    if (setters & 0x08) manifest.set_kind("Chatbot");
    if (setters & 0x10) manifest.set_api_version("smarter.sh/v1");
    if (setters & 0x20) manifest.set_spec(nlohmann::json::object());
    if (setters & 0x01) SMARTER_FUZZ_CHECK(kTarget, manifest.name() == "fuzz-name", "set_name did not take");
    (void)manifest.dump();
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  smarter_fuzz::Input input(data, size);
  std::uint8_t const setters = input.byte();
  std::string_view const text = input.rest();

  std::optional<smarter::Manifest> from_json;
  smarter_fuzz::allow_smarter_error(kTarget, "Manifest::parse_json", [&] { from_json = smarter::Manifest::parse_json(text); });
  if (from_json) use(*from_json, setters, "parse_json");

  std::optional<smarter::Manifest> from_yaml;
  smarter_fuzz::allow_smarter_error(kTarget, "Manifest::parse_yaml", [&] { from_yaml = smarter::Manifest::parse_yaml(text); });
  if (from_yaml) use(*from_yaml, setters, "parse_yaml");
  return 0;
}

// Fuzz target `decode_models`: every response model's decoder on any JSON a server could send.
//
// Checks:
//   - parse_json(text, 512) never throws; when it parses, decode_value<T> for every model of the
//     chosen family either succeeds or throws detail::DecodeError (documented), and the platform
//     results also decode through their envelope (parse_platform_response<T>), list responses
//     through decode_cursor_page<T>;
//   - a decoded model can be used: to_dict() is the input, to_json() parses back to it,
//     every name in fields_set() answers has_field(), and the per-type helpers (output_text,
//     to_manifest, diagnostics, the chunk accumulator, ...) either work or throw SmarterError;
//   - decode_response<T>(RawResponse) on the raw text (any bytes, not only JSON) returns T or
//     throws SmarterError (APIResponseValidationError).
//
// Input layout: byte 0 picks the family (and a variant bit), the rest is the JSON text.
#include <cstddef>
#include <cstdint>
#include <new>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <nlohmann/json.hpp>

#include <smarter/detail/decode.hpp>
#include <smarter/model.hpp>
#include <smarter/pagination.hpp>
#include <smarter/raw_response.hpp>
#include <smarter/types/chat.hpp>
#include <smarter/types/chatbots.hpp>
#include <smarter/types/files.hpp>
#include <smarter/types/fine_tuning.hpp>
#include <smarter/types/manifest.hpp>
#include <smarter/types/platform.hpp>
#include <smarter/types/plugins.hpp>
#include <smarter/types/responses.hpp>

#include "fuzz_support.hpp"
#include "json_parse.hpp"

namespace {

constexpr char kTarget[] = "decode_models";

using smarter::detail::DecodeError;

// ------------------------------------------------------------------ per-type helpers
// Each decoded type gets its convenience methods called: they read the decoded fields in ways
// the decoders do not (index lookups, string joins, re-decoding), so they are part of the surface.

template <class T>
void use_helpers(T const&) {}

void use_helpers(smarter::Response const& r) { (void)r.output_text(); }

void use_helpers(smarter::ChatCompletion const& c) {
  for (auto const& choice : c.choices) (void)smarter::to_message_param(choice.message);
}

void use_helpers(smarter::ChatCompletionChunk const& chunk) {
  // The accumulator joins chunks by index; adding the same chunk twice doubles every text.
  smarter_fuzz::allow_smarter_error(kTarget, "ChatCompletionAccumulator", [&] {
    smarter::ChatCompletionAccumulator accumulator;
    accumulator.add(chunk);
    accumulator.add(chunk);
    smarter::ChatCompletion const done = accumulator.final_completion();
    (void)done.to_json();
  });
}

void use_helpers(smarter::PlatformResponse const& r) { (void)r.kind(); }

void use_helpers(smarter::PlatformStatus const& s) { (void)s.infrastructure_names(); }

void use_helpers(smarter::PlatformVersion const& v) {
  (void)v.generation();
  if (v.api_version) (void)smarter::generation_from_version(*v.api_version);
}

void use_helpers(smarter::ManifestDocument const& d) {
  smarter_fuzz::allow_smarter_error(kTarget, "ManifestDocument::to_manifest", [&] {
    smarter::Manifest const m = d.to_manifest();
    (void)m.kind();
    (void)m.name();
    (void)m.api_version();
    (void)m.dump();
  });
}

void use_helpers(smarter::PromptReply const& chat) {
  (void)chat.diagnostics();
  (void)chat.conversation();
  std::ostringstream out;
  out << chat;
}

void use_helpers(smarter::ChatConfig const& config) { (void)config.history_messages(); }

// ------------------------------------------------------------------ decoding

template <class T>
void use_model(T const& model, nlohmann::json const& source) {
  if constexpr (std::is_base_of_v<smarter::Model, T>) {
    SMARTER_FUZZ_CHECK(kTarget, model.to_dict() == source, "to_dict() is not the decoded JSON");
    std::string const text = model.to_json(-1);
    (void)model.to_json(2);
    smarter::detail::JsonParse const again = smarter::detail::parse_json(text, 600);
    SMARTER_FUZZ_CHECK(kTarget, again && again.value == source, "to_json() does not parse back to to_dict()");
    for (std::string const& name : model.fields_set()) {
      SMARTER_FUZZ_CHECK(kTarget, model.has_field(name), "fields_set() names " + name + " but has_field() denies it");
      (void)model.is_null(name);
      (void)model.field(name);
    }
    (void)model.field("no-such-field");
  }
  smarter_fuzz::allow_smarter_error(kTarget, "model helpers", [&] { use_helpers(model); });
}

template <class T>
void decode(nlohmann::json const& value) {
  smarter_fuzz::allow_smarter_error_or<DecodeError>(kTarget, "decode_value", [&] {
    T const model = smarter::detail::decode_value<T>(value);
    use_model(model, value);
  });
}

// Platform results normally arrive inside the envelope; the same JSON is tried both ways.
template <class T>
void decode_platform(nlohmann::json const& value) {
  decode<T>(value);
  smarter_fuzz::allow_smarter_error_or<DecodeError>(kTarget, "parse_platform_response", [&] {
    T const model = smarter::parse_platform_response<T>(value, std::string("req-fuzz"));
    (void)model.request_id();
    if constexpr (std::is_base_of_v<smarter::PlatformResult, T>) {
      (void)model.envelope.message;
      (void)model.envelope.kind();
    }
    smarter_fuzz::allow_smarter_error(kTarget, "model helpers", [&] { use_helpers(model); });
  });
}

template <class T>
void decode_page(nlohmann::json const& value) {
  smarter_fuzz::allow_smarter_error_or<DecodeError>(kTarget, "decode_cursor_page", [&] {
    auto const page = smarter::detail::decode_cursor_page<T>(value, nullptr, std::string("req-fuzz"));
    // Without a fetcher there is never a next page, whatever the body says.
    SMARTER_FUZZ_CHECK(kTarget, !page.has_next_page(), "a page without a fetcher claims a next page");
    (void)page.next_page_info();
    (void)page.has_more();
    for (auto const& item : page.data()) (void)item.to_dict();
  });
}

template <class T>
void decode_raw(std::string_view text, bool with_request_id) {
  smarter::RawResponse raw;
  raw.status_code = 200;
  raw.headers.add("content-type", "application/json");
  if (with_request_id) raw.headers.add("x-request-id", "req-fuzz");
  raw.body = std::string(text);
  raw.method = "GET";
  raw.url = "http://127.0.0.1/v1/fuzz";
  smarter_fuzz::allow_smarter_error(kTarget, "decode_response", [&] {
    T const model = smarter::detail::decode_response<T>(raw);
    SMARTER_FUZZ_CHECK(kTarget, !with_request_id || model.request_id() == std::string("req-fuzz"),
                       "decode_response lost the x-request-id");
  });
  smarter_fuzz::allow_smarter_error(kTarget, "RawResponse::json", [&] { (void)raw.json(); });
  (void)raw.content_type();
}

void decode_family(unsigned family, nlohmann::json const& v) {
  using namespace smarter;  // NOLINT(google-build-using-namespace): dozens of model names below
  switch (family) {
    case 0:  // chat completions
      decode<ChatCompletion>(v);
      decode<ChatCompletionChunk>(v);
      decode<ChatCompletionChoice>(v);
      decode<ChatCompletionChunkChoice>(v);
      decode<ChatCompletionMessage>(v);
      decode<ChatCompletionMessageToolCall>(v);
      decode<ChoiceDelta>(v);
      decode<ChoiceDeltaToolCall>(v);
      decode<CompletionUsage>(v);
      decode<ToolCallFunction>(v);
      decode<ChoiceDeltaFunction>(v);
      break;
    case 1:  // responses
      decode<Response>(v);
      decode<ResponseStreamEvent>(v);
      decode<ResponseOutputItem>(v);
      decode<ResponseOutputContent>(v);
      decode<ResponseUsage>(v);
      decode<ResponseError>(v);
      break;
    case 2:  // files
      decode<FileObject>(v);
      decode<FileDeleted>(v);
      decode_page<FileObject>(v);
      break;
    case 3:  // fine-tuning
      decode<FineTuningJob>(v);
      decode<FineTuningJobEvent>(v);
      decode<FineTuningJobCheckpoint>(v);
      decode<FineTuningHyperparameters>(v);
      decode<DpoHyperparameters>(v);
      decode<FineTuningMethod>(v);
      decode<FineTuningJobError>(v);
      decode<FineTuningCheckpointMetrics>(v);
      decode_page<FineTuningJob>(v);
      decode_page<FineTuningJobEvent>(v);
      decode_page<FineTuningJobCheckpoint>(v);
      break;
    case 4:  // platform envelope and account-level results
      decode_platform<PlatformResponse>(v);
      decode_platform<WhoAmI>(v);
      decode_platform<PlatformStatus>(v);
      decode_platform<PlatformVersion>(v);
      decode<PlatformUser>(v);
      decode<PlatformAccount>(v);
      decode<PlatformCompute>(v);
      break;
    case 5:  // manifests
      decode_platform<ManifestDocument>(v);
      decode_platform<ManifestList>(v);
      decode_platform<ManifestSchema>(v);
      decode<ManifestMetadata>(v);
      break;
    case 6:  // chatbots and prompts
      decode_platform<ChatbotManifest>(v);
      decode_platform<PromptReply>(v);
      decode_platform<ChatConfig>(v);
      decode<ChatbotConfig>(v);
      decode<ChatbotSpec>(v);
      decode<ChatbotStatus>(v);
      decode<ChatbotSummary>(v);
      decode<ChatbotMessage>(v);
      decode<ChatbotUsage>(v);
      decode<ChatbotChoice>(v);
      decode<ChatbotCompletion>(v);
      decode<ChatConfigChatbot>(v);
      break;
    default:  // plugins
      decode_platform<PluginManifest>(v);
      decode<PluginSelector>(v);
      decode<PluginPrompt>(v);
      decode<PluginSpec>(v);
      decode<PluginSummary>(v);
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  smarter_fuzz::Input input(data, size);
  std::uint8_t const choice = input.byte();
  std::string_view const text = input.rest();

  // The whole response path: bytes -> RawResponse -> T (a bad body is a typed SDK error).
  if (choice & 0x80) {
    switch (choice & 0x3) {
      case 0: decode_raw<smarter::ChatCompletion>(text, choice & 0x4); break;
      case 1: decode_raw<smarter::FileObject>(text, choice & 0x4); break;
      case 2: decode_raw<smarter::Response>(text, choice & 0x4); break;
      default: decode_raw<smarter::FineTuningJob>(text, choice & 0x4); break;
    }
  }

  // parse_json documents that it never throws for bad input: std::bad_alloc is its only exception.
  smarter::detail::JsonParse parsed;
  try {
    parsed = smarter::detail::parse_json(text, 512);
  } catch (std::bad_alloc const&) {
    return 0;
  } catch (...) {
    smarter_fuzz::unexpected_exception(kTarget, "parse_json");
  }
  if (!parsed) return 0;
  decode_family((choice & 0x7F) % 8, parsed.value);
  return 0;
}

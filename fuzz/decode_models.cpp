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
//     throws SmarterError (APIResponseValidationError);
//   - list responses, differentially: the same bytes (any bytes, not only JSON) as a RawResponse
//     through decode_list_response<T> (what every list call runs: the items decoded while the
//     body is parsed, their JSON kept as text and parsed again on first use) and through the
//     eager path it replaced (parse_json_body, then decode_cursor_page<T> over the whole
//     document). Both decode or both fail with SmarterError (a failure of one only is a
//     finding); the pages have the same items (each to_dict() equal, nested models' too for
//     chat completions and response items), the same has_more and the same next-page cursor.
//
// Input layout: byte 0 picks the family (and a variant bit), the rest is the JSON text.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
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

// ------------------------------------------------------------------ list responses, two ways

// How a decode ended. Running out of memory is not compared: the eager path holds the whole
// document as a DOM, the streaming one never does, so only one of them may reach the limit.
enum class Outcome { decoded, refused, out_of_memory };

template <class F>
Outcome outcome_of(char const* call, F&& f) {
  try {
    std::forward<F>(f)();
    return Outcome::decoded;
  } catch (smarter::SmarterError const&) {
    return Outcome::refused;
  } catch (std::bad_alloc const&) {
    return Outcome::out_of_memory;
  } catch (...) {
    smarter_fuzz::unexpected_exception(kTarget, call);
  }
}

// Makes next_page_info() report the cursor; a page never fetches by itself.
template <class T>
typename smarter::CursorPage<T>::Fetcher never_fetched() {
  return [](smarter::PageInfo const&) -> smarter::CursorPage<T> {
    smarter_fuzz::fail(kTarget, "a decoded list page fetched its next page by itself");
  };
}

// The models nested in an item find their JSON again by path in the streamed page: each one's
// to_dict() must be its node, as in the eager page.
void check_same_json(smarter::Model const& lazy, smarter::Model const& eager, char const* what) {
  SMARTER_FUZZ_CHECK(kTarget, lazy.to_dict() == eager.to_dict(),
                     std::string("decode_list_response and decode_cursor_page differ on the to_dict() of ") + what);
}

template <class T>
void same_nested(T const&, T const&) {}

void same_nested(smarter::ChatCompletionMessage const& lazy, smarter::ChatCompletionMessage const& eager) {
  check_same_json(lazy, eager, "a message");
  SMARTER_FUZZ_CHECK(kTarget, lazy.tool_calls.size() == eager.tool_calls.size(), "tool call counts differ");
  for (std::size_t i = 0; i < lazy.tool_calls.size(); ++i) {
    check_same_json(lazy.tool_calls[i], eager.tool_calls[i], "a tool call");
  }
}

void same_nested(smarter::ChatCompletion const& lazy, smarter::ChatCompletion const& eager) {
  SMARTER_FUZZ_CHECK(kTarget, lazy.choices.size() == eager.choices.size(), "choice counts differ");
  for (std::size_t i = 0; i < lazy.choices.size(); ++i) {
    check_same_json(lazy.choices[i], eager.choices[i], "a choice");
    same_nested(lazy.choices[i].message, eager.choices[i].message);
  }
  SMARTER_FUZZ_CHECK(kTarget, lazy.usage.has_value() == eager.usage.has_value(), "usage present in one page only");
  if (lazy.usage) check_same_json(*lazy.usage, *eager.usage, "usage");
}

void same_nested(smarter::ChatCompletionStoreMessage const& lazy, smarter::ChatCompletionStoreMessage const& eager) {
  same_nested(static_cast<smarter::ChatCompletionMessage const&>(lazy),
              static_cast<smarter::ChatCompletionMessage const&>(eager));
}

void same_nested(smarter::ResponseOutputItem const& lazy, smarter::ResponseOutputItem const& eager) {
  SMARTER_FUZZ_CHECK(kTarget, lazy.content.size() == eager.content.size(), "content part counts differ");
  for (std::size_t i = 0; i < lazy.content.size(); ++i) {
    check_same_json(lazy.content[i], eager.content[i], "a content part");
  }
}

template <class T>
void decode_list(std::string_view text) {
  smarter::RawResponse raw;
  raw.status_code = 200;
  raw.headers.add("content-type", "application/json");
  raw.headers.add("x-request-id", "req-fuzz");
  raw.body = std::string(text);
  raw.method = "GET";
  raw.url = "http://127.0.0.1/v1/fuzz";

  std::optional<smarter::CursorPage<T>> eager;
  Outcome const eager_outcome = outcome_of("parse_json_body + decode_cursor_page", [&] {
    auto const document = std::make_shared<nlohmann::json const>(smarter::detail::parse_json_body(raw));
    try {
      eager = smarter::detail::decode_cursor_page<T>(document, never_fetched<T>(), raw.request_id());
    } catch (DecodeError const& e) {
      smarter::detail::throw_validation_error(raw, e);
    }
  });
  std::optional<smarter::CursorPage<T>> lazy;
  Outcome const lazy_outcome = outcome_of("decode_list_response", [&] {
    lazy = smarter::detail::decode_list_response<T>(raw, never_fetched<T>());
  });
  if (eager_outcome == Outcome::out_of_memory || lazy_outcome == Outcome::out_of_memory) return;
  SMARTER_FUZZ_CHECK(kTarget, eager_outcome == lazy_outcome,
                     std::string(lazy_outcome == Outcome::decoded ? "only decode_list_response"
                                                                  : "only the eager decode_cursor_page") +
                         " decoded the list " + smarter_fuzz::show(text));
  if (lazy_outcome != Outcome::decoded) return;

  SMARTER_FUZZ_CHECK(kTarget, lazy->data().size() == eager->data().size(),
                     "decode_list_response and decode_cursor_page give different item counts");
  SMARTER_FUZZ_CHECK(kTarget, lazy->has_more_field() == eager->has_more_field(), "has_more differs");
  SMARTER_FUZZ_CHECK(kTarget, lazy->has_next_page() == eager->has_next_page(), "has_next_page() differs");
  SMARTER_FUZZ_CHECK(kTarget, lazy->next_page_info() == eager->next_page_info(), "the next-page cursor differs");
  SMARTER_FUZZ_CHECK(kTarget, lazy->request_id() == std::string("req-fuzz"),
                     "decode_list_response lost the x-request-id");
  for (std::size_t i = 0; i < lazy->data().size(); ++i) {
    T const& item = lazy->data()[i];
    T const& expected = eager->data()[i];
    bool const usable = smarter_fuzz::allow_smarter_error(kTarget, "to_dict of a streamed list item", [&] {
      check_same_json(item, expected, "an item");
      same_nested(item, expected);
    });
    if (usable) use_model(item, expected.to_dict());
  }
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

// The list families on the raw text: the list calls' own path, bad JSON included.
void decode_lists(unsigned family, std::string_view text) {
  using namespace smarter;  // NOLINT(google-build-using-namespace): model names below
  switch (family) {
    case 0:
      decode_list<ChatCompletion>(text);
      decode_list<ChatCompletionStoreMessage>(text);
      break;
    case 1: decode_list<ResponseItem>(text); break;
    case 2: decode_list<FileObject>(text); break;
    case 3:
      decode_list<FineTuningJob>(text);
      decode_list<FineTuningJobEvent>(text);
      decode_list<FineTuningJobCheckpoint>(text);
      decode_list<FineTuningCheckpointPermission>(text);
      break;
    default: break;  // the platform families have no cursor lists
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

  unsigned const family = (choice & 0x7F) % 8;
  decode_lists(family, text);

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
  decode_family(family, parsed.value);
  return 0;
}

// Models of the OpenAI-shaped Responses API (POST responses).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include <smarter/detail/codec.hpp>
#include <smarter/export.hpp>
#include <smarter/model.hpp>
#include <smarter/types/chat.hpp>

namespace smarter {

// ------------------------------------------------------------------------------ request side

/// One content part of an input message ("input_text", "input_image", "input_file").
struct ResponseInputContent {
  std::string type = "input_text";         ///< "input_text", "input_image" or "input_file".
  std::optional<std::string> text{};         ///< For "input_text".
  std::optional<std::string> image_url{};    ///< For "input_image": URL or data URL.
  std::optional<std::string> file_id{};      ///< For "input_image" / "input_file".
  std::optional<std::string> detail{};       ///< For "input_image": "low", "high" or "auto".
  nlohmann::json extra = nlohmann::json::object();  ///< Other fields (e.g. `file_data`, `filename`).
};

/// One item of a list input: usually a message (`role` + `content`); other item kinds (e.g. a
/// "function_call_output" with `call_id` and `output`) set `type` and put their fields in `extra`.
struct ResponseInputItem {
  std::optional<std::string> role{};  ///< "user", "assistant", "system" or "developer".
  std::optional<std::variant<std::string, std::vector<ResponseInputContent>>> content{};  ///< Text or parts.
  std::optional<std::string> type{};  ///< "message" (the default when a role is given), or another item type.
  nlohmann::json extra = nlohmann::json::object();  ///< Fields not modelled here.
};

/// `input`: a plain string, or a list of messages and other items.
using ResponseInput = std::variant<std::string, std::vector<ResponseInputItem>>;

/// Text output configuration (`text`): the output format and verbosity.
struct ResponseTextConfig {
  /// The output format; a "json_schema" format is sent flattened, as the Responses API wants
  /// (`{"type": "json_schema", "name": ..., "schema": ..., "strict": ...}`).
  std::optional<ResponseFormat> format{};
  std::optional<std::string> verbosity{};  ///< "low", "medium" or "high".
};

/// Reasoning options for reasoning models.
struct ResponseReasoning {
  std::optional<std::string> effort{};   ///< "minimal", "low", "medium" or "high".
  std::optional<std::string> summary{};  ///< "auto", "concise" or "detailed".
};

/// A tool offered to the model: a function (name, parameters) or a built-in tool by type
/// ("web_search", "file_search", ...; their settings go in `extra`).
struct ResponseTool {
  std::string type = "function";            ///< "function" or a built-in tool type.
  std::optional<std::string> name{};         ///< Function name.
  std::optional<std::string> description{};  ///< Function description.
  std::optional<nlohmann::json> parameters{}; ///< JSON Schema of the function's arguments.
  std::optional<bool> strict{};               ///< Enforce the schema exactly.
  nlohmann::json extra = nlohmann::json::object();  ///< Fields not modelled here.
};

/// Parameters of `responses().create` (OpenAI's `CreateResponse`). Unset fields are not sent;
/// `extra` is merged over the body last (its values win).
struct ResponseCreateParams {
  std::optional<std::string> model{};              ///< Model id, e.g. "gpt-4o-mini".
  std::optional<ResponseInput> input{};            ///< A string, or a list of messages/items.
  std::optional<bool> background{};                ///< Run in the background.
  std::optional<std::vector<std::string>> include{};  ///< Extra output to include.
  std::optional<std::string> instructions{};       ///< A system (developer) message.
  std::optional<std::int64_t> max_output_tokens{}; ///< Upper bound on generated tokens.
  std::optional<std::int64_t> max_tool_calls{};    ///< Upper bound on built-in tool calls.
  std::optional<std::map<std::string, std::string>> metadata{};  ///< Up to 16 key/value pairs.
  std::optional<bool> parallel_tool_calls{};       ///< Allow parallel tool calls.
  std::optional<std::string> previous_response_id{};  ///< Continue from an earlier response.
  std::optional<ResponseReasoning> reasoning{};    ///< Reasoning options.
  std::optional<std::string> service_tier{};       ///< "auto", "default", "flex", ...
  std::optional<bool> store{};                     ///< Store the response for later retrieval.
  std::optional<double> temperature{};             ///< 0 to 2.
  std::optional<ResponseTextConfig> text{};        ///< Output format and verbosity.
  std::optional<std::string> tool_choice{};        ///< "none", "auto" or "required" (objects via extra).
  std::optional<std::vector<ResponseTool>> tools{};  ///< Tools the model may call.
  std::optional<double> top_p{};                   ///< Nucleus sampling.
  std::optional<std::string> truncation{};         ///< "auto" or "disabled".
  std::optional<std::string> user{};               ///< End-user id.
  nlohmann::json extra = nlohmann::json::object();  ///< More body fields (merged last, win on clash).
};

/// Parameters of `chat().responses().create`: the Python SDK's spelling of the Responses API, with
/// `input` first and a chat-style `response_format` (sent as the Responses API's
/// `text.format`). The call is served by the same code as `responses().create`.
struct ChatResponseCreateParams {
  std::optional<ResponseInput> input{};            ///< A string, or a list of messages/items.
  std::optional<std::string> model{};              ///< Model id.
  std::optional<ResponseFormat> response_format{}; ///< Output format (becomes `text.format`).
  std::optional<std::string> instructions{};       ///< A system (developer) message.
  std::optional<std::int64_t> max_output_tokens{}; ///< Upper bound on generated tokens.
  std::optional<std::map<std::string, std::string>> metadata{};  ///< Up to 16 key/value pairs.
  std::optional<std::string> previous_response_id{};  ///< Continue from an earlier response.
  std::optional<ResponseReasoning> reasoning{};    ///< Reasoning options.
  std::optional<bool> store{};                     ///< Store the response.
  std::optional<double> temperature{};             ///< 0 to 2.
  std::optional<std::vector<ResponseTool>> tools{};  ///< Tools the model may call.
  std::optional<double> top_p{};                   ///< Nucleus sampling.
  nlohmann::json extra = nlohmann::json::object();  ///< More body fields (merged last).

  /// The same request in the Responses API's own parameter struct.
  SMARTER_API ResponseCreateParams to_response_params() const;
};

/// The JSON body of a Responses API request (unset fields left out, `extra` merged).
SMARTER_API nlohmann::json to_json_body(ResponseCreateParams const& params);

// JSON encoders of the request structs: required fields always, unset optional ones left out,
// `extra` merged last.
/// Encodes a ResponseInputContent.
SMARTER_DECLARE_ENCODER(ResponseInputContent);
/// Encodes a ResponseInputItem.
SMARTER_DECLARE_ENCODER(ResponseInputItem);
/// Encodes a ResponseTextConfig, its format flattened as the Responses API wants.
SMARTER_DECLARE_ENCODER(ResponseTextConfig);
/// Encodes a ResponseReasoning.
SMARTER_DECLARE_ENCODER(ResponseReasoning);
/// Encodes a ResponseTool.
SMARTER_DECLARE_ENCODER(ResponseTool);
/// Encodes ResponseCreateParams (the same as to_json_body).
SMARTER_DECLARE_ENCODER(ResponseCreateParams);

// ------------------------------------------------------------------------------ response side

/// One content part of an output message ("output_text" or "refusal").
struct SMARTER_API ResponseOutputContent : Model {
  std::string type{};                     ///< "output_text", "refusal" (others kept as sent).
  std::optional<std::string> text{};      ///< For "output_text".
  std::optional<std::string> refusal{};   ///< For "refusal".
  // Annotations and log probabilities are reachable via field().
};

/// One item of a response's output: a message, a function call, a reasoning item, ...
struct SMARTER_API ResponseOutputItem : Model {
  std::string type{};                          ///< "message", "function_call", "reasoning", ... (kept as sent).
  std::optional<std::string> id{};             ///< The item's id.
  std::optional<std::string> role{};           ///< For "message": "assistant".
  std::optional<std::string> status{};         ///< "in_progress", "completed" or "incomplete".
  std::vector<ResponseOutputContent> content{};  ///< For "message": its parts.
  std::optional<std::string> name{};           ///< For "function_call": the function.
  std::optional<std::string> arguments{};      ///< For "function_call": JSON text.
  std::optional<std::string> call_id{};        ///< For "function_call": answer with this id.
};

/// Token counts of a response.
struct SMARTER_API ResponseUsage : Model {
  std::int64_t input_tokens = 0;   ///< Tokens in the input.
  std::int64_t output_tokens = 0;  ///< Tokens generated.
  std::int64_t total_tokens = 0;   ///< Both together.
};

/// Why a response failed.
struct ResponseError {
  std::string code{};     ///< e.g. "server_error", "rate_limit_exceeded" (kept as sent).
  std::string message{};  ///< What went wrong.
};

/// A model response (OpenAI's `Response`).
struct SMARTER_API Response : Model {
  std::string id{};                              ///< Unique id.
  std::string object = "response";             ///< "response".
  std::int64_t created_at = 0;                 ///< Unix time (seconds).
  std::string model{};                           ///< The model used.
  /// "completed", "failed", "in_progress", "cancelled", "queued" or "incomplete" (others kept).
  std::optional<std::string> status{};
  std::vector<ResponseOutputItem> output{};      ///< What the model produced.
  std::optional<ResponseUsage> usage{};          ///< Token counts.
  std::optional<ResponseError> error{};          ///< Set when the response failed.
  std::optional<std::string> instructions{};     ///< The instructions used (string form).
  std::optional<std::string> previous_response_id{};  ///< The response this one continues.
  std::optional<double> temperature{};           ///< Sampling temperature used.
  std::optional<double> top_p{};                 ///< Nucleus sampling used.

  /// All "output_text" parts of all output messages, concatenated (the Python SDKs' `output_text`).
  std::string output_text() const;
};

/// One event of a streamed response (`response.created`, `response.output_text.delta`, ...).
struct SMARTER_API ResponseStreamEvent : Model {
  std::string type{};                            ///< The event type (kept as sent).
  std::optional<std::int64_t> sequence_number{}; ///< Order of the event.
  std::optional<std::string> delta{};            ///< Text added, for `*.delta` events.
  std::optional<std::string> item_id{};          ///< The output item concerned.
  std::optional<int> output_index{};             ///< Its position in `output`.
  std::optional<int> content_index{};            ///< The content part concerned.
  std::optional<Response> response{};            ///< The response, for `response.*` lifecycle events.
};

/// An item of a response's input or output, as `input_items().list` returns them (the same
/// shape as an output item: `type`, `id`, `role`, `status`, `content`, ...).
using ResponseItem = ResponseOutputItem;

/// Query parameters of `responses().retrieve` and `retrieve_stream`.
struct ResponseRetrieveParams {
  std::optional<std::vector<std::string>> include{};  ///< Extra output to include, e.g. "reasoning.encrypted_content".
  std::optional<bool> include_obfuscation{};          ///< Stream obfuscation fields (retrieve_stream).
  std::optional<std::int64_t> starting_after{};       ///< Stream: resume after this event number.
};

/// Parameters of `responses().input_items().list`.
struct ResponseInputItemListParams {
  std::optional<std::string> after{};                 ///< Cursor: the id of the item before the first one wanted.
  std::optional<int> limit{};                         ///< Page size (1 to 100, 20 by default).
  std::optional<std::string> order{};                 ///< "desc" (the default) or "asc".
  std::optional<std::vector<std::string>> include{};  ///< Extra fields to include.
};

/// Parameters of `responses().input_tokens().count`: what a `create` with the same fields would
/// count as input. Unset fields are not sent; `extra` is merged last.
struct ResponseInputTokensParams {
  std::optional<std::string> model{};                 ///< Model id.
  std::optional<ResponseInput> input{};               ///< A string, or a list of messages/items.
  std::optional<std::string> instructions{};          ///< A system (developer) message.
  std::optional<bool> parallel_tool_calls{};          ///< Allow parallel tool calls.
  std::optional<std::string> previous_response_id{};  ///< Continue from an earlier response.
  std::optional<ResponseReasoning> reasoning{};       ///< Reasoning options.
  std::optional<ResponseTextConfig> text{};           ///< Output format and verbosity.
  std::optional<std::string> tool_choice{};           ///< "none", "auto" or "required".
  std::optional<std::vector<ResponseTool>> tools{};   ///< Tools the model may call.
  std::optional<std::string> truncation{};            ///< "auto" or "disabled".
  nlohmann::json extra = nlohmann::json::object();    ///< More body fields (merged last, win on clash).
};

/// The input token count of `responses().input_tokens().count`.
struct SMARTER_API ResponseInputTokens : Model {
  std::string object = "response.input_tokens";  ///< "response.input_tokens".
  std::int64_t input_tokens = 0;                 ///< Tokens the input would use.
};

/// Parameters of `responses().compact`: a conversation to compact into fewer items.
struct ResponseCompactParams {
  std::string model{};                                ///< Model id (required).
  std::optional<ResponseInput> input{};               ///< The conversation (string or items).
  std::optional<std::string> instructions{};          ///< A system (developer) message.
  std::optional<std::string> previous_response_id{};  ///< Compact from an earlier response.
  std::optional<std::string> prompt_cache_key{};      ///< Cache key for similar requests.
  std::optional<std::string> service_tier{};          ///< "auto", "default", "flex", ...
  nlohmann::json extra = nlohmann::json::object();    ///< More body fields (merged last, win on clash).
};

/// The compacted conversation of `responses().compact`.
struct SMARTER_API ResponseCompaction : Model {
  std::string id{};                                ///< The compaction's id.
  std::string object = "response.compaction";      ///< "response.compaction".
  std::int64_t created_at = 0;                     ///< Unix time (seconds).
  std::vector<ResponseOutputItem> output{};        ///< The compacted items (messages and a "compaction" item).
  std::optional<ResponseUsage> usage{};            ///< Token counts.
};

/// Encodes a ResponseInputTokensParams.
SMARTER_DECLARE_ENCODER(ResponseInputTokensParams);
/// Encodes a ResponseCompactParams.
SMARTER_DECLARE_ENCODER(ResponseCompactParams);

// Decoders of the response models (unknown fields are kept on each Model; a nested model shares
// the document of the response it came in).
/// Decodes a ResponseOutputContent.
SMARTER_DECLARE_CODEC(ResponseOutputContent);
/// Decodes a ResponseOutputItem; `type` is required, `content` is read for messages only.
SMARTER_DECLARE_CODEC(ResponseOutputItem);
/// Decodes a ResponseUsage.
SMARTER_DECLARE_CODEC(ResponseUsage);
/// Decodes a ResponseError.
SMARTER_DECLARE_CODEC(ResponseError);
/// Decodes a Response; `id` is required, `instructions` is read in its string form only.
SMARTER_DECLARE_CODEC(Response);
/// Decodes a stream event; `type` is required.
SMARTER_DECLARE_CODEC(ResponseStreamEvent);
/// Decodes a ResponseInputTokens.
SMARTER_DECLARE_CODEC(ResponseInputTokens);
/// Decodes a ResponseCompaction.
SMARTER_DECLARE_CODEC(ResponseCompaction);

}  // namespace smarter

// Models of the OpenAI-shaped Chat Completions API (POST chat/completions).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include <smarter/detail/codec.hpp>
#include <smarter/export.hpp>
#include <smarter/model.hpp>

namespace smarter {

// ------------------------------------------------------------------------------ request side

/// A JSON schema for structured output (`json_schema` of a response format).
struct JsonSchemaFormat {
  std::string name{};                         ///< Name of the format (a-z, A-Z, 0-9, '_', '-').
  std::optional<std::string> description{};   ///< What the format is for.
  std::optional<nlohmann::json> schema{};     ///< The JSON Schema object.
  std::optional<bool> strict{};               ///< Enforce the schema exactly.
};

/// The output format a model must follow: `{"type": "text"}`, `{"type": "json_object"}` or
/// `{"type": "json_schema", "json_schema": {...}}`.
struct ResponseFormat {
  std::string type = "text";                   ///< "text", "json_object" or "json_schema".
  std::optional<JsonSchemaFormat> json_schema{};  ///< The schema when `type` is "json_schema".
  nlohmann::json extra = nlohmann::json::object();  ///< Fields not modelled here.

  /// Plain text output.
  static ResponseFormat text() { return ResponseFormat{}; }
  /// Any valid JSON object.
  static ResponseFormat json_object() { return ResponseFormat{"json_object", std::nullopt, nlohmann::json::object()}; }
  /// JSON that follows `schema`.
  static ResponseFormat from_schema(JsonSchemaFormat schema) {
    return ResponseFormat{"json_schema", std::move(schema), nlohmann::json::object()};
  }
};

/// An image given by URL (or data URL) inside a message.
struct ImageUrl {
  std::string url{};                     ///< http(s) URL or `data:` URL.
  std::optional<std::string> detail{};   ///< "auto", "low" or "high".
};

/// One part of a multi-part message content (text, image, ...).
struct ChatContentPart {
  std::string type = "text";               ///< "text", "image_url", "input_audio", "file", ...
  std::optional<std::string> text{};         ///< The text of a "text" part.
  std::optional<ImageUrl> image_url{};       ///< The image of an "image_url" part.
  nlohmann::json extra = nlohmann::json::object();  ///< Other fields (e.g. `input_audio`, `file`).

  /// A text part.
  static ChatContentPart text_part(std::string text) {
    ChatContentPart part{};
    part.text = std::move(text);
    return part;
  }
  /// An image part.
  static ChatContentPart image(std::string url, std::optional<std::string> detail = std::nullopt) {
    ChatContentPart part{};
    part.type = "image_url";
    part.image_url = ImageUrl{std::move(url), std::move(detail)};
    return part;
  }
};

/// Message content: a string or a list of parts.
using ChatMessageContent = std::variant<std::string, std::vector<ChatContentPart>>;

/// The function a tool call invokes (name and JSON-encoded arguments).
struct FunctionCall {
  std::string name{};       ///< The function's name.
  std::string arguments{};  ///< Arguments as JSON text, as the model produced them.
};

/// A tool call made by the assistant, sent back in the conversation history.
struct ChatToolCallParam {
  std::string id{};                 ///< The call's id (answered by a "tool" message).
  std::string type = "function";  ///< Always "function" for function tools.
  FunctionCall function{};          ///< What was called.
};

/// One message of the conversation (OpenAI's `ChatCompletionMessageParam`).
struct ChatMessage {
  std::string role{};                            ///< "system", "developer", "user", "assistant" or "tool".
  std::optional<ChatMessageContent> content{};   ///< The text, or content parts.
  std::optional<std::string> name{};             ///< Optional participant name.
  std::optional<std::string> tool_call_id{};     ///< For "tool" messages: the call answered.
  std::optional<std::vector<ChatToolCallParam>> tool_calls{};  ///< For "assistant" messages.
  std::optional<std::string> refusal{};          ///< For "assistant" messages.
  nlohmann::json extra = nlohmann::json::object();  ///< Fields not modelled here.

  /// A system message.
  static ChatMessage system(std::string text) { return make("system", std::move(text)); }
  /// A developer message (replaces system messages for reasoning models).
  static ChatMessage developer(std::string text) { return make("developer", std::move(text)); }
  /// A user message with text.
  static ChatMessage user(std::string text) { return make("user", std::move(text)); }
  /// A user message with several parts (text, images, ...).
  static ChatMessage user(std::vector<ChatContentPart> parts) {
    ChatMessage message{};
    message.role = "user";
    message.content = std::move(parts);
    return message;
  }
  /// An assistant message (conversation history).
  static ChatMessage assistant(std::string text) { return make("assistant", std::move(text)); }
  /// The result of a tool call.
  static ChatMessage tool(std::string tool_call_id, std::string text) {
    ChatMessage message = make("tool", std::move(text));
    message.tool_call_id = std::move(tool_call_id);
    return message;
  }

 private:
  static ChatMessage make(char const* role, std::string text) {
    ChatMessage message{};
    message.role = role;
    message.content = std::move(text);
    return message;
  }
};

/// A function the model may call.
struct FunctionDefinition {
  std::string name{};                        ///< The function's name.
  std::optional<std::string> description{};  ///< What it does, for the model.
  std::optional<nlohmann::json> parameters{};  ///< JSON Schema of its arguments.
  std::optional<bool> strict{};              ///< Enforce the schema exactly.
};

/// A tool offered to the model (OpenAI's `ChatCompletionTool`).
struct ChatTool {
  std::string type = "function";  ///< "function".
  FunctionDefinition function{};    ///< The function.
};

/// Forces a call of one named function (`tool_choice` object form).
struct NamedToolChoice {
  std::string name{};  ///< The function to call.
};

/// `tool_choice`: "none", "auto", "required", or one named function.
using ChatToolChoice = std::variant<std::string, NamedToolChoice>;

/// Options of a streamed completion.
struct ChatStreamOptions {
  std::optional<bool> include_usage{};  ///< Send a last chunk with token usage.
};

/// Parameters of `chat().completions().create` (OpenAI's `CreateChatCompletionRequest`).
/// Unset fields are not sent; `extra` is merged over the body last (its values win).
struct ChatCompletionCreateParams {
  std::vector<ChatMessage> messages{};               ///< The conversation so far (required).
  std::string model{};                               ///< Model id, e.g. "gpt-4o-mini" (required).
  std::optional<double> frequency_penalty{};         ///< -2.0 to 2.0.
  std::optional<std::map<std::string, int>> logit_bias{};  ///< Token id -> bias (-100 to 100).
  std::optional<bool> logprobs{};                    ///< Return log probabilities of output tokens.
  std::optional<std::int64_t> max_completion_tokens{};  ///< Upper bound on generated tokens.
  std::optional<std::int64_t> max_tokens{};          ///< Deprecated upstream; use max_completion_tokens.
  std::optional<std::map<std::string, std::string>> metadata{};  ///< Up to 16 key/value pairs.
  std::optional<std::vector<std::string>> modalities{};  ///< e.g. {"text"} or {"text", "audio"}.
  std::optional<int> n{};                            ///< How many choices to generate.
  std::optional<bool> parallel_tool_calls{};         ///< Allow parallel function calls.
  std::optional<double> presence_penalty{};          ///< -2.0 to 2.0.
  std::optional<std::string> reasoning_effort{};     ///< "minimal", "low", "medium" or "high".
  std::optional<ResponseFormat> response_format{};   ///< Output format (JSON mode, schema).
  std::optional<std::int64_t> seed{};                ///< Best-effort determinism.
  std::optional<std::string> service_tier{};         ///< "auto", "default", "flex", ...
  std::optional<std::variant<std::string, std::vector<std::string>>> stop{};  ///< Stop sequences.
  std::optional<bool> store{};                       ///< Store the completion.
  std::optional<ChatStreamOptions> stream_options{};  ///< Only with create_stream.
  std::optional<double> temperature{};               ///< 0 to 2.
  std::optional<ChatToolChoice> tool_choice{};       ///< Which tool, if any, to call.
  std::optional<std::vector<ChatTool>> tools{};      ///< Tools the model may call.
  std::optional<int> top_logprobs{};                 ///< 0 to 20, with logprobs.
  std::optional<double> top_p{};                     ///< Nucleus sampling.
  std::optional<std::string> user{};                 ///< End-user id.
  nlohmann::json extra = nlohmann::json::object();  ///< More body fields (merged last, win on clash).
};

/// The JSON body of a chat completion request (unset fields left out, `extra` merged).
SMARTER_API nlohmann::json to_json_body(ChatCompletionCreateParams const& params);

// JSON encoders of the request structs: required fields always, unset optional ones left out,
// `extra` merged last.
/// Encodes a JsonSchemaFormat.
SMARTER_DECLARE_ENCODER(JsonSchemaFormat);
/// Encodes a ResponseFormat.
SMARTER_DECLARE_ENCODER(ResponseFormat);
/// Encodes an ImageUrl.
SMARTER_DECLARE_ENCODER(ImageUrl);
/// Encodes a FunctionCall.
SMARTER_DECLARE_ENCODER(FunctionCall);
/// Encodes a ChatToolCallParam.
SMARTER_DECLARE_ENCODER(ChatToolCallParam);
/// Encodes ChatStreamOptions.
SMARTER_DECLARE_ENCODER(ChatStreamOptions);
/// Encodes a ChatContentPart.
SMARTER_DECLARE_ENCODER(ChatContentPart);
/// Encodes a ChatMessage.
SMARTER_DECLARE_ENCODER(ChatMessage);
/// Encodes a FunctionDefinition.
SMARTER_DECLARE_ENCODER(FunctionDefinition);
/// Encodes a ChatTool.
SMARTER_DECLARE_ENCODER(ChatTool);
/// Encodes a NamedToolChoice as `{"type": "function", "function": {"name": ...}}`.
SMARTER_DECLARE_ENCODER(NamedToolChoice);
/// Encodes ChatCompletionCreateParams (the same as to_json_body).
SMARTER_DECLARE_ENCODER(ChatCompletionCreateParams);

// ------------------------------------------------------------------------------ response side

/// Token counts of a request.
struct SMARTER_API CompletionUsage : Model {
  std::int64_t prompt_tokens = 0;      ///< Tokens in the prompt.
  std::int64_t completion_tokens = 0;  ///< Tokens generated.
  std::int64_t total_tokens = 0;       ///< Both together.
  // Details (cached tokens, reasoning tokens, ...) are reachable via field().
};

/// The function part of a tool call.
struct ToolCallFunction {
  std::string name{};       ///< The function's name.
  std::string arguments{};  ///< Arguments as JSON text (may be invalid JSON; validate before use).
};

/// A tool call the model made.
struct SMARTER_API ChatCompletionMessageToolCall : Model {
  std::string id{};                 ///< The call's id.
  std::string type = "function";  ///< "function" (other values are kept as sent).
  ToolCallFunction function{};      ///< What to call.
};

/// The assistant's message in a choice.
struct SMARTER_API ChatCompletionMessage : Model {
  std::string role = "assistant";      ///< "assistant".
  std::optional<std::string> content{};  ///< The text, when there is any.
  std::optional<std::string> refusal{};  ///< The refusal, when the model refused.
  std::vector<ChatCompletionMessageToolCall> tool_calls{};  ///< Tool calls (empty when none).
};

/// One generated alternative.
struct SMARTER_API ChatCompletionChoice : Model {
  int index = 0;                             ///< Position in `choices`.
  ChatCompletionMessage message;             ///< The generated message.
  /// "stop", "length", "tool_calls", "content_filter", "function_call" (others kept as sent).
  std::optional<std::string> finish_reason{};
  std::optional<nlohmann::json> logprobs{};    ///< Log probabilities, when requested.
};

/// A chat completion (OpenAI's `CreateChatCompletionResponse`).
struct SMARTER_API ChatCompletion : Model {
  std::string id{};                                ///< Unique id.
  std::string object = "chat.completion";        ///< "chat.completion".
  std::int64_t created = 0;                      ///< Unix time (seconds).
  std::string model{};                             ///< The model used.
  std::vector<ChatCompletionChoice> choices{};     ///< The alternatives (usually one).
  std::optional<CompletionUsage> usage{};          ///< Token counts.
  std::optional<std::string> system_fingerprint{}; ///< Backend configuration fingerprint.
  std::optional<std::string> service_tier{};       ///< Tier that served the request.
  /// The metadata of a stored completion (`store: true`), as set by create or update.
  std::optional<std::map<std::string, std::string>> metadata{};
};

/// The answer to deleting a stored chat completion.
struct SMARTER_API ChatCompletionDeleted : Model {
  std::string id{};                                ///< The deleted completion's id.
  std::string object = "chat.completion.deleted";  ///< "chat.completion.deleted".
  bool deleted = false;                            ///< True when it was deleted.
};

/// One message of a stored chat completion's conversation: the message fields, its id and,
/// when it was sent as content parts, those parts (`content` then holds their text).
struct SMARTER_API ChatCompletionStoreMessage : ChatCompletionMessage {
  std::string id{};                               ///< The message's id.
  std::optional<nlohmann::json> content_parts{};  ///< The `text` and `image_url` parts, if sent so.
};

/// Answers one tool call: gets the call's arguments (parsed JSON) and returns the text the model
/// reads as the tool's result.
using ToolHandler = std::function<std::string(nlohmann::json const& arguments)>;

/// The outcome of `chat().completions().run_tools`.
struct ToolRunResult {
  ChatCompletion completion;              ///< The last completion: the final answer when finished.
  std::vector<ChatMessage> messages{};    ///< The conversation, tool calls and results included.
  int steps = 0;                          ///< Completions requested.
  bool finished = false;                  ///< False when the step limit came first.
};

/// Parameters of `chat().completions().list`: the stored completions (created with
/// `store: true`), oldest first unless `order` is "desc".
struct ChatCompletionListParams {
  std::optional<std::string> after{};  ///< Cursor: the id of the completion before the first one wanted.
  std::optional<int> limit{};          ///< Page size (the API's default is 20).
  std::optional<std::map<std::string, std::string>> metadata{};  ///< Only completions with this metadata.
  std::optional<std::string> model{};  ///< Only completions made with this model.
  std::optional<std::string> order{};  ///< "asc" (the default) or "desc", by creation time.
};

/// Parameters of `chat().completions().update`: a stored completion's new metadata (the only
/// field that can change; it replaces the old metadata).
struct ChatCompletionUpdateParams {
  std::map<std::string, std::string> metadata{};  ///< Up to 16 key/value pairs (required; may be empty).
};

/// Parameters of `chat().completions().messages().list`.
struct ChatCompletionMessageListParams {
  std::optional<std::string> after{};  ///< Cursor: the id of the message before the first one wanted.
  std::optional<int> limit{};          ///< Page size (the API's default is 20).
  std::optional<std::string> order{};  ///< "asc" (the default) or "desc".
};

/// A partial function call in a streamed tool call.
struct ChoiceDeltaFunction {
  std::optional<std::string> name{};       ///< Sent in the first delta of a call.
  std::optional<std::string> arguments{};  ///< The next piece of the arguments text.
};

/// A piece of a tool call in a stream.
struct SMARTER_API ChoiceDeltaToolCall : Model {
  int index = 0;                               ///< Which tool call this piece belongs to.
  std::optional<std::string> id{};               ///< Sent in the first piece.
  std::optional<std::string> type{};             ///< Sent in the first piece.
  std::optional<ChoiceDeltaFunction> function{}; ///< Name and/or argument text.
};

/// What a chunk adds to a choice's message.
struct SMARTER_API ChoiceDelta : Model {
  std::optional<std::string> role{};     ///< Sent in the first chunk.
  std::optional<std::string> content{};  ///< The next piece of text.
  std::optional<std::string> refusal{};  ///< The next piece of a refusal.
  std::vector<ChoiceDeltaToolCall> tool_calls{};  ///< Tool call pieces (empty when none).
};

/// One choice's part of a chunk.
struct SMARTER_API ChatCompletionChunkChoice : Model {
  int index = 0;                             ///< Which choice.
  ChoiceDelta delta;                         ///< What this chunk adds.
  std::optional<std::string> finish_reason{};  ///< Set in the choice's last chunk.
  std::optional<nlohmann::json> logprobs{};    ///< Log probabilities, when requested.
};

/// One event of a streamed chat completion (OpenAI's `CreateChatCompletionStreamResponse`).
struct SMARTER_API ChatCompletionChunk : Model {
  std::string id{};                                  ///< Same for every chunk of a completion.
  std::string object = "chat.completion.chunk";    ///< "chat.completion.chunk".
  std::int64_t created = 0;                        ///< Unix time (seconds).
  std::string model{};                               ///< The model used.
  std::vector<ChatCompletionChunkChoice> choices{};  ///< Empty in a usage-only last chunk.
  std::optional<CompletionUsage> usage{};            ///< Token counts (last chunk, when requested).
  std::optional<std::string> system_fingerprint{};   ///< Backend configuration fingerprint.
  std::optional<std::string> service_tier{};         ///< Tier that served the request.
};

// Decoders of the response models (unknown fields are kept on each Model; a nested model shares
// the document of the response it came in).
/// Decodes a ToolCallFunction.
SMARTER_DECLARE_CODEC(ToolCallFunction);
/// Decodes a ChoiceDeltaFunction.
SMARTER_DECLARE_CODEC(ChoiceDeltaFunction);
/// Decodes a CompletionUsage.
SMARTER_DECLARE_CODEC(CompletionUsage);
/// Decodes a ChatCompletionMessageToolCall; `id` is required.
SMARTER_DECLARE_CODEC(ChatCompletionMessageToolCall);
/// Decodes a ChatCompletionMessage.
SMARTER_DECLARE_CODEC(ChatCompletionMessage);
/// Decodes a ChatCompletionChoice; `message` is required.
SMARTER_DECLARE_CODEC(ChatCompletionChoice);
/// Decodes a ChatCompletion; `id`, `created`, `model` and `choices` are required.
SMARTER_DECLARE_CODEC(ChatCompletion);
/// Decodes a ChatCompletionDeleted.
SMARTER_DECLARE_CODEC(ChatCompletionDeleted);
/// Decodes a ChatCompletionStoreMessage.
SMARTER_DECLARE_CODEC(ChatCompletionStoreMessage);
/// Encodes a ChatCompletionUpdateParams.
SMARTER_DECLARE_ENCODER(ChatCompletionUpdateParams);
/// Decodes a ChoiceDeltaToolCall.
SMARTER_DECLARE_CODEC(ChoiceDeltaToolCall);
/// Decodes a ChoiceDelta.
SMARTER_DECLARE_CODEC(ChoiceDelta);
/// Decodes a ChatCompletionChunkChoice.
SMARTER_DECLARE_CODEC(ChatCompletionChunkChoice);
/// Decodes a ChatCompletionChunk; `id` is required, the rest is tolerant.
SMARTER_DECLARE_CODEC(ChatCompletionChunk);

/// The assistant's reply as a message for the next request's history (content, refusal and
/// tool calls kept), e.g. before answering its tool calls with ChatMessage::tool.
SMARTER_API ChatMessage to_message_param(ChatCompletionMessage const& message);

/// Builds the final ChatCompletion from the chunks of a stream: text and refusals
/// concatenated, tool call arguments joined per call, finish reasons and usage kept.
///
///   ChatCompletionAccumulator acc;
///   for (auto const& chunk : stream) { acc.add(chunk); std::cout << chunk_text; }
///   ChatCompletion done = acc.final_completion();
class SMARTER_API ChatCompletionAccumulator {
 public:
  /// Adds one chunk (in stream order).
  void add(ChatCompletionChunk const& chunk);
  /// True until the first chunk is added.
  bool empty() const noexcept { return !started_; }
  /// The completion so far, decoded like a non-streamed response. Throws SmarterError when no
  /// chunk was added.
  ChatCompletion final_completion() const;

 private:
  nlohmann::json state_ = nlohmann::json::object();
  bool started_ = false;
};

}  // namespace smarter

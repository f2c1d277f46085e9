#include <smarter/types/chat.hpp>

#include <memory>
#include <utility>

#include <smarter/detail/codec.hpp>
#include <smarter/errors.hpp>

// The field tables: each type lists its fields once, for the generic decoder or encoder.
namespace smarter::detail {

// ------------------------------------------------------------------------------ request side

template <>
struct Schema<JsonSchemaFormat> {
  static constexpr auto fields = std::make_tuple(
      required("name", &JsonSchemaFormat::name), field("description", &JsonSchemaFormat::description),
      field("schema", &JsonSchemaFormat::schema), field("strict", &JsonSchemaFormat::strict));
};
template <>
struct Schema<ResponseFormat> {
  static constexpr auto fields =
      std::make_tuple(required("type", &ResponseFormat::type), field("json_schema", &ResponseFormat::json_schema),
                      extra(&ResponseFormat::extra));
};
template <>
struct Schema<ImageUrl> {
  static constexpr auto fields = std::make_tuple(required("url", &ImageUrl::url), field("detail", &ImageUrl::detail));
};
template <>
struct Schema<FunctionCall> {
  static constexpr auto fields =
      std::make_tuple(required("name", &FunctionCall::name), required("arguments", &FunctionCall::arguments));
};
template <>
struct Schema<ChatToolCallParam> {
  static constexpr auto fields =
      std::make_tuple(required("id", &ChatToolCallParam::id), required("type", &ChatToolCallParam::type),
                      required("function", &ChatToolCallParam::function));
};
template <>
struct Schema<ChatStreamOptions> {
  static constexpr auto fields = std::make_tuple(field("include_usage", &ChatStreamOptions::include_usage));
};
template <>
struct Schema<ChatContentPart> {
  static constexpr auto fields =
      std::make_tuple(required("type", &ChatContentPart::type), field("text", &ChatContentPart::text),
                      field("image_url", &ChatContentPart::image_url), extra(&ChatContentPart::extra));
};
template <>
struct Schema<ChatMessage> {
  static constexpr auto fields = std::make_tuple(
      required("role", &ChatMessage::role), field("content", &ChatMessage::content), field("name", &ChatMessage::name),
      field("tool_call_id", &ChatMessage::tool_call_id), field("tool_calls", &ChatMessage::tool_calls),
      field("refusal", &ChatMessage::refusal), extra(&ChatMessage::extra));
};
template <>
struct Schema<FunctionDefinition> {
  static constexpr auto fields = std::make_tuple(
      required("name", &FunctionDefinition::name), field("description", &FunctionDefinition::description),
      field("parameters", &FunctionDefinition::parameters), field("strict", &FunctionDefinition::strict));
};
template <>
struct Schema<ChatTool> {
  static constexpr auto fields =
      std::make_tuple(required("type", &ChatTool::type), required("function", &ChatTool::function));
};
template <>
struct Schema<ChatCompletionCreateParams> {
  using P = ChatCompletionCreateParams;
  static constexpr auto fields = std::make_tuple(
      required("messages", &P::messages), required("model", &P::model),
      field("frequency_penalty", &P::frequency_penalty), field("logit_bias", &P::logit_bias),
      field("logprobs", &P::logprobs), field("max_completion_tokens", &P::max_completion_tokens),
      field("max_tokens", &P::max_tokens), field("metadata", &P::metadata), field("modalities", &P::modalities),
      field("n", &P::n), field("parallel_tool_calls", &P::parallel_tool_calls),
      field("presence_penalty", &P::presence_penalty), field("reasoning_effort", &P::reasoning_effort),
      field("response_format", &P::response_format), field("seed", &P::seed), field("service_tier", &P::service_tier),
      field("stop", &P::stop), field("store", &P::store), field("stream_options", &P::stream_options),
      field("temperature", &P::temperature), field("tool_choice", &P::tool_choice), field("tools", &P::tools),
      field("top_logprobs", &P::top_logprobs), field("top_p", &P::top_p), field("user", &P::user),
      extra(&P::extra));
};

// ------------------------------------------------------------------------------ response side

template <>
struct Schema<ToolCallFunction> {
  static constexpr auto fields =
      std::make_tuple(field("name", &ToolCallFunction::name), field("arguments", &ToolCallFunction::arguments));
};
template <>
struct Schema<ChoiceDeltaFunction> {
  static constexpr auto fields =
      std::make_tuple(field("name", &ChoiceDeltaFunction::name), field("arguments", &ChoiceDeltaFunction::arguments));
};
template <>
struct Schema<CompletionUsage> {
  static constexpr auto fields = std::make_tuple(field("prompt_tokens", &CompletionUsage::prompt_tokens),
                                                 field("completion_tokens", &CompletionUsage::completion_tokens),
                                                 field("total_tokens", &CompletionUsage::total_tokens));
};
template <>
struct Schema<ChatCompletionMessageToolCall> {
  using T = ChatCompletionMessageToolCall;
  static constexpr auto fields =
      std::make_tuple(required("id", &T::id), field("type", &T::type), field("function", &T::function));
};
template <>
struct Schema<ChatCompletionMessage> {
  using T = ChatCompletionMessage;
  static constexpr auto fields = std::make_tuple(field("role", &T::role), field("content", &T::content),
                                                 field("refusal", &T::refusal), field("tool_calls", &T::tool_calls));
};
template <>
struct Schema<ChatCompletionChoice> {
  using T = ChatCompletionChoice;
  static constexpr auto fields = std::make_tuple(field("index", &T::index), required("message", &T::message),
                                                 field("finish_reason", &T::finish_reason),
                                                 field("logprobs", &T::logprobs));
};
template <>
struct Schema<ChatCompletion> {
  using T = ChatCompletion;
  static constexpr auto fields = std::make_tuple(
      required("id", &T::id), field("object", &T::object), required("created", &T::created),
      required("model", &T::model), required("choices", &T::choices), field("usage", &T::usage),
      field("system_fingerprint", &T::system_fingerprint), field("service_tier", &T::service_tier),
      field("metadata", &T::metadata));
};
template <>
struct Schema<ChatCompletionDeleted> {
  using T = ChatCompletionDeleted;
  static constexpr auto fields =
      std::make_tuple(required("id", &T::id), field("object", &T::object), required("deleted", &T::deleted));
};
template <>
struct Schema<ChatCompletionStoreMessage> {  // the message's own fields come from its base's table
  using T = ChatCompletionStoreMessage;
  static constexpr auto fields =
      std::make_tuple(required("id", &T::id), field("content_parts", &T::content_parts));
};
template <>
struct Schema<ChatCompletionUpdateParams> {
  using T = ChatCompletionUpdateParams;
  static constexpr auto fields = std::make_tuple(required("metadata", &T::metadata));
};
template <>
struct Schema<ChoiceDeltaToolCall> {
  using T = ChoiceDeltaToolCall;
  static constexpr auto fields = std::make_tuple(field("index", &T::index), field("id", &T::id),
                                                 field("type", &T::type), field("function", &T::function));
};
template <>
struct Schema<ChoiceDelta> {
  using T = ChoiceDelta;
  static constexpr auto fields = std::make_tuple(field("role", &T::role), field("content", &T::content),
                                                 field("refusal", &T::refusal), field("tool_calls", &T::tool_calls));
};
template <>
struct Schema<ChatCompletionChunkChoice> {
  using T = ChatCompletionChunkChoice;
  static constexpr auto fields = std::make_tuple(field("index", &T::index), field("delta", &T::delta),
                                                 field("finish_reason", &T::finish_reason),
                                                 field("logprobs", &T::logprobs));
};
template <>
struct Schema<ChatCompletionChunk> {
  using T = ChatCompletionChunk;
  static constexpr auto fields = std::make_tuple(
      required("id", &T::id), field("object", &T::object), field("created", &T::created), field("model", &T::model),
      field("choices", &T::choices), field("usage", &T::usage), field("system_fingerprint", &T::system_fingerprint),
      field("service_tier", &T::service_tier));
};

}  // namespace smarter::detail

namespace smarter {

// ------------------------------------------------------------------------------ request side

SMARTER_DEFINE_ENCODER(JsonSchemaFormat)
SMARTER_DEFINE_ENCODER(ResponseFormat)
SMARTER_DEFINE_ENCODER(ImageUrl)
SMARTER_DEFINE_ENCODER(FunctionCall)
SMARTER_DEFINE_ENCODER(ChatToolCallParam)
SMARTER_DEFINE_ENCODER(ChatStreamOptions)
SMARTER_DEFINE_ENCODER(ChatContentPart)
SMARTER_DEFINE_ENCODER(ChatMessage)
SMARTER_DEFINE_ENCODER(FunctionDefinition)
SMARTER_DEFINE_ENCODER(ChatTool)
SMARTER_DEFINE_ENCODER(ChatCompletionCreateParams)

// By hand: the object form of `tool_choice` nests the name under a "function" the struct does
// not have.
void encode_to(nlohmann::json& j, NamedToolChoice const& value) {
  j = nlohmann::json{{"type", "function"}, {"function", {{"name", value.name}}}};
}
void to_json(nlohmann::json& j, NamedToolChoice const& value) { encode_to(j, value); }

nlohmann::json to_json_body(ChatCompletionCreateParams const& params) {
  nlohmann::json body;
  encode_to(body, params);
  return body;
}

// ------------------------------------------------------------------------------ response side

SMARTER_DEFINE_CODEC(ToolCallFunction)
SMARTER_DEFINE_CODEC(ChoiceDeltaFunction)
SMARTER_DEFINE_CODEC(CompletionUsage)
SMARTER_DEFINE_CODEC(ChatCompletionMessageToolCall)
SMARTER_DEFINE_CODEC(ChatCompletionMessage)
SMARTER_DEFINE_CODEC(ChatCompletionChoice)
SMARTER_DEFINE_CODEC(ChatCompletion)
SMARTER_DEFINE_CODEC(ChatCompletionDeleted)
SMARTER_DEFINE_ENCODER(ChatCompletionUpdateParams)

void decode_from(detail::DecodeSource const& source, ChatCompletionStoreMessage& out) {
  detail::decode_fields(source, static_cast<ChatCompletionMessage&>(out));
  detail::decode_fields(source, out);
}
void from_json(nlohmann::json const& j, ChatCompletionStoreMessage& out) { detail::decode_copy(j, out); }
SMARTER_DEFINE_CODEC(ChoiceDeltaToolCall)
SMARTER_DEFINE_CODEC(ChoiceDelta)
SMARTER_DEFINE_CODEC(ChatCompletionChunkChoice)
SMARTER_DEFINE_CODEC(ChatCompletionChunk)

ChatMessage to_message_param(ChatCompletionMessage const& message) {
  ChatMessage param;
  param.role = message.role;
  if (message.content) param.content = *message.content;
  param.refusal = message.refusal;
  if (!message.tool_calls.empty()) {
    std::vector<ChatToolCallParam> calls;
    for (auto const& call : message.tool_calls)
      calls.push_back(ChatToolCallParam{call.id, call.type, FunctionCall{call.function.name, call.function.arguments}});
    param.tool_calls = std::move(calls);
  }
  return param;
}

// ------------------------------------------------------------------------------ accumulator

namespace {

// Appends `piece` to the string at `target[key]` (creating it).
void append_text(nlohmann::json& target, char const* key, std::string const& piece) {
  auto it = target.find(key);
  if (it == target.end() || !it->is_string())
    target[key] = piece;
  else
    it->get_ref<std::string&>() += piece;
}

// The element of `list` whose "index" is `index`, appended when absent.
nlohmann::json& by_index(nlohmann::json& list, int index, nlohmann::json fresh) {
  for (auto& element : list)
    if (element.value("index", -1) == index) return element;
  fresh["index"] = index;
  list.push_back(std::move(fresh));
  return list.back();
}

}  // namespace

void ChatCompletionAccumulator::add(ChatCompletionChunk const& chunk) {
  if (!started_) {
    state_ = nlohmann::json{{"id", chunk.id},
                            {"object", "chat.completion"},
                            {"created", chunk.created},
                            {"model", chunk.model},
                            {"choices", nlohmann::json::array()}};
    started_ = true;
  }
  if (chunk.system_fingerprint) state_["system_fingerprint"] = *chunk.system_fingerprint;
  if (chunk.service_tier) state_["service_tier"] = *chunk.service_tier;
  if (chunk.usage) state_["usage"] = chunk.usage->to_dict();

  for (auto const& choice : chunk.choices) {
    nlohmann::json& target = by_index(
        state_["choices"], choice.index,
        {{"message", {{"role", "assistant"}, {"content", nullptr}}}, {"finish_reason", nullptr}});
    nlohmann::json& message = target["message"];
    ChoiceDelta const& delta = choice.delta;
    if (delta.role) message["role"] = *delta.role;
    if (delta.content) append_text(message, "content", *delta.content);
    if (delta.refusal) append_text(message, "refusal", *delta.refusal);
    for (auto const& call : delta.tool_calls) {
      if (!message.contains("tool_calls")) message["tool_calls"] = nlohmann::json::array();
      nlohmann::json& entry = by_index(message["tool_calls"], call.index,
                                       {{"id", ""}, {"type", "function"}, {"function", {{"name", ""}, {"arguments", ""}}}});
      if (call.id) entry["id"] = *call.id;
      if (call.type) entry["type"] = *call.type;
      if (call.function) {
        if (call.function->name) append_text(entry["function"], "name", *call.function->name);
        if (call.function->arguments) append_text(entry["function"], "arguments", *call.function->arguments);
      }
    }
    if (choice.finish_reason) target["finish_reason"] = *choice.finish_reason;
    if (choice.logprobs && choice.logprobs->is_object()) {
      // Log probabilities arrive per chunk; the lists are concatenated.
      nlohmann::json& logprobs = target["logprobs"];
      if (!logprobs.is_object()) logprobs = nlohmann::json::object();
      for (auto it = choice.logprobs->begin(); it != choice.logprobs->end(); ++it) {
        if (!it->is_array()) continue;
        nlohmann::json& list = logprobs[it.key()];
        if (!list.is_array()) list = nlohmann::json::array();
        list.insert(list.end(), it->begin(), it->end());
      }
    }
  }
}

ChatCompletion ChatCompletionAccumulator::final_completion() const {
  if (!started_) throw SmarterError("No chunk was added: there is no completion to build");
  auto completion = std::make_shared<nlohmann::json>(state_);
  // Tool calls of a final message carry no index; it was only needed to match the pieces.
  for (auto& choice : (*completion)["choices"]) {
    auto& message = choice["message"];
    if (message.contains("tool_calls"))
      for (auto& call : message["tool_calls"]) call.erase("index");
  }
  // The copy made above becomes the completion's document (no second copy).
  return detail::decode_value<ChatCompletion>(std::shared_ptr<nlohmann::json const>(std::move(completion)));
}

}  // namespace smarter

#include <smarter/types/responses.hpp>

#include <smarter/detail/codec.hpp>


// The field tables: each type lists its fields once, for the generic decoder or encoder.
namespace smarter::detail {

// ------------------------------------------------------------------------------ request side

template <>
struct Schema<ResponseInputContent> {
  using T = ResponseInputContent;
  static constexpr auto fields =
      std::make_tuple(required("type", &T::type), field("text", &T::text), field("image_url", &T::image_url),
                      field("file_id", &T::file_id), field("detail", &T::detail), extra(&T::extra));
};
template <>
struct Schema<ResponseInputItem> {
  using T = ResponseInputItem;
  static constexpr auto fields = std::make_tuple(field("type", &T::type), field("role", &T::role),
                                                 field("content", &T::content), extra(&T::extra));
};
// `format` is flattened by hand (encode_to below).
template <>
struct Schema<ResponseTextConfig> {
  static constexpr auto fields = std::make_tuple(field("verbosity", &ResponseTextConfig::verbosity));
};
template <>
struct Schema<ResponseReasoning> {
  static constexpr auto fields =
      std::make_tuple(field("effort", &ResponseReasoning::effort), field("summary", &ResponseReasoning::summary));
};
template <>
struct Schema<ResponseTool> {
  using T = ResponseTool;
  static constexpr auto fields =
      std::make_tuple(required("type", &T::type), field("name", &T::name), field("description", &T::description),
                      field("parameters", &T::parameters), field("strict", &T::strict), extra(&T::extra));
};
template <>
struct Schema<ResponseCreateParams> {
  using P = ResponseCreateParams;
  static constexpr auto fields = std::make_tuple(
      field("model", &P::model), field("input", &P::input), field("background", &P::background),
      field("include", &P::include), field("instructions", &P::instructions),
      field("max_output_tokens", &P::max_output_tokens), field("max_tool_calls", &P::max_tool_calls),
      field("metadata", &P::metadata), field("parallel_tool_calls", &P::parallel_tool_calls),
      field("previous_response_id", &P::previous_response_id), field("reasoning", &P::reasoning),
      field("service_tier", &P::service_tier), field("store", &P::store), field("temperature", &P::temperature),
      field("text", &P::text), field("tool_choice", &P::tool_choice), field("tools", &P::tools),
      field("top_p", &P::top_p), field("truncation", &P::truncation), field("user", &P::user), extra(&P::extra));
};

template <>
struct Schema<ResponseInputTokensParams> {
  using P = ResponseInputTokensParams;
  static constexpr auto fields = std::make_tuple(
      field("model", &P::model), field("input", &P::input), field("instructions", &P::instructions),
      field("parallel_tool_calls", &P::parallel_tool_calls), field("previous_response_id", &P::previous_response_id),
      field("reasoning", &P::reasoning), field("text", &P::text), field("tool_choice", &P::tool_choice),
      field("tools", &P::tools), field("truncation", &P::truncation), extra(&P::extra));
};
template <>
struct Schema<ResponseCompactParams> {
  using P = ResponseCompactParams;
  static constexpr auto fields = std::make_tuple(
      required("model", &P::model), field("input", &P::input), field("instructions", &P::instructions),
      field("previous_response_id", &P::previous_response_id), field("prompt_cache_key", &P::prompt_cache_key),
      field("service_tier", &P::service_tier), extra(&P::extra));
};

// ------------------------------------------------------------------------------ response side

template <>
struct Schema<ResponseOutputContent> {
  using T = ResponseOutputContent;
  static constexpr auto fields =
      std::make_tuple(field("type", &T::type), field("text", &T::text), field("refusal", &T::refusal));
};
// `content` is read by hand, for messages only (decode_from below).
template <>
struct Schema<ResponseOutputItem> {
  using T = ResponseOutputItem;
  static constexpr auto fields =
      std::make_tuple(required("type", &T::type), field("id", &T::id), field("role", &T::role),
                      field("status", &T::status), field("name", &T::name), field("arguments", &T::arguments),
                      field("call_id", &T::call_id));
};
template <>
struct Schema<ResponseInputTokens> {
  using T = ResponseInputTokens;
  static constexpr auto fields =
      std::make_tuple(field("object", &T::object), required("input_tokens", &T::input_tokens));
};
template <>
struct Schema<ResponseCompaction> {
  using T = ResponseCompaction;
  static constexpr auto fields =
      std::make_tuple(required("id", &T::id), field("object", &T::object), field("created_at", &T::created_at),
                      required("output", &T::output), field("usage", &T::usage));
};
template <>
struct Schema<ResponseUsage> {
  using T = ResponseUsage;
  static constexpr auto fields = std::make_tuple(field("input_tokens", &T::input_tokens),
                                                 field("output_tokens", &T::output_tokens),
                                                 field("total_tokens", &T::total_tokens));
};
template <>
struct Schema<ResponseError> {
  static constexpr auto fields =
      std::make_tuple(field("code", &ResponseError::code), field("message", &ResponseError::message));
};
// `instructions` is read by hand, in its string form only (decode_from below).
template <>
struct Schema<Response> {
  using T = Response;
  static constexpr auto fields = std::make_tuple(
      required("id", &T::id), field("object", &T::object), field("created_at", &T::created_at),
      field("model", &T::model), field("status", &T::status), field("output", &T::output), field("usage", &T::usage),
      field("error", &T::error), field("previous_response_id", &T::previous_response_id),
      field("temperature", &T::temperature), field("top_p", &T::top_p));
};
template <>
struct Schema<ResponseStreamEvent> {
  using T = ResponseStreamEvent;
  static constexpr auto fields = std::make_tuple(
      required("type", &T::type), field("sequence_number", &T::sequence_number), field("delta", &T::delta),
      field("item_id", &T::item_id), field("output_index", &T::output_index),
      field("content_index", &T::content_index), field("response", &T::response));
};

}  // namespace smarter::detail

namespace smarter {

using detail::decode_copy;

// ------------------------------------------------------------------------------ request side

SMARTER_DEFINE_ENCODER(ResponseInputContent)
SMARTER_DEFINE_ENCODER(ResponseInputItem)
SMARTER_DEFINE_ENCODER(ResponseReasoning)
SMARTER_DEFINE_ENCODER(ResponseTool)
SMARTER_DEFINE_ENCODER(ResponseCreateParams)

// By hand: the Responses API flattens a chat-style format (`json_schema` nested) into one object.
void encode_to(nlohmann::json& j, ResponseTextConfig const& value) {
  j = nlohmann::json::object();
  detail::encode_fields(j, value);
  if (value.format) {
    nlohmann::json format{{"type", value.format->type}};
    if (value.format->json_schema) format.update(detail::encode_value(*value.format->json_schema));
    detail::merge_extra(format, value.format->extra);
    j["format"] = std::move(format);
  }
}
void to_json(nlohmann::json& j, ResponseTextConfig const& value) { encode_to(j, value); }

nlohmann::json to_json_body(ResponseCreateParams const& params) {
  nlohmann::json body;
  encode_to(body, params);
  return body;
}

ResponseCreateParams ChatResponseCreateParams::to_response_params() const {
  ResponseCreateParams params;
  params.model = model;
  params.input = input;
  params.instructions = instructions;
  params.max_output_tokens = max_output_tokens;
  params.metadata = metadata;
  params.previous_response_id = previous_response_id;
  params.reasoning = reasoning;
  params.store = store;
  params.temperature = temperature;
  params.tools = tools;
  params.top_p = top_p;
  if (response_format) params.text = ResponseTextConfig{response_format, std::nullopt};
  params.extra = extra;
  return params;
}

// ------------------------------------------------------------------------------ response side

SMARTER_DEFINE_CODEC(ResponseOutputContent)
SMARTER_DEFINE_CODEC(ResponseUsage)
SMARTER_DEFINE_CODEC(ResponseError)
SMARTER_DEFINE_CODEC(ResponseStreamEvent)
SMARTER_DEFINE_CODEC(ResponseInputTokens)
SMARTER_DEFINE_CODEC(ResponseCompaction)
SMARTER_DEFINE_ENCODER(ResponseInputTokensParams)
SMARTER_DEFINE_ENCODER(ResponseCompactParams)

// By hand: only messages carry a list of parts; other item kinds may use "content" differently.
void decode_from(detail::DecodeSource const& source, ResponseOutputItem& out) {
  detail::decode_fields(source, out);
  if (out.type == "message") {
    detail::decode_field(source, *source.node, detail::field("content", &ResponseOutputItem::content), out);
  }
}
void from_json(nlohmann::json const& j, ResponseOutputItem& out) { decode_copy(j, out); }

// By hand: `instructions` may also be a list of items; only the string form is modelled.
void decode_from(detail::DecodeSource const& source, Response& out) {
  detail::decode_fields(source, out);
  auto const it = source.node->find("instructions");
  if (it != source.node->end() && it->is_string()) out.instructions = it->get<std::string>();
}
void from_json(nlohmann::json const& j, Response& out) { decode_copy(j, out); }

std::string Response::output_text() const {
  std::string text;
  for (auto const& item : output) {
    if (item.type != "message") continue;
    for (auto const& part : item.content)
      if (part.type == "output_text" && part.text) text += *part.text;
  }
  return text;
}

}  // namespace smarter

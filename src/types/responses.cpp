#include <smarter/types/responses.hpp>

#include <smarter/detail/decode.hpp>

#include "types/openai_decode.hpp"

namespace smarter {

using detail::merge_extra;
using detail::read_optional;
using detail::read_or_keep;
using detail::read_required;
using detail::openai::read_model_list;
using detail::openai::read_model;
using detail::openai::write_optional;

// ------------------------------------------------------------------------------ request side

void to_json(nlohmann::json& j, ResponseInputContent const& value) {
  j = nlohmann::json{{"type", value.type}};
  write_optional(j, "text", value.text);
  write_optional(j, "image_url", value.image_url);
  write_optional(j, "file_id", value.file_id);
  write_optional(j, "detail", value.detail);
  merge_extra(j, value.extra);
}

void to_json(nlohmann::json& j, ResponseInputItem const& value) {
  j = nlohmann::json::object();
  write_optional(j, "type", value.type);
  write_optional(j, "role", value.role);
  write_optional(j, "content", value.content);
  merge_extra(j, value.extra);
}

void to_json(nlohmann::json& j, ResponseTextConfig const& value) {
  j = nlohmann::json::object();
  if (value.format) {
    // The Responses API flattens the schema into the format object.
    nlohmann::json format{{"type", value.format->type}};
    if (value.format->json_schema) {
      JsonSchemaFormat const& schema = *value.format->json_schema;
      format["name"] = schema.name;
      write_optional(format, "description", schema.description);
      write_optional(format, "schema", schema.schema);
      write_optional(format, "strict", schema.strict);
    }
    merge_extra(format, value.format->extra);
    j["format"] = std::move(format);
  }
  write_optional(j, "verbosity", value.verbosity);
}

void to_json(nlohmann::json& j, ResponseReasoning const& value) {
  j = nlohmann::json::object();
  write_optional(j, "effort", value.effort);
  write_optional(j, "summary", value.summary);
}

void to_json(nlohmann::json& j, ResponseTool const& value) {
  j = nlohmann::json{{"type", value.type}};
  write_optional(j, "name", value.name);
  write_optional(j, "description", value.description);
  write_optional(j, "parameters", value.parameters);
  write_optional(j, "strict", value.strict);
  merge_extra(j, value.extra);
}

nlohmann::json to_json_body(ResponseCreateParams const& params) {
  nlohmann::json body = nlohmann::json::object();
  write_optional(body, "model", params.model);
  write_optional(body, "input", params.input);
  write_optional(body, "background", params.background);
  write_optional(body, "include", params.include);
  write_optional(body, "instructions", params.instructions);
  write_optional(body, "max_output_tokens", params.max_output_tokens);
  write_optional(body, "max_tool_calls", params.max_tool_calls);
  write_optional(body, "metadata", params.metadata);
  write_optional(body, "parallel_tool_calls", params.parallel_tool_calls);
  write_optional(body, "previous_response_id", params.previous_response_id);
  write_optional(body, "reasoning", params.reasoning);
  write_optional(body, "service_tier", params.service_tier);
  write_optional(body, "store", params.store);
  write_optional(body, "temperature", params.temperature);
  write_optional(body, "text", params.text);
  write_optional(body, "tool_choice", params.tool_choice);
  write_optional(body, "tools", params.tools);
  write_optional(body, "top_p", params.top_p);
  write_optional(body, "truncation", params.truncation);
  write_optional(body, "user", params.user);
  merge_extra(body, params.extra);
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

void from_json(nlohmann::json const& j, ResponseOutputContent& out) {
  read_or_keep(j, "type", out.type);
  read_optional(j, "text", out.text);
  read_optional(j, "refusal", out.refusal);
}

void from_json(nlohmann::json const& j, ResponseOutputItem& out) {
  read_required(j, "type", out.type);
  read_optional(j, "id", out.id);
  read_optional(j, "role", out.role);
  read_optional(j, "status", out.status);
  // Only messages carry a list of parts; other item kinds may use "content" differently.
  if (out.type == "message") read_model_list(j, "content", out.content);
  read_optional(j, "name", out.name);
  read_optional(j, "arguments", out.arguments);
  read_optional(j, "call_id", out.call_id);
}

void from_json(nlohmann::json const& j, ResponseUsage& out) {
  read_or_keep(j, "input_tokens", out.input_tokens);
  read_or_keep(j, "output_tokens", out.output_tokens);
  read_or_keep(j, "total_tokens", out.total_tokens);
}

void from_json(nlohmann::json const& j, ResponseError& out) {
  read_or_keep(j, "code", out.code);
  read_or_keep(j, "message", out.message);
}

void from_json(nlohmann::json const& j, Response& out) {
  read_required(j, "id", out.id);
  read_or_keep(j, "object", out.object);
  read_or_keep(j, "created_at", out.created_at);
  read_or_keep(j, "model", out.model);
  read_optional(j, "status", out.status);
  read_model_list(j, "output", out.output);
  read_model(j, "usage", out.usage);
  read_model(j, "error", out.error);
  // `instructions` may also be a list of items; only the string form is modelled.
  if (auto it = j.find("instructions"); it != j.end() && it->is_string()) out.instructions = it->get<std::string>();
  read_optional(j, "previous_response_id", out.previous_response_id);
  read_optional(j, "temperature", out.temperature);
  read_optional(j, "top_p", out.top_p);
}

void from_json(nlohmann::json const& j, ResponseStreamEvent& out) {
  read_required(j, "type", out.type);
  read_optional(j, "sequence_number", out.sequence_number);
  read_optional(j, "delta", out.delta);
  read_optional(j, "item_id", out.item_id);
  read_optional(j, "output_index", out.output_index);
  read_optional(j, "content_index", out.content_index);
  read_model(j, "response", out.response);
}

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

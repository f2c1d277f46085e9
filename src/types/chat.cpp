#include <smarter/types/chat.hpp>

#include <smarter/detail/decode.hpp>
#include <smarter/errors.hpp>

#include "types/openai_decode.hpp"

namespace smarter {

using detail::merge_extra;
using detail::read_optional;
using detail::read_or_keep;
using detail::read_required;
using detail::openai::read_json;
using detail::openai::read_model_list;
using detail::openai::read_model;
using detail::openai::read_model_required;
using detail::openai::write_optional;

// ------------------------------------------------------------------------------ request side

void to_json(nlohmann::json& j, JsonSchemaFormat const& value) {
  j = nlohmann::json{{"name", value.name}};
  write_optional(j, "description", value.description);
  write_optional(j, "schema", value.schema);
  write_optional(j, "strict", value.strict);
}

void to_json(nlohmann::json& j, ImageUrl const& value) {
  j = nlohmann::json{{"url", value.url}};
  write_optional(j, "detail", value.detail);
}

void to_json(nlohmann::json& j, ChatToolCallParam const& value) {
  j = nlohmann::json{{"id", value.id},
                     {"type", value.type},
                     {"function", {{"name", value.function.name}, {"arguments", value.function.arguments}}}};
}

void to_json(nlohmann::json& j, ChatStreamOptions const& value) {
  j = nlohmann::json::object();
  write_optional(j, "include_usage", value.include_usage);
}

namespace {
nlohmann::json tool_choice_json(ChatToolChoice const& choice) {
  if (auto const* mode = std::get_if<std::string>(&choice)) return *mode;
  return {{"type", "function"}, {"function", {{"name", std::get<NamedToolChoice>(choice).name}}}};
}

}  // namespace

void to_json(nlohmann::json& j, ResponseFormat const& value) {
  j = nlohmann::json{{"type", value.type}};
  write_optional(j, "json_schema", value.json_schema);
  merge_extra(j, value.extra);
}

void to_json(nlohmann::json& j, ChatContentPart const& value) {
  j = nlohmann::json{{"type", value.type}};
  write_optional(j, "text", value.text);
  write_optional(j, "image_url", value.image_url);
  merge_extra(j, value.extra);
}

void to_json(nlohmann::json& j, ChatMessage const& value) {
  j = nlohmann::json{{"role", value.role}};
  write_optional(j, "content", value.content);
  write_optional(j, "name", value.name);
  write_optional(j, "tool_call_id", value.tool_call_id);
  write_optional(j, "tool_calls", value.tool_calls);
  write_optional(j, "refusal", value.refusal);
  merge_extra(j, value.extra);
}

void to_json(nlohmann::json& j, ChatTool const& value) {
  nlohmann::json function{{"name", value.function.name}};
  write_optional(function, "description", value.function.description);
  write_optional(function, "parameters", value.function.parameters);
  write_optional(function, "strict", value.function.strict);
  j = nlohmann::json{{"type", value.type}, {"function", std::move(function)}};
}

nlohmann::json to_json_body(ChatCompletionCreateParams const& params) {
  nlohmann::json body{{"messages", params.messages}, {"model", params.model}};
  write_optional(body, "frequency_penalty", params.frequency_penalty);
  write_optional(body, "logit_bias", params.logit_bias);
  write_optional(body, "logprobs", params.logprobs);
  write_optional(body, "max_completion_tokens", params.max_completion_tokens);
  write_optional(body, "max_tokens", params.max_tokens);
  write_optional(body, "metadata", params.metadata);
  write_optional(body, "modalities", params.modalities);
  write_optional(body, "n", params.n);
  write_optional(body, "parallel_tool_calls", params.parallel_tool_calls);
  write_optional(body, "presence_penalty", params.presence_penalty);
  write_optional(body, "reasoning_effort", params.reasoning_effort);
  write_optional(body, "response_format", params.response_format);
  write_optional(body, "seed", params.seed);
  write_optional(body, "service_tier", params.service_tier);
  write_optional(body, "stop", params.stop);
  write_optional(body, "store", params.store);
  write_optional(body, "stream_options", params.stream_options);
  write_optional(body, "temperature", params.temperature);
  if (params.tool_choice) body["tool_choice"] = tool_choice_json(*params.tool_choice);
  write_optional(body, "tools", params.tools);
  write_optional(body, "top_logprobs", params.top_logprobs);
  write_optional(body, "top_p", params.top_p);
  write_optional(body, "user", params.user);
  merge_extra(body, params.extra);
  return body;
}

// ------------------------------------------------------------------------------ response side

void from_json(nlohmann::json const& j, ToolCallFunction& out) {
  read_or_keep(j, "name", out.name);
  read_or_keep(j, "arguments", out.arguments);
}
void from_json(nlohmann::json const& j, ChoiceDeltaFunction& out) {
  read_optional(j, "name", out.name);
  read_optional(j, "arguments", out.arguments);
}

void from_json(nlohmann::json const& j, CompletionUsage& out) {
  read_or_keep(j, "prompt_tokens", out.prompt_tokens);
  read_or_keep(j, "completion_tokens", out.completion_tokens);
  read_or_keep(j, "total_tokens", out.total_tokens);
}

void from_json(nlohmann::json const& j, ChatCompletionMessageToolCall& out) {
  read_required(j, "id", out.id);
  read_or_keep(j, "type", out.type);
  read_model(j, "function", out.function);
}

void from_json(nlohmann::json const& j, ChatCompletionMessage& out) {
  read_or_keep(j, "role", out.role);
  read_optional(j, "content", out.content);
  read_optional(j, "refusal", out.refusal);
  read_model_list(j, "tool_calls", out.tool_calls);
}

void from_json(nlohmann::json const& j, ChatCompletionChoice& out) {
  read_or_keep(j, "index", out.index);
  read_model_required(j, "message", out.message);
  read_optional(j, "finish_reason", out.finish_reason);
  read_json(j, "logprobs", out.logprobs);
}

void from_json(nlohmann::json const& j, ChatCompletion& out) {
  read_required(j, "id", out.id);
  read_or_keep(j, "object", out.object);
  read_required(j, "created", out.created);
  read_required(j, "model", out.model);
  read_model_list(j, "choices", out.choices, /*required=*/true);
  read_model(j, "usage", out.usage);
  read_optional(j, "system_fingerprint", out.system_fingerprint);
  read_optional(j, "service_tier", out.service_tier);
}

void from_json(nlohmann::json const& j, ChoiceDeltaToolCall& out) {
  read_or_keep(j, "index", out.index);
  read_optional(j, "id", out.id);
  read_optional(j, "type", out.type);
  read_model(j, "function", out.function);
}

void from_json(nlohmann::json const& j, ChoiceDelta& out) {
  read_optional(j, "role", out.role);
  read_optional(j, "content", out.content);
  read_optional(j, "refusal", out.refusal);
  read_model_list(j, "tool_calls", out.tool_calls);
}

void from_json(nlohmann::json const& j, ChatCompletionChunkChoice& out) {
  read_or_keep(j, "index", out.index);
  read_model(j, "delta", out.delta);
  read_optional(j, "finish_reason", out.finish_reason);
  read_json(j, "logprobs", out.logprobs);
}

void from_json(nlohmann::json const& j, ChatCompletionChunk& out) {
  read_required(j, "id", out.id);
  read_or_keep(j, "object", out.object);
  read_or_keep(j, "created", out.created);
  read_or_keep(j, "model", out.model);
  read_model_list(j, "choices", out.choices);
  read_model(j, "usage", out.usage);
  read_optional(j, "system_fingerprint", out.system_fingerprint);
  read_optional(j, "service_tier", out.service_tier);
}

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
  nlohmann::json completion = state_;
  // Tool calls of a final message carry no index; it was only needed to match the pieces.
  for (auto& choice : completion["choices"]) {
    auto& message = choice["message"];
    if (message.contains("tool_calls"))
      for (auto& call : message["tool_calls"]) call.erase("index");
  }
  return detail::decode_value<ChatCompletion>(completion);
}

}  // namespace smarter
